from enum import Enum


class Kind(str, Enum):
    FRUIT = "fruit"
    TOOL = "tool"


class Extra(Kind):
    pass
