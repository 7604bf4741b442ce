from nsroot.plugins.base import Plugin


class Impl(Plugin):
    version: int = 1
