"""A consumer's HTTP helpers in use (written for these tests)."""


class Backend:
    def __init__(self, base_url):
        self.base_url = base_url

    def status(self):
        return self.get_json("/proxmox/cluster/status")

    def sync_vm(self, vmid):
        return self.post_json(f"sync/individual/vm/{vmid}?dry_run=1")

    def create(self, kind):
        return self.post_json("dcim/devices/create" + "/stream")

    def drop(self, vm):
        return self.request(f"{self.base_url}/vm/{vm.id}/cache", method="DELETE")

    def other(self):
        return self.request(route="/stream/run")
