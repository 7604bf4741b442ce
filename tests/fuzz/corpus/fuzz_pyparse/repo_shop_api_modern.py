"""Python 3.12 syntax: a type statement, type parameters, f-strings with
nested quotes."""
from ..schemas import Record

type Ident = int


class Box[T](Record):
    item: int = 0
    label: str = f"{"box"}-{'x'!r:>4}"


def first[T](xs: list[T]) -> T:
    return xs[0]
