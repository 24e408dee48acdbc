"""Merge layers: combine a list of tensors into one (Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate)."""

from __future__ import annotations

from functools import reduce

from dlpath.engine import ops
from dlpath.layers.layer import Layer


class Merge(Layer):
    """Base class: checks that it gets a list of at least two tensors of compatible shape."""

    supports_masking = True
    minimum_inputs = 2

    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < self.minimum_inputs:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): expected a list "
                             f"of at least {self.minimum_inputs} tensors, got {inputs!r:.80}")

    def call(self, inputs):
        self._check(inputs)
        shapes = [x.shape for x in inputs]
        if len(set(shapes)) != 1:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): all inputs "
                             f"must have the same shape, got {shapes}")
        return self.merge(list(inputs))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])


class Add(Merge):
    """y = x_1 + x_2 + ... + x_n."""

    def merge(self, inputs):
        return reduce(ops.add, inputs)


class Subtract(Merge):
    """y = x_1 - x_2 (exactly two inputs)."""

    def merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Layer '{self.name}' (Subtract): expected exactly 2 inputs, "
                             f"got {len(inputs)}")
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """y = x_1 * x_2 * ... * x_n (element-wise)."""

    def merge(self, inputs):
        return reduce(ops.mul, inputs)


class Average(Merge):
    """y = (x_1 + ... + x_n) / n."""

    def merge(self, inputs):
        return reduce(ops.add, inputs) * (1.0 / len(inputs))


class Maximum(Merge):
    """y = max(x_1, ..., x_n) element-wise."""

    def merge(self, inputs):
        return reduce(ops.maximum, inputs)


class Minimum(Merge):
    """y = min(x_1, ..., x_n) element-wise."""

    def merge(self, inputs):
        return reduce(ops.minimum, inputs)


class Concatenate(Merge):
    """y = [x_1, ..., x_n] joined along ``axis`` (default the last)."""

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def call(self, inputs):
        self._check(inputs)
        shapes = [x.shape for x in inputs]
        rank = len(shapes[0])
        axis = self.axis % rank
        others = {tuple(s for i, s in enumerate(shape) if i != axis) for shape in shapes}
        if any(len(s) != rank for s in shapes) or len(others) != 1:
            raise ValueError(f"Layer '{self.name}' (Concatenate): inputs must match except "
                             f"along axis {self.axis}, got shapes {shapes}")
        return ops.concatenate(list(inputs), axis=axis)

    def compute_output_shape(self, input_shape):
        shapes = [list(s) for s in input_shape]
        axis = self.axis % len(shapes[0])
        out = shapes[0]
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
