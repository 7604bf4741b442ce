from srcpkg.base import Thing


class Widget(Thing):
    size: int
