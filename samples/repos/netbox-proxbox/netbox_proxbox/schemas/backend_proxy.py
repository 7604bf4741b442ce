"""Mirrors of the backend's SSE payloads."""
from typing import Any

from pydantic import BaseModel

from ._enums import SseEventType


class SseDiscoveryPayload(BaseModel):
    event: SseEventType
    phase: str
    status: str = "discovered"
    count: str = "0"  # drift: the backend sends an integer
    items: list[dict[str, Any]] = []


class SseSubstepPayload(BaseModel):
    event: SseEventType
    phase: str
    substep: str
    timing: float | None = None
