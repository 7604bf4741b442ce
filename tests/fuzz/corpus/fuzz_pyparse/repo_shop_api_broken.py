from pydantic import BaseModel


class Broken(BaseModel):
    def f(:
        pass
