"""Labs in Jupyter, with the same checks and the same progress store as the terminal::

    from dlpath.path import lab
    q = lab("lstm-cell")
    q.check(lstm_cell)      # runs the checks in a subprocess, records the attempt
    q.hint()
    q.solution()

``check`` takes the functions the lab asks for (by their names, as defined in the
notebook); their source, with the imports of the lab file, becomes the checked file.
"""

from __future__ import annotations

import ast
import html
import inspect
import linecache
import tempfile
import textwrap
from pathlib import Path

from dlpath.path.labs import actions, catalog, skeleton


def _preamble(lab) -> str:
    """The lab file's imports and module-level constants (they stand in the skeleton)."""
    tree = ast.parse(catalog.solution_source(lab))
    kept = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)
    return "\n".join(ast.unparse(node) for node in tree.body if isinstance(node, kept))


def _source(obj) -> str:
    """The source of a function or class. A class defined in a notebook cell has no file
    for ``inspect`` to read; its methods' code objects name the cell, whose text is in
    ``linecache``, so the class is found there."""
    try:
        return textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError):
        if not inspect.isclass(obj):
            raise
    for member in vars(obj).values():
        code = getattr(member, "__code__", None)
        if code is None:
            continue
        text = "".join(linecache.getlines(code.co_filename))
        for node in ast.walk(ast.parse(text)) if text else ():
            if isinstance(node, ast.ClassDef) and node.name == obj.__name__:
                return ast.get_source_segment(text, node, padded=True)
    raise OSError(f"no source for class {obj.__name__}")


def _with_helpers(functions) -> list:
    """``functions`` and, after them, the functions of the same module they call by name."""
    found = list(functions)
    index = 0
    while index < len(found):
        function = found[index]
        index += 1
        module = getattr(function, "__module__", None)
        for name in getattr(getattr(function, "__code__", None), "co_names", ()):
            helper = getattr(function, "__globals__", {}).get(name)
            if (inspect.isfunction(helper) and helper.__module__ == module
                    and helper not in found):
                found.append(helper)
    return found


class Result:
    """A check's outcome; shown as rich HTML in a notebook, as text elsewhere."""

    def __init__(self, report, lang: str):
        self.report, self.lang = report, lang
        self.passed = report.passed

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        lines = [("✓ " if c["passed"] else "✗ ") + f"{c['name']}: {c['message'][self.lang]}"
                 for c in self.report.checks]
        return "\n".join(lines + [f"{self.report.lab}: "
                                  + ("passed" if self.passed else "not passed yet")])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<li style='color:{'#1a7f37' if c['passed'] else '#cf222e'}'>"
            f"{'✓' if c['passed'] else '✗'} <b>{html.escape(c['name'])}</b>: "
            f"{html.escape(c['message'][self.lang])}</li>" for c in self.report.checks)
        verdict = ({"en": "passed", "zh": "通过"} if self.passed
                   else {"en": "not passed yet", "zh": "尚未通过"})[self.lang]
        colour = "#1a7f37" if self.passed else "#cf222e"
        return (f"<div style='border-left:4px solid {colour};padding:4px 10px'>"
                f"<b>{html.escape(self.report.lab)}</b>: {verdict}"
                f"<ul style='margin:4px 0'>{rows}</ul></div>")


class Text(str):
    """A hint or solution: plain text, shown pre-formatted in a notebook."""

    def _repr_html_(self) -> str:
        return f"<pre style='white-space:pre-wrap'>{html.escape(self)}</pre>"


class NotebookLab:
    def __init__(self, lab_id: str, lang: str | None = None, store=None):
        from dlpath.path.i18n import choose_language

        self.lab = catalog.get(lab_id)
        self.lang = choose_language(lang)
        self._store = store

    def _open(self):
        from dlpath.path.progress import ProgressStore

        return self._store or ProgressStore.open()

    def _done(self, store) -> None:
        if store is not self._store:
            store.close()

    def check(self, *functions, model=None) -> Result:
        """Check the given functions (or, for a project lab, ``model``: a file or run dir)."""
        store = self._open()
        try:
            if self.lab.kind == "project":
                report = actions.check(self.lab.id, store, self.lang, subject=Path(model))
                return Result(report, self.lang)
            with tempfile.TemporaryDirectory(prefix="dlpath-notebook-") as folder:
                path = Path(folder) / f"{self.lab.module_name}.py"
                path.write_text(self.source_of(functions), encoding="utf-8")
                report = actions.check(self.lab.id, store, self.lang, subject=path)
            return Result(report, self.lang)
        finally:
            self._done(store)

    def source_of(self, functions) -> str:
        """The lab file's imports and constants, then the functions (or classes) and the
    helpers they call."""
        parts = [_preamble(self.lab)]
        for function in _with_helpers(functions):
            try:
                parts.append(_source(function))
            except (OSError, TypeError):
                raise actions.LabError(
                    f"cannot read the source of {function!r}: define it in a cell (or a "
                    f"file) and pass the function itself") from None
        return "\n\n".join(parts) + "\n"

    def hint(self) -> Text:
        store = self._open()
        try:
            number, count, text = actions.hint(self.lab.id, store, self.lang)
            return Text(f"{number}/{count}: {text}")
        finally:
            self._done(store)

    def solution(self, force: bool = False) -> Text:
        store = self._open()
        try:
            return Text(actions.solution(self.lab.id, store, self.lang, force=force))
        finally:
            self._done(store)

    def skeleton(self) -> str:
        return skeleton.lab_file(self.lab, self.lang)

    def _repr_html_(self) -> str:
        return (f"<b>{html.escape(self.lab.title(self.lang))}</b> "
                f"<code>{self.lab.id}</code><pre style='white-space:pre-wrap'>"
                f"{html.escape(self.lab.task(self.lang))}</pre>")


def lab(lab_id: str, lang: str | None = None) -> NotebookLab:
    """The lab ``lab_id`` for use in a notebook (see the module docstring)."""
    return NotebookLab(lab_id, lang)
