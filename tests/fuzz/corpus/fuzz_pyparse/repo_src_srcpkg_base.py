from pydantic import BaseModel


class Thing(BaseModel):
    id: str
