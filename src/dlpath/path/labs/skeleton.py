"""The lab file a learner edits, made from the reference solution.

The solution (``labs/solutions/<lab_id>.py``) is a complete, solved lab file. The skeleton
keeps its imports, constants and the signature and docstring of every function the learner
writes (the checks module's ``FUNCTIONS``), and replaces each body with
``raise NotImplementedError``; for a class the learner writes, each method's body. Helper
functions and classes of the solution are left out. Both get a
module docstring in the learner's language: the lab's title, task and how to check it.
"""

from __future__ import annotations

import ast
import importlib

from dlpath.path.labs import catalog

_UI = {
    "en": "Check your work with:  dlpath lab check {id}\nA hint:  dlpath lab hint {id}",
    "zh": "检查你的代码：  dlpath lab check {id}\n提示：  dlpath lab hint {id}",
}


def learner_functions(lab) -> list[str]:
    module = importlib.import_module(f"dlpath.path.labs.checks.{lab.module_name}")
    return list(getattr(module, "FUNCTIONS", []))


def header(lab, lang: str) -> str:
    text = f"dlpath lab {lab.id}: {lab.title(lang)}\n\n{lab.task(lang)}\n\n"
    return '"""' + (text + _UI[lang].format(id=lab.id)).replace('"""', "'''") + '\n"""\n'


def lab_file(lab, lang: str, solved: bool = False) -> str:
    """The text of ``DIR/<lab>.py``: the skeleton, or with ``solved`` the solution."""
    source = catalog.solution_source(lab)
    tree = ast.parse(source)
    lines = source.splitlines()
    keep = set(learner_functions(lab))
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # the solution's own module docstring: replaced by the header
    pieces = []
    for node in body:
        start = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                 else node.lineno)
        chunk = lines[start - 1:node.end_lineno]
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not solved:
            if node.name not in keep:
                continue
            chunk = _stub(node, lines) if isinstance(node, ast.FunctionDef) else \
                _stub_class(node, lines)
        pieces.append(("\n".join(chunk), isinstance(node, (ast.Import, ast.ImportFrom))))
    return header(lab, lang) + "\n" + _join(pieces) + "\n"


def _stub(node: ast.FunctionDef, lines: list[str]) -> list[str]:
    first = node.body[0]
    has_doc = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
               and isinstance(first.value.value, str))
    signature_end = first.lineno - 1
    kept = lines[(node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1:
                 (first.end_lineno if has_doc else signature_end)]
    indent = " " * (first.col_offset)
    return kept + [f'{indent}raise NotImplementedError("write {node.name}")']


def _stub_class(node: ast.ClassDef, lines: list[str]) -> list[str]:
    """The class with its docstring and its methods' signatures and docstrings."""
    out = lines[(node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1:
                node.body[0].lineno - 1]
    for statement in node.body:
        start = (statement.decorator_list[0].lineno
                 if getattr(statement, "decorator_list", None) else statement.lineno)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if out and out[-1].strip():
                out.append("")
            out.extend(_stub(statement, lines))
        else:  # the docstring, class attributes
            out.extend(lines[start - 1:statement.end_lineno])
    return out


def _join(pieces: list[tuple[str, bool]]) -> str:
    """Top-level statements two blank lines apart, consecutive imports together."""
    out = []
    previous_import = False
    for text, is_import in pieces:
        if out:
            out.append("\n" if is_import and previous_import else "\n\n\n")
        out.append(text)
        previous_import = is_import
    return "".join(out)
