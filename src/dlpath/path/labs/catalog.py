"""Every lab by id, read from ``labs/definitions/*.yaml`` and checked against the schema."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from dlpath.path.labs.schema import LabDefinition
from dlpath.path.roadmap import ContentError, _validate, unknown_id


@functools.lru_cache(maxsize=1)
def definitions() -> dict[str, LabDefinition]:
    """Lab id -> its definition, in file-name order."""
    folder = resources.files("dlpath.path.labs") / "definitions"
    labs: dict[str, LabDefinition] = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".yaml"):
            continue
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ContentError(f"{file.name}: not valid YAML: {error}") from None
        lab = _validate(LabDefinition, data, file.name)
        if file.name != f"{lab.id}.yaml":
            raise ContentError(f"{file.name}: holds lab '{lab.id}'; name it {lab.id}.yaml")
        labs[lab.id] = lab
    return labs


def lab_ids() -> list[str]:
    return list(definitions())


def get(lab_id: str) -> LabDefinition:
    """The lab called ``lab_id``; an unknown id lists the close matches."""
    labs = definitions()
    if lab_id not in labs:
        raise unknown_id("lab", lab_id, labs)
    return labs[lab_id]


def solution_source(lab: LabDefinition) -> str:
    """The reference solution: the complete solved lab file."""
    file = resources.files("dlpath.path.labs") / "solutions" / f"{lab.module_name}.py"
    return file.read_text(encoding="utf-8")
