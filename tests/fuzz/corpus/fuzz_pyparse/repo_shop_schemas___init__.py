from ._base import Record, Loose
from .kinds import Kind

__all__ = ["Record", "Loose", "Kind"]
