"""Activation functions as ONNX nodes, by their dlpath name (``activations.serialize``).

Each entry writes the formula dlpath computes; where ONNX has an operator of the same
formula it is used (Relu, Sigmoid, Tanh, Elu, LeakyRelu, Softplus, Softmax, ...):

    gelu (exact)        x (1 + erf(x / sqrt 2)) / 2
    gelu (approximate)  x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2
    hard_sigmoid        clip(x / 6 + 1 / 2, 0, 1)      (Keras 3; ONNX's default alpha is 0.2)
    swish / silu        x sigmoid(x)
    mish                x tanh(softplus(x))
    relu6               min(max(x, 0), 6)

A ``functools.partial`` of a dlpath activation with keyword arguments (``alpha``,
``negative_slope``, ``approximate``, ``axis``) is read through.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from dlpath import activations
from dlpath.export.errors import UnsupportedLayerError


def _unary(op_type, **attributes):
    def emit(b, x, hint, **_):
        return b.op(op_type, [x], hint, **attributes)
    return emit


def _gelu(b, x, hint, approximate=False, **_):
    if approximate:
        cube = b.op("Mul", [b.op("Mul", [x, x], hint), x], hint)
        inner = b.op("Add", [x, b.op("Mul", [cube, b.scalar(0.044715)], hint)], hint)
        t = b.op("Tanh", [b.op("Mul", [inner, b.scalar(math.sqrt(2 / math.pi))], hint)], hint)
        half_x = b.op("Mul", [x, b.scalar(0.5)], hint)
        return b.op("Mul", [half_x, b.op("Add", [t, b.scalar(1.0)], hint)], hint)
    erf = b.op("Erf", [b.op("Div", [x, b.scalar(math.sqrt(2))], hint)], hint)
    cdf = b.op("Mul", [b.op("Add", [erf, b.scalar(1.0)], hint), b.scalar(0.5)], hint)
    return b.op("Mul", [x, cdf], hint)


def _times(inner):
    """x * inner(x), e.g. swish = x sigmoid(x)."""
    def emit(b, x, hint, **kwargs):
        return b.op("Mul", [x, inner(b, x, hint, **kwargs)], hint)
    return emit


def _mish_inner(b, x, hint, **_):
    return b.op("Tanh", [b.op("Softplus", [x], hint)], hint)


def _relu6(b, x, hint, **_):
    return b.op("Clip", [x, b.scalar(0.0), b.scalar(6.0)], hint)


def _leaky_relu(b, x, hint, negative_slope=0.2, **_):
    return b.op("LeakyRelu", [x], hint, alpha=float(negative_slope))


def _elu(b, x, hint, alpha=1.0, **_):
    return b.op("Elu", [x], hint, alpha=float(alpha))


def _softmax(op_type):
    def emit(b, x, hint, axis=-1, **_):
        return b.op(op_type, [x], hint, axis=int(axis))
    return emit


_hard_sigmoid = _unary("HardSigmoid", alpha=1 / 6, beta=0.5)


def _celu(b, x, hint, alpha=1.0, **_):
    return b.op("Celu", [x], hint, alpha=float(alpha))


def _glu(b, x, hint, axis=-1, **_):
    first, second = b.op("Split", [x], hint, outputs=2, axis=int(axis))
    return b.op("Mul", [first, b.op("Sigmoid", [second], hint)], hint)


def _shrink(soft: bool):
    def emit(b, x, hint, threshold=0.5, **_):
        return b.op("Shrink", [x], hint, lambd=float(threshold),
                    bias=float(threshold) if soft else 0.0)
    return emit


def _threshold(b, x, hint, threshold, default_value, **_):
    above = b.op("Greater", [x, b.scalar(float(threshold))], hint)
    return b.op("Where", [above, x, b.scalar(float(default_value))], hint)


def _log_sigmoid(b, x, hint, **_):
    return b.op("Neg", [b.op("Softplus", [b.op("Neg", [x], hint)], hint)], hint)


def _sparse_plus(b, x, hint, **_):
    middle = b.op("Add", [b.op("Clip", [x, b.scalar(-1.0), b.scalar(1.0)], hint),
                          b.scalar(1.0)], hint)
    square = b.op("Mul", [b.op("Mul", [middle, middle], hint), b.scalar(0.25)], hint)
    return b.op("Where", [b.op("GreaterOrEqual", [x, b.scalar(1.0)], hint), x, square], hint)


def _sparse_sigmoid(b, x, hint, **_):
    half = b.op("Mul", [b.op("Add", [x, b.scalar(1.0)], hint), b.scalar(0.5)], hint)
    return b.op("Clip", [half, b.scalar(0.0), b.scalar(1.0)], hint)


def _squareplus(builder, x, hint, b=4.0, **_):  # ``b`` is the activation's own argument
    square = builder.op("Mul", [x, x], hint)
    root = builder.op("Sqrt", [builder.op("Add", [square, builder.scalar(float(b))], hint)],
                      hint)
    return builder.op("Mul", [builder.op("Add", [x, root], hint), builder.scalar(0.5)], hint)


def _tanh_shrink(b, x, hint, **_):
    return b.op("Sub", [x, b.op("Tanh", [x], hint)], hint)


def _sparsemax(b, x, hint, axis=-1, **_):
    """Martins & Astudillo (2016) on the last axis: z sorted descending, k = 1..n,
    support k(z) = max{k : 1 + k z_k > sum_{j<=k} z_j}, tau = (sum_{j<=k(z)} z_j - 1) / k(z),
    y = max(x - tau, 0)."""
    if int(axis) != -1:
        raise UnsupportedLayerError(f"ONNX export: sparsemax on axis {axis}: only the last "
                                    f"axis (-1) exports")
    one = b.constant(np.asarray(1, np.int64), "const/one", np.int64)
    size = b.op("Gather", [b.op("Shape", [x], hint), b.ints((-1,))], hint, axis=0)
    ordered, _ = b.op("TopK", [x, size], hint, outputs=2, axis=-1, largest=1, sorted=1)
    last = b.constant(np.asarray(-1, np.int64), "const/axis", np.int64)
    running = b.op("CumSum", [ordered, last], hint)
    stop = b.op("Add", [b.op("Squeeze", [size], hint), one], hint)
    count = b.op("Cast", [b.op("Range", [one, stop, one], hint)], hint, to=1)  # 1..n
    inside = b.op("Greater", [b.op("Add", [b.op("Mul", [count, ordered], hint),
                                          b.scalar(1.0)], hint), running], hint)
    inside = b.op("Cast", [inside], hint, to=1)
    support = b.reduce("ReduceSum", inside, [-1], hint, keepdims=True)
    total = b.reduce("ReduceSum", b.op("Mul", [ordered, inside], hint), [-1], hint,
                     keepdims=True)
    tau = b.op("Div", [b.op("Sub", [total, b.scalar(1.0)], hint), support], hint)
    return b.op("Relu", [b.op("Sub", [x, tau], hint)], hint)

EMITTERS = {
    "linear": lambda b, x, hint, **_: x,
    "relu": _unary("Relu"),
    "sigmoid": _unary("Sigmoid"),
    "tanh": _unary("Tanh"),
    "softplus": _unary("Softplus"),
    "softsign": _unary("Softsign"),
    "selu": _unary("Selu", alpha=1.6732632423543772, gamma=1.0507009873554805),
    "exponential": _unary("Exp"),
    "elu": _elu,
    "leaky_relu": _leaky_relu,
    "relu6": _relu6,
    "gelu": _gelu,
    "hard_sigmoid": _hard_sigmoid,
    "swish": _times(_unary("Sigmoid")),
    "silu": _times(_unary("Sigmoid")),
    "hard_swish": _times(_hard_sigmoid),
    "hard_silu": _times(_hard_sigmoid),
    "mish": _times(_mish_inner),
    "softmax": _softmax("Softmax"),
    "log_softmax": _softmax("LogSoftmax"),
    "celu": _celu,
    "glu": _glu,
    "hard_tanh": lambda b, x, hint, **_: b.op("Clip", [x, b.scalar(-1.0), b.scalar(1.0)],
                                              hint),
    "hard_shrink": _shrink(soft=False),
    "soft_shrink": _shrink(soft=True),
    "threshold": _threshold,
    "log_sigmoid": _log_sigmoid,
    "sparse_plus": _sparse_plus,
    "sparse_sigmoid": _sparse_sigmoid,
    "squareplus": _squareplus,
    "tanh_shrink": _tanh_shrink,
    "sparsemax": _sparsemax,
}


def _name_and_arguments(fn):
    """The registered name of dlpath activation ``fn`` and keyword arguments, or None."""
    keywords = {}
    if isinstance(fn, functools.partial) and not fn.args:
        keywords, fn = dict(fn.keywords), fn.func
    name = activations.serialize(fn)
    try:
        known = activations.get(name)
    except ValueError:
        return None, keywords
    return (name if known is fn else None), keywords


def emit_activation(builder, x: str, fn, layer, hint: str) -> str:
    """The name of ``fn(x)``; ``layer`` is named in the error for an unknown function."""
    name, keywords = _name_and_arguments(fn)
    if name not in EMITTERS:
        label = getattr(fn, "__name__", repr(fn))
        raise UnsupportedLayerError(
            f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) uses the activation "
            f"{label!r}, which has no ONNX form; exportable activations: "
            f"{', '.join(sorted(EMITTERS))}")
    return EMITTERS[name](builder, x, hint, **keywords)


def recurrent_activation_name(fn):
    """The ONNX name (Tanh, Sigmoid, Relu, ...) of ``fn`` as an activation of the ONNX
    recurrent ops, or None when they have none (those with alpha/beta are left out, so
    that no runtime's reading of activation_alpha matters)."""
    name, keywords = _name_and_arguments(fn)
    if keywords:
        return None
    return {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu", "softsign": "Softsign",
            "softplus": "Softplus"}.get(name)
