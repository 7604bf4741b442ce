from shop.nowhere import Gone


class Orphan(Gone):
    a: int
