"""Enums shaped like a backend's stream messages (written for these tests)."""
from enum import Enum, IntEnum, StrEnum, auto, unique


class StreamKind(str, Enum):
    """Kinds of stream messages."""

    # the terminal event
    DONE = "done"
    FAILED = "failed"
    STEP = "step"  # a step of a phase
    FINISHED = "done"  # an alias: kept once

    @classmethod
    def terminal(cls) -> set["StreamKind"]:
        return {cls.DONE, cls.FAILED}

    class Meta:
        label = "not a member"


@unique
class Colour(StrEnum):
    _ignore_ = ["TMP"]
    RED = "red"
    GREEN = "green"
    TMP = "tmp"
    _private_ = "x"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Auto(Enum):
    FIRST = auto()
    SECOND = auto()


class Derived(StreamKind):
    pass


class NotAnEnum:
    A = "a"
