from enum import Enum, StrEnum
from pydantic import BaseModel, Field

EVENTS = (("sync", ("name", "status")), ("vm", ("vmid", f"{x!r:>{w}}")))


class E(StrEnum):
    STEP = "step"
    DONE = "done"


class M(BaseModel):
    a: int = Field(1, alias="A")
    b: list[E] | None = None
    c: "Literal['x', 'y']"


def handler(request):
    sse_event("complete", {"event": "step"})
    get(f"/items/{request.id}?q=1")
    match request:
        case {"x": 1}:
            pass
    return [y async for y in z] if (w := 3) else lambda q: q
