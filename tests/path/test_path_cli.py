"""The path's commands in a subprocess, in Chinese and English: roadmap, show, roles, json,
progress and its export, the lab cycle, quizzes, and errors for unknown ids."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from dlpath.path.labs import catalog, skeleton


def dlpath(*args, home, lang=None, env=None, input_text=None):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "DLPATH_LANG")}
    environment["DLPATH_HOME"] = str(home)
    if lang:
        environment["DLPATH_LANG"] = lang
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "dlpath", *args], capture_output=True,
                          text=True, env=environment, timeout=120, input=input_text)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.mark.parametrize("lang, words", [("en", ["Mathematics", "Back-propagation"]),
                                         ("zh", ["数学", "反向传播"])])
def test_the_roadmap_lists_the_stages_with_states_and_bars(home, lang, words):
    result = dlpath("path", "--lang", lang, home=home)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word.lower() in result.stdout.lower()
    assert "\x1b[" not in result.stdout  # plain text into a pipe
    assert result.stdout.count("0/") >= 15  # a verified count per stage


def test_the_language_comes_from_the_locale_and_dlpath_lang_overrides(home):
    zh = dlpath("path", home=home, env={"LANG": "zh_CN.UTF-8"})
    assert "数学" in zh.stdout
    en = dlpath("path", home=home, env={"LANG": "zh_CN.UTF-8", "DLPATH_LANG": "en"})
    assert "Mathematics" in en.stdout and "数学" not in en.stdout
    bad = dlpath("path", home=home, env={"DLPATH_LANG": "fr"})
    assert bad.returncode == 1 and "DLPATH_LANG must be one of en, zh" in bad.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_keeps_its_field_names_and_filters_by_role(home, lang):
    result = dlpath("path", "--json", "--lang", lang, "--role", "product-manager", home=home)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["lang"] == lang and [r["id"] for r in document["roles"]] == [
        "product-manager"]
    skills = [s for stage in document["stages"] for s in stage["skills"]]
    assert skills and all("product-manager" in s["depth"] for s in skills)
    for field in ("id", "title", "labs", "recipes", "state", "formulas", "references"):
        assert all(field in s for s in skills), field
    assert {"decision-threshold", "bias-fairness"} <= {s["id"] for s in skills}
    full = json.loads(dlpath("path", "--json", "--lang", lang, home=home).stdout)
    assert len([s for st in full["stages"] for s in st["skills"]]) > len(skills)


@pytest.mark.parametrize("lang, words", [
    ("en", ["Formulas", "Where in dlpath", "dlpath.", "References", "Rumelhart"]),
    ("zh", ["公式", "dlpath 中的位置", "参考文献", "Rumelhart"])])
def test_show_gives_a_skill_with_formulas_code_labs_and_references(home, lang, words):
    result = dlpath("path", "show", "backpropagation", "--lang", lang, home=home)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout
    assert "dense-backward" in result.stdout


def test_show_gives_a_stage_with_its_skills(home):
    result = dlpath("path", "show", "optimization", "--lang", "en", home=home)
    assert result.returncode == 0 and "Adam" in result.stdout


@pytest.mark.parametrize("args, close", [(["path", "show", "backprop"], "backpropagation"),
                                         (["path", "--role", "product-manger"],
                                          "product-manager"),
                                         (["lab", "start", "softmx"], "softmax"),
                                         (["quiz", "optimisation"], "optimization")])
def test_unknown_ids_are_usage_errors_that_list_close_matches(home, args, close):
    result = dlpath(*args, home=home, lang="en")
    assert result.returncode == 2, result.stderr
    assert "did you mean" in result.stderr and close in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang, word", [("en", "Product manager"), ("zh", "产品经理")])
def test_roles_list_responsibilities_depths_and_labs(home, lang, word):
    result = dlpath("path", "roles", "--lang", lang, home=home)
    assert result.returncode == 0, result.stderr
    assert word in result.stdout and "pm-threshold" in result.stdout


def test_a_lab_from_start_to_verified_progress(home, tmp_path):
    work = tmp_path / "labs"
    assert "Nothing verified yet" in dlpath("progress", home=home, lang="en").stdout
    started = dlpath("lab", "start", "activations", "--dir", str(work), home=home, lang="en")
    assert started.returncode == 0 and (work / "activations.py").is_file()
    failed = dlpath("lab", "check", "--dir", str(work), home=home, lang="zh")
    assert failed.returncode == 1 and "还没有实现" in failed.stdout

    locked = dlpath("lab", "solution", "activations", home=home, lang="en")
    assert locked.returncode == 1 and "after 3 failed checks" in locked.stderr
    hints = [dlpath("lab", "hint", "activations", home=home, lang="en").stdout
             for _ in range(2)]
    assert hints[0].startswith("hint 1/") and hints[1].startswith("hint 2/")

    lab = catalog.get("activations")
    (work / "activations.py").write_text(skeleton.lab_file(lab, "en", solved=True))
    again = dlpath("lab", "start", "activations", "--dir", str(work), home=home, lang="en")
    assert "kept your work" in again.stdout
    passed = dlpath("lab", "check", "activations", "--dir", str(work), home=home, lang="en")
    assert passed.returncode == 0, passed.stdout
    assert "activations: passed" in passed.stdout

    shown = dlpath("lab", "solution", "activations", home=home, lang="en")
    assert shown.returncode == 0 and "def sigmoid" in shown.stdout
    listed = json.loads(dlpath("lab", "list", "--json", home=home).stdout)
    states = {row["id"]: row for row in listed}
    assert states["activations"]["state"] == "passed"
    assert {"id", "kind", "stage", "state"} <= set(listed[0])

    progress = dlpath("progress", home=home, lang="en")
    assert "activations" in progress.stdout
    out = tmp_path / "portfolio.json"
    exported = dlpath("progress", "export", str(out), home=home, lang="en")
    assert exported.returncode == 0, exported.stderr
    portfolio = json.loads(out.read_text())
    assert any(lab["id"] == "activations" and lab["state"] == "passed"
               for lab in portfolio["labs"])
    document = json.loads(dlpath("path", "--json", home=home).stdout)
    assert document["labs"]["activations"]["state"] == "passed"
    page = tmp_path / "path.html"
    assert dlpath("path", "html", str(page), home=home).returncode == 0
    embedded = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>',
                         page.read_text(encoding="utf-8"), re.S)
    on_page = json.loads(embedded.group(1))
    assert on_page["labs"]["activations"]["state"] == "passed"
    skill = next(s for st in on_page["stages"] for s in st["skills"]
                 if s["id"] == "activation-functions")
    assert skill["lab_states"]["activations"] == "passed"


def test_a_quiz_from_an_answer_sheet_records_its_result(home, tmp_path):
    quiz = catalog.get("quiz-mathematics")
    letters = "ABCDEFGHIJ"
    right = {q.id: letters[int(q.answer)] if q.kind == "choice" else q.answer
             for q in quiz.questions}
    sheet = tmp_path / "answers.yaml"
    wrong = {key: ("Z" if isinstance(value, str) else value + 1000)
             for key, value in right.items()}
    sheet.write_text(yaml.safe_dump(wrong))
    failed = dlpath("quiz", "mathematics", "--answers", str(sheet), home=home, lang="en")
    assert failed.returncode == 1 and "not passed yet" in failed.stdout
    sheet.write_text(yaml.safe_dump(right))
    passed = dlpath("quiz", "mathematics", "--answers", str(sheet), home=home, lang="zh")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "通过" in passed.stdout
    listed = {row["id"]: row["state"]
              for row in json.loads(dlpath("lab", "list", "--json", home=home).stdout)}
    assert listed["quiz-mathematics"] == "passed"


def test_a_quiz_without_a_terminal_asks_for_an_answer_sheet(home):
    result = dlpath("quiz", "mathematics", home=home, lang="en", input_text="")
    assert result.returncode == 1 and "--answers FILE" in result.stderr


def test_the_web_page_is_written(home, tmp_path):
    out = tmp_path / "path.html"
    result = dlpath("path", "html", str(out), "--lang", "zh", "--role", "product-manager",
                    home=home)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "<html" in out.read_text(encoding="utf-8").lower()
