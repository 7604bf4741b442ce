"""Proxmox enums of the sample backend (written for contracts' samples)."""
from enum import Enum


class ProxmoxVMStatus(str, Enum):
    RUNNING = "running"
    STOPPED = "stopped"
    PAUSED = "paused"


class DiskFormat(str, Enum):
    QCOW2 = "qcow2"
    RAW = "raw"
    VMDK = "vmdk"
