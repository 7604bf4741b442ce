from typing import Optional

from pydantic import Field

import shop.schemas.kinds as kinds_mod
from shop.schemas._base import Record
from . import kinds
from .kinds import Kind as Sort
from .. import PublicRecord


class Order(Record):
    label: str = Field(alias="name")
    kind: Sort = Sort.TOOL
    other: kinds.Kind | None = None
    third: Optional[kinds_mod.Kind] = None


class Rush(Order):
    hours: int = 0


class Reexported(PublicRecord):
    note: str
