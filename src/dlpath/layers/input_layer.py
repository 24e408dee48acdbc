"""Symbolic inputs for the functional API: `Input`, `InputLayer` and `KerasTensor`.

``x = Input(shape=(28, 28))`` makes a placeholder with a shape and a dtype but no values.
Calling layers on placeholders records a graph of `Node`s, from which
``Model(inputs, outputs)`` is built; the shapes of symbolic outputs are found by running
each layer once on a small batch of zeros. An axis of unknown size (``shape=(None,)``)
is given two different lengths in two runs; the output axes whose sizes differ between
them are unknown too, as Keras' shape inference finds.
"""

from __future__ import annotations

import threading

import numpy as np

from dlpath.layers import arguments
from dlpath.layers.layer import Layer


class Node:
    """One recorded layer call: ``outputs = layer(*args, **kwargs)`` on symbolic tensors."""

    def __init__(self, layer, args, kwargs, outputs):
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, outputs

    @property
    def parents(self) -> list:
        """The symbolic tensors this call read."""
        return [t for t in _flatten((self.args, self.kwargs)) if isinstance(t, KerasTensor)]


class KerasTensor:
    """A placeholder: the shape (batch axis None), dtype and the node that produced it;
    ``batch_size`` is the fixed batch size declared by its `Input`, if any."""

    def __init__(self, shape, dtype="float32", name=None, node=None, index=0,
                 batch_size=None):
        self.shape = tuple(None if s is None else int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self.name = name
        self.node = node
        self.index = index
        self.batch_size = batch_size

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def zeros(self, batch: int = 2, unknown: int = 1) -> np.ndarray:
        """A batch of zeros of this shape (unknown sizes become ``unknown``), to run
        layers on."""
        shape = tuple(batch if i == 0 else (unknown if s is None else s)
                      for i, s in enumerate(self.shape))
        return np.zeros(shape, dtype=self.dtype)


def _flatten(structure) -> list:
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flatten(item)]
    if isinstance(structure, dict):
        return [leaf for item in structure.values() for leaf in _flatten(item)]
    return [structure]


def _map(fn, structure):
    if isinstance(structure, list):
        return [_map(fn, item) for item in structure]
    if isinstance(structure, tuple):
        return tuple(_map(fn, item) for item in structure)
    if isinstance(structure, dict):
        return {key: _map(fn, item) for key, item in structure.items()}
    return fn(structure)


def is_symbolic(structure) -> bool:
    return any(isinstance(t, KerasTensor) for t in _flatten(structure))


_trace = threading.local()

# The lengths given to axes of unknown size: long enough for kernels and strided layers
# (Conv1D(7, strides=3) twice, a stride-32 image network), apart enough that downsampled
# lengths still differ.
_UNKNOWN_LENGTHS = (64, 96)


def is_tracing() -> bool:
    """Whether the layer now running is being called on placeholders' zeros (to record
    the graph), not on data: stateful layers must not keep what such a call computes."""
    return getattr(_trace, "depth", 0) > 0


def traced_batch_size():
    """During a trace, the fixed batch size of the placeholders it runs on (or None)."""
    return getattr(_trace, "batch_size", None) if is_tracing() else None


def symbolic_call(layer: Layer, args: tuple, kwargs: dict):
    """Record ``layer(*args, **kwargs)`` on placeholders and return placeholder outputs."""
    from dlpath.engine import Tensor, no_grad

    symbols = [t for t in _flatten((args, kwargs)) if isinstance(t, KerasTensor)]
    batch_size = next((t.batch_size for t in symbols if t.batch_size), None)

    def run(unknown):
        def concrete(value):
            if not isinstance(value, KerasTensor):
                return value
            zeros = value.zeros(unknown=unknown)
            return zeros if value.dtype.kind == "U" else Tensor(zeros)  # Tensors hold numbers

        outer = (getattr(_trace, "depth", 0), getattr(_trace, "batch_size", None))
        _trace.depth, _trace.batch_size = outer[0] + 1, batch_size
        try:
            with no_grad():
                return Layer.__call__(layer, *_map(concrete, args), **_map(concrete, kwargs))
        finally:
            _trace.depth, _trace.batch_size = outer

    outputs, other = None, None
    if any(s is None for t in symbols for s in t.shape[1:]):
        try:
            outputs, other = run(_UNKNOWN_LENGTHS[0]), run(_UNKNOWN_LENGTHS[1])
        except Exception:  # a layer that only takes short sequences: trace as before
            outputs, other = None, None
    if outputs is None:
        outputs = run(1)
    node = Node(layer, args, kwargs, None)

    def placeholder(tensor, index, twin):
        sizes = tuple(tensor.shape[1:])
        if twin is not None and len(twin.shape) == len(tensor.shape):
            sizes = tuple(None if a != b else a for a, b in zip(sizes, twin.shape[1:]))
        return KerasTensor((None,) + sizes, tensor.dtype, name=layer.name, node=node,
                           index=index, batch_size=batch_size)

    if isinstance(outputs, (list, tuple)):
        twins = other if isinstance(other, (list, tuple)) else [None] * len(outputs)
        result = type(outputs)(placeholder(t, i, w)
                               for i, (t, w) in enumerate(zip(outputs, twins)))
    else:
        result = placeholder(outputs, 0, other)
    node.outputs = result
    layer.__dict__.setdefault("_inbound_nodes", []).append(node)  # layer.input / .output
    layer._last_output_shapes = _map(lambda t: t.shape, result)
    return result


class InputLayer(Layer):
    """The layer behind `Input`: it holds the input's shape and passes values through."""

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, sparse=None,
                 batch_shape=None, input_shape=None, **kwargs):
        if shape is None and input_shape is not None:
            shape = input_shape
        if batch_shape is not None:
            batch_shape = arguments.shape(batch_shape, "batch_shape", "Input")
            if not batch_shape:
                raise arguments.InvalidArgumentError(
                    "Input: batch_shape must include the batch axis, got ()")
            shape = batch_shape[1:]
        if shape is None:
            raise ValueError("InputLayer: give the input's shape (without the batch axis)")
        batch_size = arguments.optional_positive_int(batch_size, "batch_size", "Input")
        if batch_size is None and batch_shape is not None and batch_shape[0] is not None:
            batch_size = arguments.positive_int(batch_shape[0], "batch_shape[0]", "Input")
        dtype = "str" if dtype == "string" else dtype  # Keras' name for text inputs
        super().__init__(name=name, dtype=dtype or "float32", **kwargs)
        self.shape = arguments.shape(shape, "shape", "Input")
        self.batch_size = batch_size  # fixed by batch_size= or batch_shape (stateful RNNs)
        self.built = True
        node = Node(self, (), {}, None)
        node.outputs = KerasTensor((None,) + self.shape, self.dtype, name=self.name,
                                   node=node, batch_size=batch_size)
        self.__dict__["_inbound_nodes"] = [node]  # `output` is this placeholder
        self._last_output_shapes = node.outputs.shape

    def call(self, inputs):
        return inputs

    def get_config(self):
        config = {"name": self.name, "dtype": str(self.dtype), "shape": self.shape}
        if self.batch_size is not None:
            config["batch_size"] = self.batch_size
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def Input(shape=None, batch_size=None, dtype=None, name=None, batch_shape=None,
          sparse=None, tensor=None):
    """A symbolic input of ``shape`` (without the batch axis), e.g. ``Input(shape=(784,))``."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                      batch_shape=batch_shape).output
