from fastapi import APIRouter

from app.sse import sse_event

router = APIRouter(prefix="/stream")


@router.websocket("/ws")
async def ws(websocket):
    await websocket.accept()


@router.get("/run")
async def run(emitter):
    yield sse_event("step", {"phase": "devices"})
    await emitter.emit("discovery", {})
    if emitter.done:
        return sse_event("complete", None)
    yield {"event": "migrate_progress", "data": 1}
    yield sse_event(name, {})  # not a literal: skipped
