"""The roadmap: stages, skills and roles, loaded from the content files and checked.

    roadmap = load_roadmap()
    roadmap.stages[0].skills[0].title("zh")
    roadmap.find("lstm")            # a stage or a skill by id

Loading validates each file against :mod:`dlpath.path.schema` and the whole against itself:
ids unique across stages and skills, prerequisites naming known ids and forming no cycle,
references cited by skills defined in their stage (and defined alike where two stages share
one). Whether labs, recipes and code paths exist is checked by :func:`dangling_links`, which
imports more and so runs in tests and ``dlpath path --check``, not at every load.
"""

from __future__ import annotations

import difflib
import functools
import importlib
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import ValidationError

from dlpath.path.schema import Reference, Role, RolesFile, Skill, Stage


class ContentError(ValueError):
    """A content file does not follow the schema, or the files disagree with each other."""


class UnknownId(KeyError):
    """An id that names no stage, skill, role or lab; the message lists close matches."""

    def __str__(self) -> str:
        return self.args[0]


def unknown_id(kind: str, name: str, known) -> UnknownId:
    """An :class:`UnknownId` for ``name`` with the closest of ``known`` suggested."""
    close = difflib.get_close_matches(name, list(known), n=5, cutoff=0.5)
    if not close:
        close = [k for k in known if name in k or k in name][:5]
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    return UnknownId(f"unknown {kind} '{name}'{hint}")


@dataclass(frozen=True)
class Roadmap:
    stages: tuple[Stage, ...]
    roles: tuple[Role, ...]
    references: dict[str, Reference]

    # ------------------------------------------------------------------ lookups
    @functools.cached_property
    def skills(self) -> dict[str, Skill]:
        return {skill.id: skill for stage in self.stages for skill in stage.skills}

    @functools.cached_property
    def stage_of(self) -> dict[str, Stage]:
        return {skill.id: stage for stage in self.stages for skill in stage.skills}

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise unknown_id("stage", stage_id, [s.id for s in self.stages])

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise unknown_id("role", role_id, [r.id for r in self.roles])

    def find(self, item_id: str) -> Stage | Skill:
        """The stage or skill called ``item_id``."""
        for stage in self.stages:
            if stage.id == item_id:
                return stage
        if item_id in self.skills:
            return self.skills[item_id]
        known = [s.id for s in self.stages] + list(self.skills)
        raise unknown_id("stage or skill", item_id, known)

    def skills_for(self, role_id: str | None) -> list[Skill]:
        """Every skill a role needs (every skill when ``role_id`` is None), in roadmap order."""
        if role_id is not None:
            self.role(role_id)
        return [skill for stage in self.stages for skill in stage.skills
                if role_id is None or role_id in skill.depth]

    def labs_of(self, skill_id: str) -> list[str]:
        return list(self.skills[skill_id].labs)

    def skills_verified_by(self, lab_id: str) -> list[str]:
        return [skill.id for skill in self.skills.values() if lab_id in skill.labs]


# ---------------------------------------------------------------------- loading
def _content_files():
    root = resources.files("dlpath.path") / "content"
    stages = sorted((f for f in (root / "stages").iterdir() if f.name.endswith(".yaml")),
                    key=lambda f: f.name)
    return root / "roles.yaml", stages


def _read_yaml(file) -> object:
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{file.name}: not valid YAML: {error}") from None


def _validate(model, data, name):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:10])
        raise ContentError(f"{name}: {problems}") from None


@functools.lru_cache(maxsize=1)
def load_roadmap() -> Roadmap:
    """Read and check every content file (cached: the files ship with the package)."""
    roles_file, stage_files = _content_files()
    roles = _validate(RolesFile, _read_yaml(roles_file), roles_file.name).roles
    stages = [_validate(Stage, _read_yaml(f), f.name) for f in stage_files]
    for file, stage in zip(stage_files, stages):
        if not file.name.endswith(f"-{stage.id}.yaml"):
            raise ContentError(f"{file.name}: holds stage '{stage.id}'; name the file "
                               f"NN-{stage.id}.yaml")
    stages.sort(key=lambda s: s.order)
    references = _check_references(stages)
    roadmap = Roadmap(tuple(stages), tuple(roles), references)
    _check_ids(roadmap)
    _check_prerequisites(roadmap)
    return roadmap


def _check_references(stages) -> dict[str, Reference]:
    merged: dict[str, Reference] = {}
    for stage in stages:
        for key, ref in stage.references.items():
            if key in merged and merged[key] != ref:
                raise ContentError(f"stage '{stage.id}': reference '{key}' differs from the "
                                   f"one of the same key in another stage")
            merged[key] = ref
        for skill in stage.skills:
            for key in skill.references:
                if key not in stage.references:
                    raise ContentError(f"skill '{skill.id}' cites '{key}', which stage "
                                       f"'{stage.id}' does not define under references")
    return merged


def _check_ids(roadmap: Roadmap) -> None:
    seen: dict[str, str] = {}
    orders = set()
    for stage in roadmap.stages:
        if stage.order in orders:
            raise ContentError(f"two stages have order {stage.order}")
        orders.add(stage.order)
        for item_id, what in [(stage.id, "stage")] + [(s.id, "skill") for s in stage.skills]:
            if item_id in seen:
                raise ContentError(f"id '{item_id}' is used by a {seen[item_id]} and a {what}")
            seen[item_id] = what
    role_ids = [r.id for r in roadmap.roles]
    if len(set(role_ids)) != len(role_ids):
        raise ContentError("roles.yaml names a role twice")


def _check_prerequisites(roadmap: Roadmap) -> None:
    """Prerequisites name known ids of the same kind and form a DAG (no cycle)."""
    stage_ids = {s.id for s in roadmap.stages}
    graph = {s.id: list(s.prerequisites) for s in roadmap.stages}
    graph.update({k: list(s.prerequisites) for k, s in roadmap.skills.items()})
    for node, needs in graph.items():
        kind = "stage" if node in stage_ids else "skill"
        pool = stage_ids if kind == "stage" else set(roadmap.skills)
        for need in needs:
            if need not in pool:
                raise ContentError(f"{kind} '{node}' needs '{need}', which is no known "
                                   f"{kind}")
    _check_acyclic(graph)


def _check_acyclic(graph: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in graph:
        if state.get(start):
            continue
        stack = [(start, iter(graph[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                path = [n for n, _ in stack] + [child]
                raise ContentError("prerequisites form a cycle: " + " -> ".join(path))
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(graph[child])))


# ---------------------------------------------------------------------- cross-links
def resolve_code_path(path: str):
    """Import ``dlpath.module[:attr.attr]`` and return the object; raises when missing."""
    module_name, _, attrs = path.partition(":")
    obj = importlib.import_module(module_name)
    for attr in filter(None, attrs.split(".")):
        obj = getattr(obj, attr)
    return obj


def dangling_links(roadmap: Roadmap) -> list[str]:
    """Every lab, recipe or code path the content names that does not exist."""
    from dlpath.path.labs import catalog
    from dlpath.recipes.registry import _MODULES as recipe_modules

    problems = []
    lab_ids = set(catalog.lab_ids())
    for skill in roadmap.skills.values():
        for lab_id in skill.labs:
            if lab_id not in lab_ids:
                problems.append(f"skill '{skill.id}': unknown lab '{lab_id}'")
        for recipe in skill.recipes:
            if recipe not in recipe_modules:
                problems.append(f"skill '{skill.id}': unknown recipe '{recipe}'")
        paths = list(skill.code) + [f.code for f in skill.formulas if f.code]
        for path in paths:
            try:
                resolve_code_path(path)
            except (ImportError, AttributeError) as error:
                problems.append(f"skill '{skill.id}': code path '{path}' not found ({error})")
    return problems
