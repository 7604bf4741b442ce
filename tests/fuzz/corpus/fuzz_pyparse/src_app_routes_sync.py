from fastapi import APIRouter

from .vm import router as vm_router

router = APIRouter()
router.include_router(vm_router, prefix="/individual")


@router.post("/devices/create")
def create_devices():
    return []


@router.api_route("/full", methods=["GET", "POST"])
def full_sync():
    ...
