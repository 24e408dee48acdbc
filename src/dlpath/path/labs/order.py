"""The order in which a learner meets the labs: the roadmap's order of skills."""

from __future__ import annotations

from dlpath.path.labs import catalog


def labs_in_order(roadmap, role: str | None = None) -> list[str]:
    """Every lab, in the order of the first skill that names it; with a role, the labs that
    verify the role's skills at the depths it needs them. Without a role, labs no skill
    names follow, in file order."""
    from dlpath.path.progress.states import needed_labs

    kinds = {lab_id: lab.kind for lab_id, lab in catalog.definitions().items()}
    seen: dict[str, None] = {}
    for skill in roadmap.skills_for(role):
        for lab_id in (skill.labs if role is None else needed_labs(skill, kinds, role)):
            seen.setdefault(lab_id, None)
    if role is None:
        for lab_id in catalog.lab_ids():
            seen.setdefault(lab_id, None)
    return [lab_id for lab_id in seen if lab_id in catalog.definitions()]


def next_lab(roadmap, lab_states, after: str, role: str | None = None,
             kinds=("code", "framework")) -> str | None:
    """The first lab after ``after`` in the track that is not passed and has a file."""
    ordered = labs_in_order(roadmap, role)
    start = ordered.index(after) + 1 if after in ordered else 0
    for lab_id in ordered[start:] + ordered[:start]:
        if lab_id == after or catalog.get(lab_id).kind not in kinds:
            continue
        if lab_states[lab_id].state != "passed":
            return lab_id
    return None
