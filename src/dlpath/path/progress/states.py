"""States derived from the attempts: of each lab, and of each skill for a role.

A lab is *passed* once an attempt passed its checks (or its quiz), *failed* while it has
attempts and none passed, *started* when only its file was written, else *not-started*.

A skill is *verified* when every lab it needs has passed, *in-progress* when any of its labs
has been started or attempted, else *not-started*. Which labs a skill needs depends on the
depth a role needs it at: each kind of lab shows a depth (a quiz shows that you can explain,
a code lab that you can implement, a project that you can ship; ``DEPTH_OF_KIND``), and a
role that needs a skill at depth *d* needs the skill's labs up to *d* — or, where the skill
has none that shallow, its shallowest ones. Without a role, a skill needs all its labs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dlpath.path.labs.schema import DEPTH_OF_KIND
from dlpath.path.schema import DEPTHS

LAB_STATES = ("not-started", "started", "failed", "passed")
SKILL_STATES = ("not-started", "in-progress", "verified")


@dataclass(frozen=True)
class LabState:
    lab: str
    state: str
    tries: int = 0  # checked attempts (code, quiz)
    failures: int = 0
    passed_at: str | None = None
    check_name: str = ""  # what verified it
    last_message: str = ""


@dataclass(frozen=True)
class SkillState:
    skill: str
    state: str
    needs: tuple[str, ...] = ()
    verified_at: str | None = None
    labs: dict = field(default_factory=dict)  # lab id -> its state name


def lab_states(attempts, lab_ids) -> dict[str, LabState]:
    """The state of every lab in ``lab_ids`` from a list of attempts (oldest first)."""
    by_lab: dict[str, list] = {lab: [] for lab in lab_ids}
    for attempt in attempts:
        by_lab.setdefault(attempt.lab, []).append(attempt)
    states = {}
    for lab, rows in by_lab.items():
        checked = [a for a in rows if a.kind in ("check", "quiz")]
        passes = [a for a in checked if a.passed]
        if passes:
            first = passes[0]
            state = LabState(lab, "passed", len(checked), len(checked) - len(passes),
                             first.at, first.check_name, checked[-1].message)
        elif checked:
            state = LabState(lab, "failed", len(checked), len(checked), None, "",
                             checked[-1].message)
        elif any(a.kind == "start" for a in rows):
            state = LabState(lab, "started")
        else:
            state = LabState(lab, "not-started")
        states[lab] = state
    return states


def needed_labs(skill, lab_kinds: dict[str, str], role: str | None) -> tuple[str, ...]:
    """The labs that verify ``skill`` for ``role`` (see the module docstring)."""
    labs = [lab for lab in skill.labs if lab in lab_kinds]
    if role is None or not labs:
        return tuple(labs)
    wanted = DEPTHS.index(skill.depth[role]) if role in skill.depth else len(DEPTHS) - 1
    depth = {lab: DEPTHS.index(DEPTH_OF_KIND[lab_kinds[lab]]) for lab in labs}
    shallow = [lab for lab in labs if depth[lab] <= wanted]
    if not shallow:
        least = min(depth.values())
        shallow = [lab for lab in labs if depth[lab] == least]
    return tuple(shallow)


def skill_states(roadmap, labs: dict[str, LabState], lab_kinds: dict[str, str],
                 role: str | None = None) -> dict[str, SkillState]:
    """The state of every skill of the roadmap for ``role`` (all labs when None)."""
    states = {}
    for skill in roadmap.skills.values():
        needs = needed_labs(skill, lab_kinds, role)
        lab_state = {lab: labs[lab].state for lab in skill.labs if lab in labs}
        if needs and all(labs[lab].state == "passed" for lab in needs):
            verified_at = max(labs[lab].passed_at for lab in needs)
            states[skill.id] = SkillState(skill.id, "verified", needs, verified_at, lab_state)
        elif any(state != "not-started" for state in lab_state.values()):
            states[skill.id] = SkillState(skill.id, "in-progress", needs, None, lab_state)
        else:
            states[skill.id] = SkillState(skill.id, "not-started", needs, None, lab_state)
    return states


@dataclass(frozen=True)
class Progress:
    """Everything the views show of a learner's progress, derived once."""

    labs: dict[str, LabState]
    skills: dict[str, SkillState]
    role: str | None

    def stage_counts(self, stage, role: str | None = None) -> tuple[int, int]:
        """(verified, total) skills of ``stage`` that ``role`` needs."""
        skills = [s for s in stage.skills if role is None or role in s.depth]
        done = sum(self.skills[s.id].state == "verified" for s in skills)
        return done, len(skills)


def learner_progress(roadmap, store, role: str | None = None) -> Progress:
    """The learner's progress from the store (``store`` may be None: nothing done yet)."""
    from dlpath.path.labs import catalog

    kinds = {lab_id: lab.kind for lab_id, lab in catalog.definitions().items()}
    attempts = store.attempts() if store is not None else []
    labs = lab_states(attempts, kinds)
    return Progress(labs, skill_states(roadmap, labs, kinds, role), role)
