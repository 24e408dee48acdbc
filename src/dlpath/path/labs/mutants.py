"""Mechanical mutants of a reference solution, to measure how well a lab's checks catch
mistakes nobody wrote down: each mutant changes one thing — an arithmetic or comparison
operator swapped, a numeric constant changed, a term of a sum dropped, a call's argument
replaced — and a good checker fails far more of them than not.
"""

from __future__ import annotations

import ast
import copy
import signal
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
          ast.Pow: ast.Mult, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv,
          ast.MatMult: ast.Mult}
_COMPARE_SWAPS = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
                  ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


@dataclass(frozen=True)
class Mutant:
    description: str
    source: str


def _sites(tree, functions):
    """(function name, node) for every node inside the learner's functions, and inside the
    methods of the learner's classes."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in functions:
            bodies = [(f"{node.name}.{m.name}", m.body) for m in node.body
                      if isinstance(m, ast.FunctionDef)]
        elif isinstance(node, ast.FunctionDef) and node.name in functions:
            bodies = [(node.name, node.body)]
        else:
            continue
        for name, body in bodies:
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                     ast.Constant):
                body = body[1:]  # not the docstring
            for statement in body:
                for child in ast.walk(statement):
                    yield name, child


def mutants(source: str, functions, limit: int = 40) -> list[Mutant]:
    """Up to ``limit`` one-change mutants of ``source``'s ``functions``, spread evenly."""
    tree = ast.parse(source)
    plans = []
    for name, node in _sites(tree, functions):
        where = f"{name}, line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.BinOp) and type(node.op) in _SWAPS:
            plans.append((node, "op", f"{where}: {type(node.op).__name__} -> "
                                      f"{_SWAPS[type(node.op)].__name__}"))
            plans.append((node, "left", f"{where}: keep only the right operand"))
            plans.append((node, "right", f"{where}: keep only the left operand"))
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAPS:
            plans.append((node, "cmp", f"{where}: {type(node.ops[0]).__name__} -> "
                                       f"{_COMPARE_SWAPS[type(node.ops[0])].__name__}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            plans.append((node, "const", f"{where}: constant {node.value!r} changed"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            plans.append((node, "neg", f"{where}: unary minus dropped"))
    if len(plans) > limit:
        step = len(plans) / limit
        plans = [plans[int(i * step)] for i in range(limit)]
    out = []
    for target, how, description in plans:
        mutated = _apply(tree, target, how)
        if mutated is not None:
            out.append(Mutant(description, mutated))
    return out


def _apply(tree, target, how):
    clone = copy.deepcopy(tree)
    original = [n for n in ast.walk(tree)]
    copied = [n for n in ast.walk(clone)]
    node = copied[original.index(target)]
    if how == "op":
        node.op = _SWAPS[type(node.op)]()
    elif how == "cmp":
        node.ops[0] = _COMPARE_SWAPS[type(node.ops[0])]()
    elif how == "const":
        value = node.value
        node.value = (value + 1) if value in (0, -1) else (value * 2 if isinstance(value, int)
                                                           else value * 1.5)
    elif how in ("left", "right", "neg"):
        replacement = {"left": getattr(node, "right", None),
                       "right": getattr(node, "left", None),
                       "neg": getattr(node, "operand", None)}[how]
        if not _replace(clone, node, replacement):
            return None
    try:
        return ast.unparse(ast.fix_missing_locations(clone))
    except Exception:  # an unparsable mutant is no mutant
        return None


def _replace(tree, old, new) -> bool:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return True
            if isinstance(value, list) and any(v is old for v in value):
                value[value.index(old)] = new
                return True
    return False


@contextmanager
def _alarm(seconds: float):
    def stop(signum, frame):
        raise TimeoutError("mutant ran too long")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def kill_rate(lab, limit: int = 40, seed: int = 0, seconds: float = 10.0):
    """``(killed, total, survivors)`` of the lab's mutants, checked in this process."""
    import numpy as np

    from dlpath.path.labs import catalog, skeleton, worker

    source = catalog.solution_source(lab)
    functions = skeleton.learner_functions(lab)
    found = mutants(source, functions, limit)
    killed, survivors = 0, []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{lab.module_name}.py"
        for mutant in found:
            path.write_text(mutant.source, encoding="utf-8")
            try:
                with _alarm(seconds), np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    passed = worker.run(lab.id, str(path), seed)["passed"]
            except TimeoutError:
                passed = False
            if passed:
                survivors.append(mutant.description)
            else:
                killed += 1
    return killed, len(found), survivors
