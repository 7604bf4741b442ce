from fastapi import FastAPI

from proxbox_api.routes import proxmox
from .routes.sync import router as sync_router

app = FastAPI(title="sample backend")
app.include_router(proxmox.router, prefix="/proxmox")
app.include_router(sync_router)
