"""Mirrors of the backend's enums: the plugin may not import the backend."""
from enum import Enum


class SseEventType(str, Enum):
    COMPLETE = "complete"
    ERROR = "error"
    STEP = "step"
    DISCOVERY = "discovery"


class DiskFormat(str, Enum):
    QCOW2 = "qcow2"
    RAW = "raw"
    VMDK = "vmdk"
    SUBVOL = "subvol"  # the plugin knows one more format: a superset
