"""The roadmap's content: schema-valid in both languages, a DAG, links that resolve,
references complete, every early skill verifiable, a real product-manager track."""

import re

import pytest
import yaml

from dlpath.path import roadmap as roadmap_module
from dlpath.path.labs import catalog
from dlpath.path.roadmap import ContentError, dangling_links, load_roadmap
from dlpath.path.schema import ROLE_IDS, Stage

STAGE_IDS = ["mathematics", "ml-basics", "neural-network-basics", "optimization",
             "regularization", "convolutional-networks", "sequence-models",
             "generative-models", "attention-transformers", "engineering-workflow",
             "deployment", "applications", "responsible-dl", "tools-practice", "career"]
PM_SKILLS = ["metrics-business-meaning", "decision-threshold", "data-requirements-leakage",
             "automl-place", "model-limits", "serving-cost-latency", "privacy-data-security",
             "bias-fairness"]
PM_LABS = ["pm-threshold", "pm-leakage", "pm-serving-cost", "pm-group-errors"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def roadmap():
    return load_roadmap()


def _texts(model):
    """Every bilingual Text inside a stage or role, with a path naming it."""
    from pydantic import BaseModel

    from dlpath.path.schema import Text

    def walk(value, where):
        if isinstance(value, Text):
            yield where, value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), f"{where}.{name}")
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from walk(item, f"{where}[{i}]")
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{where}.{key}")

    yield from walk(model, getattr(model, "id", "?"))


def test_the_fifteen_stages_are_there_in_order(roadmap):
    assert [s.id for s in roadmap.stages] == STAGE_IDS
    assert [s.order for s in roadmap.stages] == list(range(1, 16))
    for stage in roadmap.stages:
        assert 3 <= len(stage.skills) <= 9, stage.id


def test_every_text_is_in_chinese_and_english(roadmap):
    count = 0
    for item in list(roadmap.stages) + list(roadmap.roles):
        for where, text in _texts(item):
            count += 1
            assert CJK.search(text.zh), f"{where}: the zh text has no Chinese: {text.zh[:60]!r}"
            assert text.en != text.zh or not CJK.search(text.en), where
    assert count > 300


def test_skill_texts_are_of_substance(roadmap):
    for skill in roadmap.skills.values():
        assert len(skill.text.en.split()) >= 60, f"{skill.id}: the English text is too short"
        assert len(skill.text.zh) >= 100, f"{skill.id}: the Chinese text is too short"


def test_a_text_in_one_language_only_is_a_content_error(monkeypatch, tmp_path):
    stage = yaml.safe_load(
        (roadmap_module.resources.files("dlpath.path") / "content" / "stages"
         / "01-mathematics.yaml").read_text(encoding="utf-8"))
    del stage["skills"][0]["title"]["zh"]
    with pytest.raises(ContentError, match=r"skills\.0\.title\.zh"):
        roadmap_module._validate(Stage, stage, "01-mathematics.yaml")


def test_prerequisites_form_a_dag_and_a_cycle_is_named():
    roadmap_module._check_acyclic({"a": ["b"], "b": ["c"], "c": []})
    with pytest.raises(ContentError, match="a -> b -> c -> a"):
        roadmap_module._check_acyclic({"a": ["b"], "b": ["c"], "c": ["a"]})


def test_skill_prerequisites_come_from_the_same_or_earlier_stages(roadmap):
    order = {skill_id: stage.order for skill_id, stage in roadmap.stage_of.items()}
    for skill in roadmap.skills.values():
        for need in skill.prerequisites:
            assert order[need] <= order[skill.id], f"{skill.id} needs the later {need}"


def test_every_lab_recipe_and_code_path_named_exists(roadmap):
    assert dangling_links(roadmap) == []


def test_references_are_complete_and_cited(roadmap):
    cited = {key for skill in roadmap.skills.values() for key in skill.references}
    for key, ref in roadmap.references.items():
        assert ref.authors and all(a.strip() for a in ref.authors), key
        assert 1600 <= ref.year <= 2026, key
        assert len(ref.title) > 3 and ref.venue.strip(), key
        assert key in cited, f"reference {key} is defined but no skill cites it"
    assert len(roadmap.references) >= 60


def test_every_skill_of_stages_1_to_11_is_verified_by_a_lab_or_recipe(roadmap):
    for stage in roadmap.stages[:11]:
        for skill in stage.skills:
            assert skill.labs or skill.recipes, f"{skill.id} has no lab and no recipe"
            assert skill.labs, f"{skill.id} has no lab that would verify it"


def test_every_stage_has_its_quiz_and_every_lab_verifies_some_skill(roadmap):
    for stage in roadmap.stages:
        assert f"quiz-{stage.id}" in catalog.definitions()
    named = {lab for skill in roadmap.skills.values() for lab in skill.labs}
    assert set(catalog.lab_ids()) <= named, set(catalog.lab_ids()) - named


def test_every_role_has_a_track_at_several_depths(roadmap):
    assert [r.id for r in roadmap.roles] == list(ROLE_IDS)
    for role in roadmap.roles:
        skills = roadmap.skills_for(role.id)
        assert len(skills) >= 20, role.id
        assert len({s.depth[role.id] for s in skills}) >= 3, role.id


def test_the_product_manager_track_has_its_own_skills_and_labs(roadmap):
    for skill_id in PM_SKILLS:
        skill = roadmap.skills[skill_id]
        assert skill.depth.get("product-manager") in ("explain", "implement"), skill_id
    pm_labs = {lab for s in roadmap.skills_for("product-manager") for lab in s.labs}
    assert set(PM_LABS) <= pm_labs
    engineer_only = [s for s in roadmap.skills_for("ml-engineer")
                     if "product-manager" not in s.depth]
    assert engineer_only, "the PM track must not be a copy of the engineer's"


def test_quizzes_have_sixty_questions_with_explanations():
    quizzes = [lab for lab in catalog.definitions().values() if lab.kind == "quiz"]
    assert sum(len(q.questions) for q in quizzes) >= 60
    numeric = [q for lab in quizzes for q in lab.questions if q.kind == "numeric"]
    assert len(numeric) >= 15


def test_the_lab_catalog_meets_its_counts():
    kinds = [lab.kind for lab in catalog.definitions().values()]
    assert kinds.count("code") >= 30
    assert kinds.count("framework") >= 6
    assert kinds.count("project") >= 7
    for lab in catalog.definitions().values():
        assert lab.stage in STAGE_IDS, lab.id
