from ..schemas import Loose


class Event(Loose):
    name: str = ""
