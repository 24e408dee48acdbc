"""The roadmap and the learner's progress as one JSON-ready document, in one language.

``dlpath path --json`` prints it and the web page embeds it, so both show the same data::

    {"lang", "role", "depths",
     "stages": [{"id", "order", "title", "summary", "prerequisites", "verified", "total",
                 "skills": [{"id", "title", "text", "prerequisites", "depth", "formulas",
                             "code", "labs", "recipes", "references", "state",
                             "verified_at", "lab_states", "needs"}]}],
     "roles": [{"id", "title", "summary", "responsibilities", "skills": {id: depth},
                "labs": [lab ids]}],
     "labs": {id: {"title", "kind", "stage", "state"}}}

With a role, only the skills that role needs are listed, and states are that role's.
"""

from __future__ import annotations

from dlpath.path.schema import DEPTHS


def _reference(key, ref) -> dict:
    return {"key": key, "authors": list(ref.authors), "year": ref.year, "title": ref.title,
            "venue": ref.venue, "url": ref.url}


def skill_document(skill, stage, roadmap, progress, lang: str) -> dict:
    state = progress.skills[skill.id]
    return {
        "id": skill.id, "stage": stage.id, "title": skill.title(lang), "text": skill.text(lang),
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
                       "summary": stage.summary(lang),
                       "prerequisites": list(stage.prerequisites),
                       "verified": done, "total": total, "skills": skills})
    roles = []
    for r in roadmap.roles:
        if role is not None and r.id != role:
            continue
        needed = {s.id: s.depth[r.id] for s in roadmap.skills_for(r.id)}
        role_labs = sorted({lab for s in roadmap.skills_for(r.id) for lab in s.labs})
        roles.append({"id": r.id, "title": r.title(lang), "summary": r.summary(lang),
                      "responsibilities": [t(lang) for t in r.responsibilities],
                      "skills": needed, "labs": role_labs})
    return {
        "lang": lang, "role": role, "depths": list(DEPTHS), "stages": stages, "roles": roles,
        "labs": {lab_id: {"title": lab.title(lang), "kind": lab.kind, "stage": lab.stage,
                          "state": progress.labs[lab_id].state if lab_id in progress.labs
                          else "not-started"}
                 for lab_id, lab in labs.items()},
    }
