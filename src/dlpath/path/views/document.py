"""The roadmap and the learner's progress as one JSON-ready document, in one language.

``dlpath path --json`` prints it and the web page embeds it, so both show the same data::

    {"lang", "role", "depths",
     "stages": [{"id", "order", "title", "summary", "prerequisites", "verified", "total",
                 "skills": [{"id", "title", "text", "prerequisites", "depth", "formulas",
                             "code", "labs", "recipes", "references", "state",
                             "verified_at", "lab_states", "needs"}]}],
     "roles": [{"id", "title", "summary", "responsibilities", "skills": {id: depth},
                "labs": [the lab ids that verify the role's skills at its depths]}],
     "labs": {id: {"title", "kind", "stage", "state"}}}

With a role, only the skills that role needs are listed, and states are that role's.
"""

from __future__ import annotations

import re

from dlpath.path.progress.states import needed_labs
from dlpath.path.schema import DEPTHS

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_BLOCK_START = re.compile(r"^\s*([-*+] |\d+[.)] |```|>|\|| {4})")


def reflow(text: str) -> str:
    """Join the lines a content file wraps inside a paragraph: with a space, or with nothing
    where either side is Chinese (a line break between two Chinese characters is no space).
    Blank lines, list items, quotes, tables and code blocks keep their line breaks."""
    out: list[str] = []
    in_code = False
    for line in text.splitlines():
        starts_block = bool(_BLOCK_START.match(line))
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if not out or not line.strip() or not out[-1].strip() or starts_block or in_code:
            out.append(line)
            continue
        previous = out[-1].rstrip()
        current = line.strip()
        cjk_edge = (re.match(f"[{_CJK}]", current[:1])
                    or re.match(f"[{_CJK}]", previous[-1:]))
        out[-1] = previous + ("" if cjk_edge else " ") + current
    return "\n".join(out)


def _reference(key, ref) -> dict:
    return {"key": key, "authors": list(ref.authors), "year": ref.year, "title": ref.title,
            "venue": ref.venue, "url": ref.url}


def skill_document(skill, stage, roadmap, progress, lang: str) -> dict:
    state = progress.skills[skill.id]
    return {
        "id": skill.id, "stage": stage.id, "title": skill.title(lang), "text": reflow(skill.text(lang)),
        "prerequisites": list(skill.prerequisites), "depth": dict(skill.depth),
        "formulas": [{"name": f.name(lang), "tex": f.tex, "code": f.code}
                     for f in skill.formulas],
        "code": list(skill.code), "labs": list(skill.labs), "recipes": list(skill.recipes),
        "references": [_reference(k, roadmap.references[k]) for k in skill.references],
        "state": state.state, "verified_at": state.verified_at,
        "lab_states": dict(state.labs), "needs": list(state.needs),
    }


def roadmap_document(roadmap, progress, lang: str, role: str | None = None) -> dict:
    """The document described above, for ``progress`` derived with the same ``role``."""
    from dlpath.path.labs import catalog

    labs = catalog.definitions()
    stages = []
    for stage in roadmap.stages:
        skills = [skill_document(s, stage, roadmap, progress, lang) for s in stage.skills
                  if role is None or role in s.depth]
        if not skills:
            continue
        done, total = progress.stage_counts(stage, role)
        stages.append({"id": stage.id, "order": stage.order, "title": stage.title(lang),
                       "summary": reflow(stage.summary(lang)),
                       "prerequisites": list(stage.prerequisites),
                       "verified": done, "total": total, "skills": skills})
    kinds = {lab_id: lab.kind for lab_id, lab in labs.items()}
    roles = []
    for r in roadmap.roles:
        if role is not None and r.id != role:
            continue
        needed = {s.id: s.depth[r.id] for s in roadmap.skills_for(r.id)}
        role_labs = sorted({lab for s in roadmap.skills_for(r.id)
                            for lab in needed_labs(s, kinds, r.id)})
        roles.append({"id": r.id, "title": r.title(lang), "summary": reflow(r.summary(lang)),
                      "responsibilities": [reflow(t(lang)) for t in r.responsibilities],
                      "skills": needed, "labs": role_labs})
    return {
        "lang": lang, "role": role, "depths": list(DEPTHS), "stages": stages, "roles": roles,
        "labs": {lab_id: {"title": lab.title(lang), "kind": lab.kind, "stage": lab.stage,
                          "state": progress.labs[lab_id].state if lab_id in progress.labs
                          else "not-started"}
                 for lab_id, lab in labs.items()},
    }
