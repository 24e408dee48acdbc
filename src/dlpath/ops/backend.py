"""The functions of Keras 2's ``keras.backend`` whose signatures or behaviour are their own
(variables, ``function``, ``gradients``, ``batch_dot``, ...); the rest of ``keras.backend``
re-exports `dlpath.ops` directly."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, Variable
from dlpath.engine.tape import vector_jacobian
from dlpath.ops import array, math, nn
from dlpath.ops._convert import convert_to_tensor, values
from dlpath.ops.config import floatx
from dlpath.ops.einsum import einsum

_phase = {"value": 0}


def _keras_tensor_type():
    from dlpath.layers.input_layer import KerasTensor

    return KerasTensor


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic tensor of the functional API (``keras.Input`` and layer
    outputs)."""
    return isinstance(x, _keras_tensor_type())


def int_shape(x) -> tuple:
    """The static shape as a tuple (None for unknown sizes of symbolic tensors)."""
    if is_keras_tensor(x) or isinstance(x, Tensor):
        return tuple(x.shape)
    return tuple(np.shape(x))


def ndim(x) -> int:
    return len(int_shape(x))


def dtype(x) -> str:
    """The dtype's name, e.g. 'float32'."""
    if is_keras_tensor(x) or isinstance(x, Tensor):
        return np.dtype(x.dtype).name
    return np.asarray(x).dtype.name


def count_params(x) -> int:
    return int(np.prod(int_shape(x), dtype=np.int64))


def variable(value, dtype=None, name=None, constraint=None) -> Variable:
    """A trainable Variable holding ``value`` (floatx unless ``dtype``)."""
    data = values(value)
    if dtype is None and data.dtype.kind == "f":
        dtype = floatx()
    return Variable(np.array(data, dtype=dtype, copy=True), name=name or "variable")


def get_value(x) -> np.ndarray:
    """The values of a variable or tensor as a NumPy array (a copy)."""
    return np.array(values(x), copy=True)


def batch_get_value(xs) -> list:
    return [get_value(x) for x in xs]


def set_value(x, value) -> None:
    """Overwrite variable ``x`` in place with ``value`` (same shape)."""
    if not isinstance(x, Variable):
        raise TypeError(f"set_value: x must be a Variable, got {type(x).__name__}")
    x.assign(values(value))


def batch_set_value(pairs) -> None:
    for x, value in pairs:
        set_value(x, value)


def learning_phase() -> int:
    """0 (test) or 1 (train), as last set; dlpath layers read ``training=`` instead."""
    return _phase["value"]


def set_learning_phase(value: int) -> None:
    if value not in (0, 1):
        raise ValueError(f"set_learning_phase: expected 0 or 1, got {value!r}")
    _phase["value"] = int(value)


def gradients(loss, variables) -> list:
    """d loss / d v for each variable (None where not connected); no ``.grad`` is left."""
    loss = convert_to_tensor(loss)
    variables = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    grads = vector_jacobian([loss], [np.ones(loss.shape, loss.dtype)], variables,
                            retain_graph=True)
    return [None if g is None else Tensor(g, dtype=g.dtype) for g in grads]


class BackendFunction:
    """``K.function(inputs, outputs)``: run part of a functional graph on NumPy inputs.

    ``inputs`` are ``keras.Input`` tensors, ``outputs`` symbolic layer outputs; calling it
    with one array per input returns one NumPy array per output.
    """

    def __init__(self, inputs, outputs):
        from dlpath.models.functional import FunctionalGraph

        self._single = not isinstance(outputs, (list, tuple))
        self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self.outputs = [outputs] if self._single else list(outputs)
        self._graph = FunctionalGraph(self.inputs, self.outputs)

    def __call__(self, input_values):
        if not isinstance(input_values, (list, tuple)):
            input_values = [input_values]
        if len(input_values) != len(self.inputs):
            raise ValueError(f"function: expected {len(self.inputs)} input value(s), got "
                             f"{len(input_values)}")
        from dlpath.engine import no_grad

        with no_grad():
            results = self._graph.run([convert_to_tensor(v) for v in input_values])
        return [get_value(r) for r in results]


def function(inputs, outputs, updates=None, name=None, **kwargs) -> BackendFunction:
    if updates:
        raise ValueError("function: updates are not supported (dlpath runs eagerly)")
    return BackendFunction(inputs, outputs)


def relu(x, alpha: float = 0.0, max_value=None, threshold: float = 0.0):
    """x for x >= threshold, alpha (x - threshold) below, capped at max_value."""
    x = convert_to_tensor(x)
    if alpha == 0.0 and threshold == 0.0:
        out = nn.relu(x)
    else:
        out = array.where(values(x) >= threshold, x, (x - threshold) * alpha)
    if max_value is not None:
        out = math.minimum(out, float(max_value))
    return out


def batch_dot(x, y, axes=None):
    """Per-sample dot product: out[b] = sum over the contracted axes of x[b] and y[b].

    ``axes`` defaults to (last axis of x, second-to-last of y, or last when y is 2-D); a 2-D
    result gets a trailing axis of size 1, as Keras.
    """
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"batch_dot: both tensors need a batch axis and at least one more, "
                         f"got shapes {x.shape} and {y.shape}")
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    elif isinstance(axes, int):
        axes = (axes, axes)
    ax, ay = (int(a) % n for a, n in zip(axes, (x.ndim, y.ndim)))
    if x.shape[ax] != y.shape[ay]:
        raise ValueError(f"batch_dot: cannot contract axis {ax} of shape {x.shape} with axis "
                         f"{ay} of shape {y.shape}")
    letters = iter("cdefghijklmnopqrstuvwxyz")
    sx = ["a"] + [next(letters) for _ in range(x.ndim - 1)]
    sy = ["a"] + [next(letters) for _ in range(y.ndim - 1)]
    sy[ay] = sx[ax]
    out = [c for i, c in enumerate(sx) if i != ax] + [c for i, c in enumerate(sy)
                                                       if i not in (0, ay)]
    result = einsum(f"{''.join(sx)},{''.join(sy)}->{''.join(out)}", x, y)
    return array.expand_dims(result, -1) if result.ndim == 1 else result


def batch_flatten(x):
    """(batch, ...) -> (batch, prod(...))."""
    x = convert_to_tensor(x)
    return array.reshape(x, (x.shape[0], -1))


def clip(x, min_value=None, max_value=None):
    return math.clip(x, min_value, max_value)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from dlpath.ops.random import normal

    return normal(shape, mean, stddev, dtype or floatx(), seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    from dlpath.ops.random import uniform

    return uniform(shape, minval, maxval, dtype or floatx(), seed)


def one_hot(indices, num_classes: int):
    return array.one_hot(indices, num_classes)


def repeat_elements(x, rep: int, axis: int):
    return array.repeat(x, rep, axis)


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor; numbers become floatx unless ``dtype`` says otherwise (Keras)."""
    from dlpath.ops._convert import constant as make_constant

    return make_constant(value, dtype or floatx(), shape)


def concatenate(tensors, axis: int = -1):
    return array.concatenate(tensors, axis)


def expand_dims(x, axis: int = -1):
    return array.expand_dims(x, axis)


def argmax(x, axis: int = -1):
    return math.argmax(x, axis)


def argmin(x, axis: int = -1):
    return math.argmin(x, axis)


def zeros(shape, dtype=None, name=None):
    return array.zeros(shape, dtype or floatx())


def ones(shape, dtype=None, name=None):
    return array.ones(shape, dtype or floatx())


def shape(x) -> Tensor:
    """The shape as a 1-D int32 Tensor."""
    return Tensor(np.asarray(int_shape(x), dtype=np.int32))
