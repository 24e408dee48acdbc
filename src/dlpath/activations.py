"""Activations by name, as Keras resolves ``activation='relu'``."""

from __future__ import annotations

from dlpath.engine import activations as _fn

_BY_NAME = {
    "linear": _fn.linear,
    "relu": _fn.relu,
    "leaky_relu": _fn.leaky_relu,
    "elu": _fn.elu,
    "gelu": _fn.gelu,
    "sigmoid": _fn.sigmoid,
    "tanh": _fn.tanh,
    "softplus": _fn.softplus,
    "softmax": _fn.softmax,
    "log_softmax": _fn.log_softmax,
}

linear = _fn.linear
relu = _fn.relu
leaky_relu = _fn.leaky_relu
elu = _fn.elu
gelu = _fn.gelu
sigmoid = _fn.sigmoid
tanh = _fn.tanh
softplus = _fn.softplus
softmax = _fn.softmax
log_softmax = _fn.log_softmax


def get(identifier):
    """The activation function for None (linear), a name, or a callable."""
    if identifier is None:
        return _fn.linear
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _BY_NAME:
            raise ValueError(f"unknown activation '{identifier}'; known: {sorted(_BY_NAME)}")
        return _BY_NAME[key]
    if callable(identifier):
        return identifier
    raise ValueError(f"cannot interpret {identifier!r} as an activation")


def serialize(activation) -> str:
    """The name of an activation function (for get_config)."""
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", str(activation))


__all__ = ["get", "serialize", *_BY_NAME]
