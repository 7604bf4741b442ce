from fastapi import APIRouter

router = APIRouter(prefix="/vm", tags=["vm"])


@router.get("/{vmid:int}")
def get_vm(vmid: int):
    return {"event": "vm_loaded", "vmid": vmid}


@router.delete(path="/{vmid}/cache")
def drop_cache(vmid: int):
    pass
