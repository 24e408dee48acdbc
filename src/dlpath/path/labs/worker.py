"""The check process: ``python -m dlpath.path.labs.worker LAB SUBJECT RESULT [SEED]``.

Runs in a subprocess of :mod:`dlpath.path.labs.runner`, under its time, memory and output
limits. It loads the learner's file (or, for a project lab, hands the model path to the
checks), runs the lab's checks in order until the first failure, and writes the outcome as
JSON to RESULT, with every message rendered in both languages.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import traceback
from pathlib import Path

import numpy as np

from dlpath.path.labs import catalog, checking
from dlpath.path.labs.messages import render


def _load_learner(path: Path):
    """The learner's file as a module; a syntax error or a raise is a CheckFailed."""
    source = path.read_text(encoding="utf-8", errors="replace")
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as error:
        checking.fail("syntax_error", line=error.lineno, error=error.msg)
    spec = importlib.util.spec_from_loader("learner_lab", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(path)
    sys.modules["learner_lab"] = module
    try:
        exec(code, module.__dict__)
    except Exception as error:
        checking.fail("import_raised", error=f"{type(error).__name__}: {error}",
                      line=checking.learner_line(error))
    return module


def run(lab_id: str, subject: str, seed: int) -> dict:
    lab = catalog.get(lab_id)
    checks_module = importlib.import_module(f"dlpath.path.labs.checks.{lab.module_name}")
    rng = np.random.default_rng(seed)
    results = []
    try:
        if lab.kind == "project":
            learner = Path(subject)
        else:
            checking.LEARNER_FILE = str(Path(subject))
            learner = _load_learner(Path(subject))
            for name in getattr(checks_module, "FUNCTIONS", []):
                if not callable(getattr(learner, name, None)):
                    checking.fail("missing_function", name=name)
    except checking.CheckFailed as failure:
        return {"passed": False, "seed": seed, "checks": [
            {"name": "load", "passed": False, "message": render(lab, failure.key,
                                                                failure.params)}]}
    for name, function in checking.checks_of(checks_module):
        try:
            reached = function(learner, rng)  # a dict fills the check's title
        except checking.CheckFailed as failure:
            results.append({"name": name, "passed": False,
                            "message": render(lab, failure.key, failure.params)})
            break
        except NotImplementedError:
            results.append({"name": name, "passed": False,
                            "message": render(lab, "not_implemented", {"name": name})})
            break
        except Exception as error:
            line = checking.learner_line(error)
            key, params = ("raised", {"name": name, "error": f"{type(error).__name__}: "
                                      f"{error}", "line": line, "case": "-"})
            if line == "?":
                key, params = "checker_error", {"error": traceback.format_exc(limit=3)}
            results.append({"name": name, "passed": False,
                            "message": render(lab, key, params)})
            break
        results.append({"name": name, "passed": True,
                        "message": render_title(lab, name, reached)})
    passed = bool(results) and all(r["passed"] for r in results)
    return {"passed": passed, "seed": seed, "checks": results}


def render_title(lab, name: str, reached=None) -> dict:
    """A passed check's title, filled with what the check returned (e.g. the accuracy a
    project reached)."""
    text = lab.checks.get(name)
    if text is None:
        return {"en": name, "zh": name}
    params = reached if isinstance(reached, dict) else {}
    return {lang: _fill(text(lang), params) for lang in ("en", "zh")}


def _fill(template: str, params: dict) -> str:
    from dlpath.path.labs.messages import _Blank

    try:
        return template.format_map(_Blank(params))
    except (ValueError, IndexError, KeyError):
        return template


def main(argv) -> int:
    lab_id, subject, result_path = argv[:3]
    seed = int(argv[3]) if len(argv) > 3 else 0
    result = run(lab_id, subject, seed)
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
