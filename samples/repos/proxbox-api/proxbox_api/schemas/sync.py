"""The overwrite flags a sync request carries."""
from pydantic import BaseModel


class SyncOverwriteFlags(BaseModel):
    overwrite_device_role: bool = True
    overwrite_device_type: bool = True
    overwrite_device_tags: bool = True
    overwrite_vm_role: bool = True
    overwrite_vm_tags: bool = True
    overwrite_ip_status: bool = True
