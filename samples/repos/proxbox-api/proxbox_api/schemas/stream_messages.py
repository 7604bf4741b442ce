"""Server-sent event messages of the sample backend."""
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field


class StreamMessageType(str, Enum):
    COMPLETE = "complete"
    ERROR = "error"
    STEP = "step"
    DISCOVERY = "discovery"
    MIGRATE_PROGRESS = "migrate_progress"  # new: the consumer lacks it


class ProxboxBaseModel(BaseModel):
    """The project's own base: models deriving from it count too."""


class DiscoveryMessage(ProxboxBaseModel):
    event: StreamMessageType = StreamMessageType.DISCOVERY
    phase: str
    status: str = "discovered"
    count: int = 0
    items: list[dict[str, Any]] = Field(default_factory=list)
    metadata: dict[str, Any] | None = None


class SubstepMessage(ProxboxBaseModel):
    event: StreamMessageType = StreamMessageType.STEP
    phase: str
    substep: str
    timing: float | None = None
