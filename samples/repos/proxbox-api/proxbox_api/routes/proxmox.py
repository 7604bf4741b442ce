from fastapi import APIRouter

router = APIRouter()


@router.get("/cluster/status")
async def cluster_status():
    return {"status": "ok"}
