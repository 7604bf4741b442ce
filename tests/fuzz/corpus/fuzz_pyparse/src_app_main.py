from fastapi import FastAPI

from app.routes import sync as sync_routes
from .routes.stream import router as stream_router

app = FastAPI(title="test backend")
app.include_router(sync_routes.router, prefix="/sync")
app.include_router(stream_router)


@app.get("/health")
async def health():
    return {"status": "ok"}
