"""The plugin's overwrite flags, grouped for its settings page."""

OVERWRITE_FIELD_GROUPS = (
    ("Device", ("overwrite_device_type", "overwrite_device_role", "overwrite_device_tags")),
    ("Virtual machine", ("overwrite_vm_role", "overwrite_vm_tags")),
    ("IP address", ("overwrite_ip_status",)),
)

OVERWRITE_FIELDS = tuple(f for _, group in OVERWRITE_FIELD_GROUPS for f in group)
