"""``einsum``: sums of products named by subscripts, composed from engine ops.

    einsum("ij,jk->ik", A, B)[i, k] = sum_j A[i, j] B[j, k]

Each operand is transposed and reshaped so that its letters sit on the axes of one common
layout (size 1 where it lacks a letter); the broadcast product is summed over the letters
missing from the output, and the result is put in the output's order. Every step is an engine
op, so gradients follow. Repeated letters within one operand (traces, diagonals) and
ellipses are not supported.
"""

from __future__ import annotations

from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor


def _parse(subscripts: str, count: int):
    spec = subscripts.replace(" ", "")
    if "." in spec:
        raise ValueError(f"einsum: ellipses ('...') are not supported, got {subscripts!r}")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != count:
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands, got {count}")
    for term in terms:
        if len(set(term)) != len(term):
            raise ValueError(f"einsum: repeated letters within one operand ({term!r}, a trace "
                             f"or diagonal) are not supported")
        if not term.isalpha() and term:
            raise ValueError(f"einsum: subscripts must be letters, got {term!r}")
    if not arrow:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    unknown = set(output) - set("".join(terms))
    if unknown:
        raise ValueError(f"einsum: output letters {sorted(unknown)} appear in no operand")
    return terms, output


def einsum(subscripts: str, *operands):
    """Evaluate the Einstein summation ``subscripts`` over ``operands`` (see module doc)."""
    tensors = [convert_to_tensor(x) for x in operands]
    terms, output = _parse(subscripts, len(tensors))
    layout = list(output) + sorted(set("".join(terms)) - set(output))
    sizes = {}
    aligned = []
    for term, tensor in zip(terms, tensors):
        if len(term) != tensor.ndim:
            raise ValueError(f"einsum: operand {term!r} has {len(term)} letters but the "
                             f"tensor has shape {tensor.shape}")
        for letter, n in zip(term, tensor.shape):
            if sizes.setdefault(letter, n) != n and n != 1 and sizes[letter] != 1:
                raise ValueError(f"einsum: letter {letter!r} has sizes {sizes[letter]} and "
                                 f"{n}")
            sizes[letter] = max(sizes[letter], n)
        present = [c for c in layout if c in term]
        moved = eops.transpose(tensor, tuple(term.index(c) for c in present)) \
            if tensor.ndim > 1 else tensor
        shape = tuple(tensor.shape[term.index(c)] if c in term else 1 for c in layout)
        aligned.append(eops.reshape(moved, shape))
    product = aligned[0]
    for tensor in aligned[1:]:
        product = product * tensor
    summed = tuple(range(len(output), len(layout)))
    if summed:
        product = eops.sum(product, summed)
    full = tuple(sizes[c] for c in output)
    if product.shape != full:
        product = eops.broadcast_to(product, full)
    return product
