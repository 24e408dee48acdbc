"""Grouping elements into batches and back: batch, padded_batch, unbatch.

A batch stacks ``batch_size`` consecutive elements along a new first axis, component by
component; the last batch holds the remainder unless ``drop_remainder``.
"""

from __future__ import annotations

import numpy as np

from . import cardinality as card
from . import structure
from .sources import TensorSlices


def _groups(node, batch_size, drop_remainder):
    """Lists of ``batch_size`` consecutive elements of ``node`` (the last may be shorter)."""
    group = []
    for element in node.iterate():
        group.append(element)
        if len(group) == batch_size:
            yield group
            group = []
    if group and not drop_remainder:
        yield group


def _check_size(batch_size, owner):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or (
            batch_size < 1):
        raise ValueError(f"{owner}: batch_size must be a positive int, got {batch_size!r}")
    return int(batch_size)


class Batch:
    """Stacked groups of ``batch_size`` elements.

    Rows of arrays (``from_tensor_slices(...).batch(n)``) are sliced ``n`` at a time
    instead of being split into elements and stacked again.
    """

    def __init__(self, node, batch_size, drop_remainder=False):
        self.node = node
        self.batch_size = _check_size(batch_size, "batch")
        self.drop_remainder = bool(drop_remainder)

    def iterate(self):
        if isinstance(self.node, TensorSlices):
            yield from self._slices()
            return
        for group in _groups(self.node, self.batch_size, self.drop_remainder):
            yield stack(group, "batch")

    def _slices(self):
        rows = self.node.rows
        end = rows - rows % self.batch_size if self.drop_remainder else rows
        for begin in range(0, end, self.batch_size):
            yield self.node.row(slice(begin, min(begin + self.batch_size, rows)))

    def cardinality(self) -> int:
        return card.batches(self.node.cardinality(), self.batch_size, self.drop_remainder)


def stack(group, owner):
    """One element whose leaves stack the leaves of the elements in ``group``.

    Raises:
        ValueError: the elements differ in structure or in the shape of a component.
    """
    first = group[0]
    for element in group[1:]:
        if not structure.same_structure(first, element):
            raise ValueError(f"{owner}: elements of different structures cannot be batched: "
                             f"{structure.describe(first)} and {structure.describe(element)}")

    def stack_leaf(*leaves):
        shapes = {leaf.shape for leaf in leaves}
        if len(shapes) > 1:
            raise ValueError(f"{owner}: cannot stack components of different shapes "
                             f"{sorted(shapes)} into one batch; use padded_batch to pad "
                             f"them to one shape")
        return np.stack(leaves)

    return structure.map_structure(stack_leaf, *group)


class PaddedBatch:
    """Groups of ``batch_size`` elements, each component padded to one shape.

    ``padded_shapes`` gives the shape of each component (a ``None`` or -1 dimension, or
    no shape at all, pads to the longest in the batch); ``padding_values`` the value to pad
    with (0, or "" for strings).
    """

    def __init__(self, node, batch_size, padded_shapes=None, padding_values=None,
                 drop_remainder=False):
        self.node = node
        self.batch_size = _check_size(batch_size, "padded_batch")
        self.padded_shapes = padded_shapes
        self.padding_values = padding_values
        self.drop_remainder = bool(drop_remainder)

    def iterate(self):
        for group in _groups(self.node, self.batch_size, self.drop_remainder):
            leaves = [structure.flatten(element) for element in group]
            shapes = _per_leaf(self.padded_shapes, group[0])
            values = _per_leaf(self.padding_values, group[0])
            batched = [_pad_stack([row[i] for row in leaves], shapes[i], values[i])
                       for i in range(len(leaves[0]))]
            yield structure.pack_like(group[0], batched)

    def cardinality(self) -> int:
        return card.batches(self.node.cardinality(), self.batch_size, self.drop_remainder)


def _per_leaf(option, element):
    """``option`` (None, one value for all, or a structure like ``element``) per leaf."""
    count = len(structure.flatten(element))
    if option is None:
        return [None] * count
    if isinstance(element, (tuple, dict)):
        if isinstance(option, (tuple, dict)):
            return structure.flatten(option)
        return [option] * count
    return [option]


def _pad_stack(leaves, shape, value):
    rank = leaves[0].ndim
    if any(leaf.ndim != rank for leaf in leaves):
        raise ValueError(f"padded_batch: components of different ranks "
                         f"{sorted({leaf.ndim for leaf in leaves})} cannot be padded to one "
                         f"shape")
    longest = [max(leaf.shape[d] for leaf in leaves) for d in range(rank)]
    if shape is not None:
        shape = list(shape)
        if len(shape) != rank:
            raise ValueError(f"padded_batch: padded_shapes {tuple(shape)} has rank "
                             f"{len(shape)}, but the component has rank {rank}")
        for d, size in enumerate(shape):
            if size is not None and size >= 0:
                if longest[d] > size:
                    raise ValueError(f"padded_batch: a component has size {longest[d]} in "
                                     f"dimension {d}, more than the padded size {size}")
                longest[d] = size
    dtype = np.result_type(*[leaf.dtype for leaf in leaves])
    if value is None:
        value = "" if dtype.kind in "US" else 0
    out = np.full((len(leaves), *longest), value, dtype=dtype)
    for i, leaf in enumerate(leaves):
        out[(i, *[slice(0, n) for n in leaf.shape])] = leaf
    return out


class Unbatch:
    """The rows of each element: the inverse of `Batch`."""

    def __init__(self, node):
        self.node = node

    def iterate(self):
        for element in self.node.iterate():
            leaves = structure.flatten(element)
            if any(leaf.ndim == 0 for leaf in leaves):
                raise ValueError("unbatch: every component needs a first (batch) axis, got "
                                 f"{structure.describe(element)}")
            rows = {len(leaf) for leaf in leaves}
            if len(rows) > 1:
                raise ValueError(f"unbatch: the components have different batch sizes: "
                                 f"{structure.describe(element)}")
            for i in range(rows.pop()):
                yield structure.map_structure(lambda leaf, i=i: leaf[i], element)

    def cardinality(self) -> int:
        return card.UNKNOWN if self.node.cardinality() != card.INFINITE else card.INFINITE
