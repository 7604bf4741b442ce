"""Grouped flags, shaped like a plugin's settings (written for these tests)."""

FLAG_GROUPS = (
    ("Device", ("overwrite_device_role", "overwrite_device_type")),
    (
        "Virtual machine",
        (
            "overwrite_vm_role",
            "overwrite_vm_tags",
        ),
    ),
    ("IP", ("overwrite_ip_status",)),
)

FLAGS = tuple(flag for _, group in FLAG_GROUPS for flag in group)

LEVELS: list[str] = ["low", "high"]
