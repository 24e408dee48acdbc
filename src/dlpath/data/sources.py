"""Where a dataset's elements come from: arrays, one element, a generator, a range, others.

Each source is a node with ``iterate()`` (a fresh Python iterator over plain elements, see
`structure`) and ``cardinality()``. Nothing is computed before it is iterated.
"""

from __future__ import annotations

import numpy as np

from . import cardinality as card
from . import structure


class TensorSlices:
    """The rows of arrays: element ``i`` holds row ``i`` of every component.

    Raises:
        ValueError: a component is a scalar, or the components have different numbers of
            rows.
    """

    def __init__(self, tensors):
        self.element = structure.normalize(tensors)
        leaves = structure.flatten(self.element)
        scalars = [leaf.shape for leaf in leaves if leaf.ndim == 0]
        if scalars:
            raise ValueError("from_tensor_slices: every component needs a first axis to "
                             "slice, got a scalar (shape ())")
        rows = {len(leaf) for leaf in leaves}
        if len(rows) > 1:
            raise ValueError(f"from_tensor_slices: all components must have the same number "
                             f"of rows (first axis), got {structure.describe(self.element)}")
        self.rows = rows.pop()

    def iterate(self):
        for i in range(self.rows):
            yield self.row(i)

    def row(self, index):
        """Element ``index`` (an int) or the stacked elements at ``index`` (an index array)."""
        return structure.map_structure(lambda leaf: np.asarray(leaf[index]), self.element)

    def cardinality(self) -> int:
        return self.rows


class Tensors:
    """One element: the whole structure."""

    def __init__(self, tensors):
        self.element = structure.normalize(tensors)

    def iterate(self):
        yield self.element

    def cardinality(self) -> int:
        return 1


class Range:
    """``start, start + step, ...`` up to (not including) ``stop``, as 0-d arrays."""

    def __init__(self, *args, dtype="int64"):
        if not 1 <= len(args) <= 3:
            raise TypeError(f"range: expected 1 to 3 arguments (stop), (start, stop) or "
                            f"(start, stop, step), got {len(args)}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (tuple(args) + (1,))[:3]
        if step == 0:
            raise ValueError("range: step must not be zero")
        self.values = range(int(start), int(stop), int(step))
        self.dtype = structure._dtype(dtype)

    def iterate(self):
        for value in self.values:
            yield np.asarray(value, dtype=self.dtype)

    def cardinality(self) -> int:
        return len(self.values)


class Generator:
    """Elements yielded by ``generator(*args)``, called afresh for each iteration.

    ``signature`` (a structure of `TensorSpec`, or of dtypes with ``shapes``) casts each
    component to its dtype and checks its shape.
    """

    def __init__(self, generator, signature=None, args=None):
        if not callable(generator):
            raise TypeError(f"from_generator: generator must be a callable that returns an "
                            f"iterator, got {type(generator).__name__}")
        self.generator = generator
        self.signature = signature
        self.args = tuple(args or ())

    def iterate(self):
        for value in self.generator(*self.args):
            yield self._conform(value)

    def _conform(self, value):
        if self.signature is None:
            return structure.normalize(value)
        if isinstance(self.signature, tuple) and isinstance(value, list):
            value = tuple(value)
        element = structure.normalize(value)
        if not structure.same_structure(element, self.signature):
            raise ValueError(f"from_generator: the generator yielded "
                             f"{structure.describe(element)}, which does not match the "
                             f"output signature {self.signature}")
        return structure.map_structure(_conform_leaf, element, self.signature)

    def cardinality(self) -> int:
        return card.UNKNOWN


def _conform_leaf(leaf, spec):
    if spec.dtype is not None and spec.dtype != np.dtype(object):
        leaf = leaf.astype(spec.dtype, copy=False)
    if not spec.is_compatible_with(leaf):
        raise ValueError(f"from_generator: the generator yielded a component of shape "
                         f"{leaf.shape}, expected {spec.shape} (None: any size)")
    return leaf


def signature_from(output_signature, output_types, output_shapes):
    """One structure of `TensorSpec` from ``output_signature`` or types (and shapes)."""
    if output_signature is not None:
        return structure.map_structure(_as_spec, output_signature)
    if output_types is None:
        return None
    if output_shapes is None:
        return structure.map_structure(lambda t: structure.TensorSpec(None, t), output_types)
    return _pair_types_shapes(output_types, output_shapes)


def _as_spec(spec):
    if isinstance(spec, structure.TensorSpec):
        return spec
    if hasattr(spec, "shape") and hasattr(spec, "dtype"):
        shape = None if spec.shape is None else tuple(spec.shape)
        return structure.TensorSpec(shape, spec.dtype)
    raise TypeError(f"from_generator: output_signature must hold TensorSpec objects, got "
                    f"{type(spec).__name__}")


def _pair_types_shapes(types, shapes):
    if isinstance(types, tuple):
        return tuple(_pair_types_shapes(t, s) for t, s in zip(types, shapes))
    if isinstance(types, dict):
        return {k: _pair_types_shapes(types[k], shapes[k]) for k in types}
    return structure.TensorSpec(shapes, types)


class Zip:
    """Tuples (or dicts) of the elements of several datasets, as long as the shortest."""

    def __init__(self, nodes):
        self.nodes = nodes  # a tuple or dict of nodes

    def iterate(self):
        keys = list(self.nodes) if isinstance(self.nodes, dict) else None
        nodes = list(self.nodes.values()) if keys is not None else list(self.nodes)
        for parts in zip(*(node.iterate() for node in nodes)):
            yield dict(zip(keys, parts)) if keys is not None else tuple(parts)

    def cardinality(self) -> int:
        nodes = self.nodes.values() if isinstance(self.nodes, dict) else self.nodes
        return card.smallest([node.cardinality() for node in nodes])


class Concatenate:
    """The elements of one dataset, then those of the other."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def iterate(self):
        yield from self.first.iterate()
        yield from self.second.iterate()

    def cardinality(self) -> int:
        return card.total([self.first.cardinality(), self.second.cardinality()])
