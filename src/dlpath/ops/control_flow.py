"""Control flow for eager code: ``cond``, ``switch_case``, ``while_loop``, ``fori_loop``,
``scan``, ``map`` and ``associative_scan`` as plain Python loops (dlpath always runs eagerly,
so the gradient flows through whichever branch and iterations ran)."""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.ops import array
from dlpath.ops._convert import convert_to_tensor, values


def _truth(pred, owner: str) -> bool:
    data = values(pred)
    if data.size != 1:
        raise ValueError(f"{owner}: pred must be a single boolean, got shape {data.shape}")
    return bool(data.reshape(()))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """true_fn() if pred else false_fn()."""
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond: true_fn and false_fn must be callables")
    return true_fn() if _truth(pred, "cond") else false_fn()


def switch_case(branch_index, branch_fns, default=None, name=None):
    """branch_fns[branch_index](), or default() when the index is out of range (the last
    branch when there is no default, as TensorFlow)."""
    if isinstance(branch_fns, dict):
        branches = dict(branch_fns)
    else:
        branches = dict(enumerate(branch_fns))
    if not branches:
        raise ValueError("switch_case: branch_fns is empty")
    index = int(values(branch_index))
    if index in branches:
        return branches[index]()
    return default() if default is not None else branches[builtins.max(branches)]()


def _call(fn, state, packed: bool):
    return fn(*state) if packed else fn(state)


def while_loop(cond, body, loop_vars, maximum_iterations=None, **_options):
    """Repeat ``loop_vars = body(loop_vars)`` while ``cond(loop_vars)``; a tuple or list of
    loop variables is passed positionally to both."""
    packed = isinstance(loop_vars, (tuple, list))
    state = loop_vars
    steps = 0
    while _truth(_call(cond, state, packed), "while_loop"):
        if maximum_iterations is not None and steps >= int(maximum_iterations):
            break
        state = _call(body, state, packed)
        if packed and not isinstance(state, (tuple, list)):
            state = (state,)
        steps += 1
    return type(loop_vars)(state) if packed else state


def fori_loop(lower, upper, body_fun, init_val):
    """val = body_fun(i, val) for i in range(lower, upper)."""
    value = init_val
    for i in builtins.range(int(values(lower)), int(values(upper))):
        value = body_fun(i, value)
    return value


def _rows(xs, reverse: bool = False) -> list:
    rows = array.unstack(convert_to_tensor(xs))
    return rows[::-1] if reverse else rows


def scan(f, init, xs=None, length=None, reverse: bool = False, unroll=1):
    """Keras' scan: (carry, y) = f(carry, x) over the rows of ``xs`` (or ``length`` steps of
    None); returns the last carry and the ys stacked."""
    if xs is None:
        if length is None:
            raise ValueError("scan: give xs or length")
        rows = [None] * int(length)
    else:
        rows = _rows(xs, reverse)
    carry, ys = init, []
    for row in rows:
        carry, y = f(carry, row)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    stacked = array.stack(ys) if ys and ys[0] is not None else None
    return carry, stacked


def tf_scan(fn, elems, initializer=None, reverse: bool = False, **_options):
    """tf.scan: acc = fn(acc, x) over the rows of ``elems``; every acc, stacked."""
    rows = _rows(elems, reverse)
    if initializer is None:
        if not rows:
            raise ValueError("scan: elems is empty and there is no initializer")
        acc, rows, outs = rows[0], rows[1:], [rows[0]]
    else:
        acc, outs = initializer, []
    for row in rows:
        acc = fn(acc, row)
        outs.append(acc)
    return array.stack(outs[::-1] if reverse else outs)


def map(f, xs):  # noqa: A001 - Keras' name
    """stack([f(x) for x in the rows of xs])."""
    return array.stack([f(x) for x in _rows(xs)])


def associative_scan(f, elems, reverse: bool = False, axis: int = 0):
    """y_0 = x_0, y_i = f(y_(i-1), x_i) along ``axis`` (f must be associative; computed in
    order, so any f gives the sequential result)."""
    x = convert_to_tensor(elems)
    moved = array.transpose(x, _front(x.ndim, int(axis)))
    rows = _rows(moved, reverse)
    outs = [rows[0]]
    for row in rows[1:]:
        outs.append(f(outs[-1], row))
    stacked = array.stack(outs[::-1] if reverse else outs)
    return array.transpose(stacked, np.argsort(_front(x.ndim, int(axis))).tolist())


def _front(ndim: int, axis: int) -> list:
    axis %= builtins.max(ndim, 1)
    return [axis] + [a for a in builtins.range(ndim) if a != axis]


def case(pred_fn_pairs, default=None, exclusive: bool = False, strict: bool = False,
         name=None):
    """tf.case: the fn of the first (pred, fn) pair whose pred is true, else default();
    with ``exclusive``, more than one true pred is an error."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    chosen = [fn for pred, fn in pairs if _truth(pred, "case")]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"case: exclusive=True but {len(chosen)} predicates are true")
    if chosen:
        return chosen[0]()
    if default is None:
        raise ValueError("case: no predicate is true and there is no default")
    return default()


def get_static_value(tensor, partial: bool = False):
    """The value as a NumPy array (always known: dlpath runs eagerly)."""
    return np.array(values(tensor), copy=True)
