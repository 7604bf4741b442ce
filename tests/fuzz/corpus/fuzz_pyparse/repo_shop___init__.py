"""A package that re-exports its schemas' bases."""
from .schemas import Record as PublicRecord
