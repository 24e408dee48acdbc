"""`einsum`: Einstein summation over any number of operands, as one primitive op.

For an equation ``"s_1,...,s_k->s_o"`` the output is

    y[s_o] = sum over the letters not in s_o of  prod_i x_i[s_i]

and, because y is linear in each operand, the gradient of operand i is the same kind of
sum with the output gradient G in place of x_i:

    dL/dx_i[s_i] = sum over the letters not in s_i of  G[s_o] prod_{j != i} x_j[s_j]

i.e. ``einsum("s_o,s_1,..(without s_i)..,s_k->s_i", G, ...)``. A letter of s_i that occurs in
no other operand nor in the output was summed away in the forward; its gradient is the
same for every index along it, so it is broadcast back. ``...`` stands for the same leading
or trailing axes in every operand (NumPy broadcasting of the ellipsis axes is not used).
"""

from __future__ import annotations

import string

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor


def _expand_ellipsis(equation: str, shapes) -> tuple:
    """(input subscripts, output subscripts) with ``...`` replaced by fresh letters."""
    if "->" not in equation:
        raise ValueError(f"einsum: the equation must name its output with '->', got "
                         f"{equation!r}")
    lhs, rhs = equation.replace(" ", "").split("->")
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(f"einsum: the equation {equation!r} has {len(inputs)} operands, got "
                         f"{len(shapes)} arrays")
    used = set(equation)
    fresh = [c for c in string.ascii_letters if c not in used]
    ellipsis_rank = max((len(shape) - len(spec.replace("...", ""))
                         for spec, shape in zip(inputs, shapes) if "..." in spec), default=0)
    letters = "".join(fresh[:ellipsis_rank])
    expanded = []
    for spec, shape in zip(inputs, shapes):
        if "..." in spec:
            rank = len(shape) - len(spec.replace("...", ""))
            spec = spec.replace("...", letters[len(letters) - rank:] if rank else "")
        if len(spec) != len(shape) or not spec.isalpha():
            raise ValueError(f"einsum: subscripts {spec!r} of {equation!r} do not fit an "
                             f"operand of shape {tuple(shape)}")
        if len(set(spec)) != len(spec):
            raise ValueError(f"einsum: repeated subscripts within one operand ({spec!r} in "
                             f"{equation!r}) are not supported")
        expanded.append(spec)
    rhs = rhs.replace("...", letters)
    for letter in rhs:
        if not any(letter in spec for spec in expanded):
            raise ValueError(f"einsum: output subscript {letter!r} of {equation!r} appears in "
                             f"no operand")
    sizes = {}
    for spec, shape in zip(expanded, shapes):
        for letter, size in zip(spec, shape):
            if sizes.setdefault(letter, size) != size:
                raise ValueError(f"einsum: subscript {letter!r} of {equation!r} has sizes "
                                 f"{sizes[letter]} and {size} (shapes "
                                 f"{[tuple(s) for s in shapes]})")
    return expanded, rhs, sizes


class Einsum(Function):
    """y = einsum(s_1,...,s_k -> s_o)(x_1, ..., x_k);
    dL/dx_i = einsum(s_o, s_j (j != i) -> s_i)(G, x_j ...), broadcast along the letters of
    s_i found nowhere else (see the module docstring)."""

    def forward(self, *arrays, inputs, output, sizes):
        self.arrays, self.specs, self.output, self.sizes = arrays, inputs, output, sizes
        return np.einsum(",".join(inputs) + "->" + output, *arrays, optimize=True)

    def backward(self, grad):
        grads = []
        for i, spec in enumerate(self.specs):
            if not self.needs_grad[i]:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(self.specs) if j != i]
            available = set(self.output).union(*others)
            kept = "".join(c for c in spec if c in available)
            operands = [grad] + [a for j, a in enumerate(self.arrays) if j != i]
            partial = np.einsum(",".join([self.output] + others) + "->" + kept, *operands,
                                optimize=True)
            shape = tuple(self.sizes[c] if c in available else 1 for c in spec)
            grads.append(np.broadcast_to(partial.reshape(shape),
                                         tuple(self.sizes[c] for c in spec)))
        return tuple(grads)


def einsum(equation: str, *operands):
    """Einstein summation of Tensors (``np.einsum`` with an explicit ``->`` output);
    differentiable in every operand."""
    tensors = [to_tensor(x) for x in operands]
    inputs, output, sizes = _expand_ellipsis(equation, [t.shape for t in tensors])
    return Einsum.apply(*tensors, inputs=inputs, output=output, sizes=sizes)


__all__ = ["Einsum", "einsum"]
