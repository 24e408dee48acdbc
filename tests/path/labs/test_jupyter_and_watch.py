"""The same labs in Jupyter (a generated notebook executed with nbclient) and under
``dlpath lab watch`` (a correct save passes within seconds), with the same progress store."""

import inspect
import os
import queue
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from harness_labs import solution
from nbclient import NotebookClient

from dlpath.path.labs import catalog, skeleton
from dlpath.path.labs.jupyter import NotebookLab
from dlpath.path.labs.notebooks import build_notebook
from dlpath.path.progress import ProgressStore


def test_a_generated_notebook_with_the_solutions_filled_in_runs_and_records(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("DLPATH_HOME", str(tmp_path / "home"))
    notebook = build_notebook("mathematics", "zh", solved=True)
    nbformat.validate(notebook)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code"
               for o in cell.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert html and all("通过" in h and "尚未" not in h for h in html)
    with ProgressStore.open(tmp_path / "home" / "progress.sqlite3") as store:
        checked = [a for a in store.attempts() if a.kind == "check"]
    labs = [lab.id for lab in catalog.definitions().values()
            if lab.stage == "mathematics" and lab.kind == "code"]
    assert labs and sorted(a.lab for a in checked if a.passed) == sorted(labs)


def test_the_notebook_skeleton_fails_with_not_implemented(tmp_path):
    notebook = build_notebook("mathematics", "en", solved=False)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert any("raise NotImplementedError" in source for source in code)


def test_check_in_a_notebook_takes_functions_and_their_helpers(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_HOME", str(tmp_path / "home"))
    module = tmp_path / "learner_cells.py"
    module.write_text(solution("activations").replace(
        "    return np.tanh(x)\n", "    return _tanh_helper(x)\n")
        + "\n\ndef _tanh_helper(x):\n    return np.tanh(x)\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import learner_cells
    finally:
        sys.path.remove(str(tmp_path))
    q = NotebookLab("activations", "en")
    names = skeleton.learner_functions(q.lab)
    result = q.check(*[getattr(learner_cells, name) for name in names])
    assert result.passed, repr(result)
    assert "passed" in result._repr_html_() and "_tanh_helper" in q.source_of(
        [learner_cells.tanh])
    assert q.hint().startswith("1/")
    assert "def sigmoid" in q.solution()
    assert inspect.isclass(type(result))


def _lines_of(process) -> "queue.Queue[str]":
    """The process's output lines, read by a thread so that a silent process cannot hang
    the test."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines, text: str, seconds: float, seen: list) -> None:
    deadline = time.monotonic() + seconds
    while not any(text in line for line in seen):
        left = deadline - time.monotonic()
        assert left > 0, f"{text!r} not printed within {seconds} s: {''.join(seen)}"
        try:
            seen.append(lines.get(timeout=left))
        except queue.Empty:
            pass


def test_a_class_defined_in_a_notebook_cell_is_found_in_its_cell(tmp_path, monkeypatch):
    import linecache

    from dlpath.path.labs.jupyter import _source

    monkeypatch.setenv("DLPATH_HOME", str(tmp_path / "home"))
    cell = ("import numpy as np\n\nclass Scale:\n    def __init__(self, k):\n"
            "        self.k = k\n\n    def __call__(self, x):\n        return self.k * x\n")
    name = "<ipython-input-7-abc>"  # how IPython names a cell; inspect cannot read it
    linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
    namespace = {"__name__": "__main__"}
    exec(compile(cell, name, "exec"), namespace)
    source = _source(namespace["Scale"])
    assert source.startswith("class Scale:") and "return self.k * x" in source


def test_watch_passes_within_seconds_of_a_correct_save(tmp_path):
    env = dict(os.environ, DLPATH_HOME=str(tmp_path / "home"), DLPATH_LANG="en")
    work = tmp_path / "labs"
    process = subprocess.Popen(
        [sys.executable, "-m", "dlpath", "lab", "watch", "activations", "--dir", str(work)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines, seen = _lines_of(process), []
        _wait_for(lines, "not passed yet", 60, seen)  # the skeleton's first check
        saved = time.monotonic()
        lab = catalog.get("activations")
        (work / "activations.py").write_text(skeleton.lab_file(lab, "en", solved=True))
        _wait_for(lines, "activations: passed", 10, seen)
        assert time.monotonic() - saved < 10
        _wait_for(lines, "next lab:", 20, seen)
    finally:
        process.kill()
        process.wait()
