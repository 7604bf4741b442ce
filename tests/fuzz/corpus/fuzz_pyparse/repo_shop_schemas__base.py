from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    ident: int


class Loose(BaseModel):
    model_config = {"extra": "allow"}
