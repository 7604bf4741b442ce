from pydantic import BaseModel


class Plugin(BaseModel):
    slug: str
