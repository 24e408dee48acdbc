"""The schema of the roadmap's content files, checked when they are loaded.

Every text is a pair ``{en: ..., zh: ...}``: a text that exists in one language only is a
schema error, so the English and Chinese roadmaps always have the same ids and the same
shape. A stage file (``content/stages/NN-<id>.yaml``) holds one stage, its skills and the
references they cite; ``content/roles.yaml`` holds the roles.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

LANGUAGES = ("en", "zh")
DEPTHS = ("aware", "explain", "implement", "ship")
ROLE_IDS = ("algorithm-engineer", "data-scientist", "ml-engineer", "product-manager")
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Depth = Literal["aware", "explain", "implement", "ship"]
RoleId = Literal["algorithm-engineer", "data-scientist", "ml-engineer", "product-manager"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in both languages; neither may be empty."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    @field_validator("en", "zh")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value.strip()

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class Reference(_Strict):
    """An original source: who, when, what, where."""

    authors: list[str] = Field(min_length=1)
    year: int = Field(ge=1600, le=2100)
    title: str = Field(min_length=3)
    venue: str = Field(min_length=2)
    url: str | None = None


class Formula(_Strict):
    """A formula as LaTeX, and where dlpath computes it (``dlpath.module:function``)."""

    name: Text
    tex: str = Field(min_length=1)
    code: str | None = Field(default=None, pattern=r"^dlpath(\.\w+)+(:\w+(\.\w+)*)?$")


class Skill(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    text: Text
    prerequisites: list[str] = []
    depth: dict[RoleId, Depth] = Field(min_length=1)
    formulas: list[Formula] = []
    code: list[str] = []
    labs: list[str] = []
    recipes: list[str] = []
    references: list[str] = []

    @field_validator("code")
    @classmethod
    def _code_paths(cls, paths: list[str]) -> list[str]:
        for path in paths:
            if not re.match(r"^dlpath(\.\w+)+(:\w+(\.\w+)*)?$", path):
                raise ValueError(f"code path {path!r} is not 'dlpath.module[:name]'")
        return paths


class Stage(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    order: int = Field(ge=1)
    title: Text
    summary: Text
    prerequisites: list[str] = []
    skills: list[Skill] = Field(min_length=1)
    references: dict[str, Reference] = {}


class Role(_Strict):
    id: RoleId
    title: Text
    summary: Text
    responsibilities: list[Text] = Field(min_length=2)


class RolesFile(_Strict):
    roles: list[Role] = Field(min_length=4)
