"""The schema of a lab's definition file, ``labs/definitions/<lab-id>.yaml``.

A code, framework or project lab's file holds its title, task and hints (and the texts of
the mistakes its checks recognise); its checks are code in ``labs/checks/<lab_id>.py`` and its
reference solution, the complete solved lab file, is ``labs/solutions/<lab_id>.py``. A quiz
lab's file holds its questions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from dlpath.path.schema import ID_PATTERN, Text, _Strict

KINDS = ("code", "framework", "project", "quiz")
# The depth of knowledge each kind of lab shows (see dlpath.path.schema.DEPTHS).
DEPTH_OF_KIND = {"quiz": "explain", "code": "implement", "framework": "implement",
                 "project": "ship"}


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["choice", "numeric"]
    prompt: Text
    choices: list[Text] = []
    answer: float | int
    tolerance: float = Field(default=0.0, ge=0.0)  # numeric: absolute tolerance
    explanation: Text

    @model_validator(mode="after")
    def _answer_fits(self):
        if self.kind == "choice":
            if len(self.choices) < 2:
                raise ValueError(f"question '{self.id}': a choice question needs >= 2 choices")
            if int(self.answer) != self.answer or not 0 <= self.answer < len(self.choices):
                raise ValueError(f"question '{self.id}': answer must index one of its "
                                 f"{len(self.choices)} choices (0-based)")
        elif self.choices:
            raise ValueError(f"question '{self.id}': a numeric question has no choices")
        return self


class LabDefinition(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["code", "framework", "project", "quiz"]
    stage: str = Field(pattern=ID_PATTERN)
    title: Text
    task: Text
    hints: list[Text] = []
    checks: dict[str, Text] = {}  # check name -> what it checks, shown as it passes
    mistakes: dict[str, Text] = {}  # mistake key -> what a check that recognises it says
    time_limit: float = Field(default=30.0, gt=0, le=3600)
    pass_mark: float = Field(default=0.8, gt=0, le=1)  # quiz: share of right answers
    questions: list[Question] = []

    @model_validator(mode="after")
    def _kind_fits(self):
        if self.kind == "quiz":
            if len(self.questions) < 3:
                raise ValueError(f"quiz '{self.id}' needs at least 3 questions")
            ids = [q.id for q in self.questions]
            if len(set(ids)) != len(ids):
                raise ValueError(f"quiz '{self.id}' names a question twice")
        else:
            if self.questions:
                raise ValueError(f"lab '{self.id}' of kind {self.kind} has questions")
            if len(self.hints) < 2:
                raise ValueError(f"lab '{self.id}' needs at least 2 hints")
        return self

    @property
    def module_name(self) -> str:
        """The lab's Python module name: its id with '-' as '_'."""
        return self.id.replace("-", "_")
