"""The check process: a learner's file that does not parse, raises, loops for ever, prints
without end or crashes gives a clean failed attempt, and the skeleton a friendly one."""

import time
from pathlib import Path

from harness_labs import solution

from dlpath.path.labs import catalog, runner, skeleton

LAB = catalog.get("activations")


def _check(tmp_path: Path, source: str, **kwargs) -> runner.CheckReport:
    path = tmp_path / "activations.py"
    path.write_text(source, encoding="utf-8")
    return runner.run_checks(LAB, path, seed=3, **kwargs)


def test_the_reference_solution_passes_in_a_subprocess(tmp_path):
    report = _check(tmp_path, solution("activations"))
    assert report.passed, report.checks
    assert [c["name"] for c in report.checks] == ["values", "derivatives", "dtype",
                                                  "large-inputs"]
    assert len(report.digest) == 64


def test_the_skeleton_fails_with_a_friendly_not_implemented_message(tmp_path):
    report = _check(tmp_path, skeleton.lab_file(LAB, "en"))
    assert not report.passed
    assert "sigmoid is not implemented yet" in report.failure("en")
    assert "还没有实现" in report.failure("zh")


def test_a_syntax_error_names_the_line(tmp_path):
    report = _check(tmp_path, "import numpy as np\n\ndef sigmoid(x)\n    return x\n")
    assert not report.passed and "syntax error at line 3" in report.failure("en")


def test_an_exception_names_the_function_and_the_line(tmp_path):
    source = solution("activations").replace("    t = np.tanh(x)\n    return 1 - t * t",
                                             "    t = np.tanh(x)\n    return t[99]")
    report = _check(tmp_path, source)
    assert not report.passed
    message = report.failure("en")
    assert "tanh_grad raised IndexError" in message and "line" in message


def test_an_endless_loop_hits_the_time_limit_and_is_killed(tmp_path):
    source = solution("activations").replace("    return np.tanh(x)",
                                             "    while True:\n        pass")
    start = time.monotonic()
    report = _check(tmp_path, source, time_limit=3)
    assert time.monotonic() - start < 15
    assert not report.passed and "did not finish within 3 s" in report.failure("en")


def test_printing_without_end_is_stopped_and_reported(tmp_path):
    source = solution("activations").replace(
        "    return np.tanh(x)", "    while True:\n        print('x' * 10000)")
    report = _check(tmp_path, source, time_limit=60)
    assert not report.passed and "printed more than" in report.failure("en")
    assert len(report.output) <= runner.OUTPUT_SHOWN


def test_a_crash_of_the_interpreter_is_a_failed_attempt(tmp_path):
    source = "import os\nos._exit(7)\n"
    report = _check(tmp_path, source)
    assert not report.passed and "exit code 7" in report.failure("en")


def test_the_learners_output_is_shown_back_in_part(tmp_path):
    source = "print('hello from the lab')\n" + skeleton.lab_file(LAB, "en")
    report = _check(tmp_path, source)
    assert "hello from the lab" in report.output


def test_changing_an_input_in_place_is_named(tmp_path):
    source = solution("activations").replace(
        "    return np.maximum(x, 0).astype(x.dtype)",
        "    x[x < 0] = 0\n    return x")
    report = _check(tmp_path, source)
    assert not report.passed and "changed its input" in report.failure("en")
