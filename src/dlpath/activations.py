"""Activations by name, as Keras resolves ``activation='relu'``."""

from __future__ import annotations

from dlpath.engine import activations as _fn
from dlpath.engine.tensor import Tensor

# SELU's constants (Klambauer et al. 2017, "Self-Normalizing Neural Networks").
_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def selu(x):
    """selu(x) = λ x for x > 0, λ α (eˣ − 1) otherwise (λ ≈ 1.0507, α ≈ 1.6733)."""
    return _fn.elu(_tensor(x), _SELU_ALPHA) * _SELU_SCALE


def softsign(x):
    """softsign(x) = x / (1 + |x|)."""
    x = _tensor(x)
    return x / (x.abs() + 1.0)


def swish(x):
    """swish(x) = silu(x) = x σ(x) (Ramachandran et al. 2017; Elfwing et al. 2018)."""
    x = _tensor(x)
    return x * _fn.sigmoid(x)


def hard_sigmoid(x):
    """Keras 3's hard_sigmoid(x) = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1).

    (tf.keras 2 used clip(0.2 x + 0.5, 0, 1); Keras 3 and PyTorch use the slope 1/6.)"""
    return (_tensor(x) / 6.0 + 0.5).clip(0.0, 1.0)


def hard_silu(x):
    """hard_silu(x) = hard_swish(x) = x · hard_sigmoid(x) (Howard et al. 2019, MobileNetV3)."""
    x = _tensor(x)
    return x * hard_sigmoid(x)


def relu6(x):
    """relu6(x) = min(max(x, 0), 6)."""
    return _tensor(x).clip(0.0, 6.0)


def exponential(x):
    """exponential(x) = eˣ."""
    return _tensor(x).exp()


def mish(x):
    """mish(x) = x tanh(softplus(x)) (Misra 2019)."""
    x = _tensor(x)
    return x * _fn.tanh(_fn.softplus(x))


silu = swish
hard_swish = hard_silu

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
    "selu": selu,
    "softsign": softsign,
    "swish": swish,
    "silu": swish,
    "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu,
    "hard_swish": hard_silu,
    "relu6": relu6,
    "exponential": exponential,
    "mish": mish,
    "celu": _fn.celu,
    "glu": _fn.glu,
    "hard_shrink": _fn.hard_shrink,
    "hard_tanh": _fn.hard_tanh,
    "log_sigmoid": _fn.log_sigmoid,
    "soft_shrink": _fn.soft_shrink,
    "sparse_plus": _fn.sparse_plus,
    "sparse_sigmoid": _fn.sparse_sigmoid,
    "sparsemax": _fn.sparsemax,
    "squareplus": _fn.squareplus,
    "tanh_shrink": _fn.tanh_shrink,
    "threshold": _fn.threshold,
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
celu = _fn.celu
glu = _fn.glu
hard_shrink = _fn.hard_shrink
hard_tanh = _fn.hard_tanh
log_sigmoid = _fn.log_sigmoid
soft_shrink = _fn.soft_shrink
sparse_plus = _fn.sparse_plus
sparse_sigmoid = _fn.sparse_sigmoid
sparsemax = _fn.sparsemax
squareplus = _fn.squareplus
tanh_shrink = _fn.tanh_shrink
threshold = _fn.threshold


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


def deserialize(config, custom_objects: dict | None = None):
    """The activation a saved config names: a name (``"relu"``), Keras 3's function form
    ``{"class_name": "function", "config": "relu", ...}``, or a key of ``custom_objects``."""
    custom = dict(custom_objects or {})
    if isinstance(config, dict):
        if config.get("class_name") != "function" or not isinstance(config.get("config"),
                                                                     str):
            raise ValueError(f"activations.deserialize: expected a name or "
                             f"{{'class_name': 'function', 'config': name}}, got {config!r}")
        config = config["config"]
    if not isinstance(config, str):
        raise TypeError(f"activations.deserialize: expected a name or a config dict, got "
                        f"{type(config).__name__}")
    if config in custom:
        return custom[config]
    return get(config)


__all__ = ["get", "serialize", "deserialize", *_BY_NAME]
