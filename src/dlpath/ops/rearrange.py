"""``rearrange`` (einops' notation, as Keras 3's ``keras.ops.rearrange``) and ``vectorize``.

``rearrange(x, "b h w c -> b (h w) c")`` is one reshape, one transpose and one reshape, so
the gradient is moved back through them.
"""

from __future__ import annotations

import re

import numpy as np

from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import convert_to_tensor

_TOKEN = re.compile(r"\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|1")


def _groups(side: str, pattern: str) -> list:
    """'b (h w) ...' -> [['b'], ['h', 'w'], ['...']]; '()' and '1' are empty groups."""
    groups, current = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise ValueError(f"rearrange: nested brackets in {pattern!r}")
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"rearrange: unbalanced ')' in {pattern!r}")
            groups.append(current)
            current = None
        elif current is not None:
            if token != "1":
                current.append(token)
        else:
            groups.append([] if token == "1" else [token])
    if current is not None:
        raise ValueError(f"rearrange: unbalanced '(' in {pattern!r}")
    if len(_TOKEN.sub("", side).split()) > 0:
        raise ValueError(f"rearrange: cannot read {side!r} in {pattern!r}")
    return groups


def rearrange(tensor, pattern: str, **axes_lengths):
    """Reorder, merge and split axes by an einops pattern, e.g. ``"b (h w) c -> b h w c"``
    with ``h=4`` (every name on one side must appear on the other)."""
    x = convert_to_tensor(tensor)
    if pattern.count("->") != 1:
        raise ValueError(f"rearrange: pattern must have one '->', got {pattern!r}")
    left_text, right_text = pattern.split("->")
    left, right = _groups(left_text, pattern), _groups(right_text, pattern)
    names_left = [n for g in left for n in g]
    names_right = [n for g in right for n in g]
    if sorted(names_left) != sorted(names_right) or len(set(names_left)) != len(names_left):
        raise ValueError(f"rearrange: the two sides of {pattern!r} must name the same axes, "
                         f"each once")
    has_ellipsis = ["..."] in left
    fixed = len(left) - (1 if has_ellipsis else 0)
    if (x.ndim < fixed) if has_ellipsis else (x.ndim != fixed):
        raise ValueError(f"rearrange: {pattern!r} needs {fixed} axes, got shape {x.shape}")
    # Expand the ellipsis into one elementary axis per covered dimension.
    sizes, elementary = dict(axes_lengths), []
    dim = 0
    for group in left:
        if group == ["..."]:
            covered = x.ndim - fixed
            names = [f"...{i}" for i in range(covered)]
            for name in names:
                sizes[name] = x.shape[dim]
                dim += 1
            elementary += names
            continue
        unknown = [n for n in group if n not in sizes]
        known = int(np.prod([sizes[n] for n in group if n in sizes], dtype=np.int64))
        if len(unknown) > 1:
            raise ValueError(f"rearrange: give the lengths of all but one of {group} in "
                             f"{pattern!r}")
        if unknown:
            if known == 0 or x.shape[dim] % known:
                raise ValueError(f"rearrange: axis {dim} of size {x.shape[dim]} cannot split "
                                 f"into {group}")
            sizes[unknown[0]] = x.shape[dim] // known
        elif known != x.shape[dim]:
            raise ValueError(f"rearrange: axis {dim} has size {x.shape[dim]}, the lengths of "
                             f"{group} give {known}")
        elementary += group
        dim += 1
    flat = eops.reshape(x, tuple(sizes[n] for n in elementary))
    order = []
    for group in right:
        order += [f"...{i}" for i in range(x.ndim - fixed)] if group == ["..."] else group
    moved = eops.transpose(flat, tuple(elementary.index(n) for n in order))
    shape = []
    for group in right:
        if group == ["..."]:
            shape += [sizes[f"...{i}"] for i in range(x.ndim - fixed)]
        else:
            shape.append(int(np.prod([sizes[n] for n in group], dtype=np.int64)))
    return eops.reshape(moved, tuple(shape))


def _signature(signature):
    """'(m,n),(n)->(m)' -> ([['m', 'n'], ['n']], ['m'])."""
    if signature is None:
        return None, None
    match = re.fullmatch(r"\s*(.*?)\s*->\s*(\(.*?\))\s*", signature)
    if match is None:
        raise ValueError(f"vectorize: cannot read signature {signature!r} (one output only)")

    def dims(text):
        return [[d for d in part.split(",") if d.strip()] for part in
                re.findall(r"\(([^)]*)\)", text)]

    return dims(match.group(1)), dims(match.group(2))[0]


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` applied over the broadcast leading axes of its arguments (element by
    element without ``signature``; over the core axes that ``signature`` names with it);
    arguments whose position or name is in ``excluded`` are passed unchanged."""
    excluded = set(excluded or ())
    core_in, _core_out = _signature(signature)

    def vectorized(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [convert_to_tensor(args[i]) for i in positions]
        cores = core_in or [[] for _ in tensors]
        if len(cores) != len(tensors):
            raise ValueError(f"vectorize: signature {signature!r} names {len(cores)} inputs, "
                             f"got {len(tensors)}")
        batch = np.broadcast_shapes(*[t.shape[: t.ndim - len(c)] for t, c in
                                      zip(tensors, cores)])
        tensors = [eops.broadcast_to(t, batch + t.shape[t.ndim - len(c):])
                   for t, c in zip(tensors, cores)]
        outs = []
        for index in np.ndindex(*batch):
            call = list(args)
            for i, t in zip(positions, tensors):
                call[i] = t[index] if index else t
            outs.append(convert_to_tensor(pyfunc(*call, **kwargs)))
        if not outs:
            raise ValueError("vectorize: the broadcast inputs are empty")
        stacked = array.stack(outs)
        return eops.reshape(stacked, batch + outs[0].shape)

    return vectorized
