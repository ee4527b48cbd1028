"""The community's glossary: shorthand members use (H, MLC, R), explained wherever it appears."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field


class GlossaryTerm(SQLModel, table=True):
    __tablename__ = "glossary_terms"

    id: int | None = Field(default=None, primary_key=True)
    # Case-sensitive: "H" is the husband, "h" is nothing.
    term: str = Field(max_length=40, unique=True)
    meaning: str = Field(max_length=300)
    created_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
