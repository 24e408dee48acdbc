"""Every lab, whatever its kind: a valid definition, titles for all its checks, a skeleton
that fails with a friendly message and a reference solution that passes."""

import ast
import importlib

import pytest
from harness_labs import failure_message, run_source

from dlpath.path.labs import catalog, checking, skeleton


FILE_LABS = [lab.id for lab in catalog.definitions().values()
             if lab.kind in ("code", "framework")]
CHECKED_LABS = [lab.id for lab in catalog.definitions().values() if lab.kind != "quiz"]


@pytest.mark.parametrize("lab_id", CHECKED_LABS)
def test_every_check_has_a_title_in_both_languages(lab_id):
    lab = catalog.get(lab_id)
    module = importlib.import_module(f"dlpath.path.labs.checks.{lab.module_name}")
    names = [name for name, _ in checking.checks_of(module)]
    assert names, f"{lab_id} has no checks"
    assert set(names) <= set(lab.checks), set(names) - set(lab.checks)


@pytest.mark.parametrize("lab_id", FILE_LABS)
def test_the_skeleton_fails_kindly_and_keeps_the_signatures(lab_id, tmp_path):
    lab = catalog.get(lab_id)
    text = skeleton.lab_file(lab, "zh")
    tree = ast.parse(text)
    defined = {node.name for node in tree.body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert set(skeleton.learner_functions(lab)) <= defined
    assert lab.title("zh") in ast.get_docstring(tree)
    result = run_source(lab_id, text, tmp_path)
    assert not result["passed"]
    assert "is not implemented yet" in failure_message(result, "en"), failure_message(result)
    assert "还没有实现" in failure_message(result, "zh")


@pytest.mark.parametrize("lab_id", [lab for lab in FILE_LABS
                                    if catalog.get(lab).kind == "code"])
def test_the_solved_file_is_the_reference_and_passes(lab_id, tmp_path):
    lab = catalog.get(lab_id)
    result = run_source(lab_id, skeleton.lab_file(lab, "en", solved=True), tmp_path, seed=11)
    assert result["passed"], failure_message(result)
