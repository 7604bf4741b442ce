from fastapi import APIRouter

from proxbox_api.streaming import sse_event

router = APIRouter(prefix="/sync")


@router.post("/individual/vm/{vmid}")
async def sync_vm(vmid: int):
    yield sse_event("step", {"phase": "vm"})
    yield sse_event("complete", None)


@router.post("/devices/create/stream")
async def create_devices(emitter):
    await emitter.emit("discovery", {"count": 1})
    yield {"event": "migrate_progress", "data": 0.5}
