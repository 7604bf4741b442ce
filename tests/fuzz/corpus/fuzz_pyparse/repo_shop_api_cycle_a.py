from shop.api.cycle_b import Ghost


class Haunted(Ghost):
    boo: int
