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
