"""Pydantic-style models (written for these tests)."""
from typing import Any, ClassVar, Literal, Optional

from pydantic import BaseModel, Field

from .enums import StreamKind


class ItemInfo(BaseModel):
    name: str
    vmid: int | None = None


class BaseMessage(BaseModel):
    event: StreamKind
    phase: str = Field(
        ...,
        description="the phase this message belongs to",
    )


class DiscoveryMessage(BaseMessage):
    kind: ClassVar[str] = "discovery"
    status: Literal["started", "running", "done"] = "started"
    count: int = Field(default=0, ge=0)
    items: list[ItemInfo] = Field(default_factory=list)
    progress: Optional[float]
    metadata: dict[str, Any] | None = None
    labels: dict[str, int] = {}
    raw: bytes = Field(b"", alias="raw_bytes")
    note: "ItemInfo | None" = None
    _secret: str = "hidden"
    when: Field(description="an odd annotation") = None
