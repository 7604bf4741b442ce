"""The plugin's calls to the backend (written for contracts' samples)."""


class BackendClient:
    def __init__(self, session, base_url):
        self.session = session
        self.base_url = base_url

    def cluster_status(self):
        return self.get_json("/proxmox/cluster/status")

    def nodes(self):
        return self.get_json("proxmox/nodes")  # drift: the backend has no such route

    def sync_vm(self, vm_id):
        return self.post_json(f"{self.base_url}/sync/individual/vm/{vm_id}")

    def create_devices(self):
        return self.post_json("sync/devices/create" + "/stream")
