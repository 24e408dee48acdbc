"""Weight initializers with Keras 3's names, defaults and formulas.

``init(shape, dtype="float32") -> np.ndarray``. ``get`` resolves what a layer's
``kernel_initializer=`` accepts: a name (``"glorot_uniform"`` or ``"GlorotUniform"``), a
``{"class_name": ..., "config": ...}`` dict, a callable or an instance.
"""

from __future__ import annotations

import inspect

from dlpath.initializers.base import Initializer, compute_fans
from dlpath.initializers.constant import Constant, Identity, Ones, Zeros
from dlpath.initializers.random_initializers import (
    Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
)
from dlpath.initializers.variance_scaling import (
    GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
    VarianceScaling,
)

# snake_case aliases, as ``keras.initializers.glorot_uniform``.
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
orthogonal = Orthogonal
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
# Keras 3's class names, under which it saves these two.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal

_CLASSES = (Zeros, Ones, Constant, Identity, RandomNormal, RandomUniform, TruncatedNormal,
            VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal,
            LecunUniform, Orthogonal)
_ALIASES = {
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "identity": Identity, "random_normal": RandomNormal, "normal": RandomNormal,
    "random_uniform": RandomUniform, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_normal": GlorotNormal, "glorot_uniform": GlorotUniform, "he_normal": HeNormal,
    "he_uniform": HeUniform, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal,
}
_BY_NAME = dict(_ALIASES, **{cls.__name__: cls for cls in _CLASSES},
                IdentityInitializer=Identity, OrthogonalInitializer=Orthogonal)


def _known() -> str:
    return ", ".join(repr(name) for name in _ALIASES)


def serialize(initializer: Initializer) -> dict:
    """``{"class_name": ..., "config": ...}`` for an initializer."""
    if not isinstance(initializer, Initializer):
        raise TypeError(
            f"initializers.serialize: expected an Initializer, got "
            f"{type(initializer).__name__}"
        )
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Initializer:
    """Rebuild an initializer from `serialize`'s output (Keras' extra keys are ignored)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"initializers.deserialize: expected a dict with 'class_name' and 'config', "
            f"got {config!r}"
        )
    known = dict(_BY_NAME, **(custom_objects or {}))
    name = config["class_name"]
    if name not in known:
        raise ValueError(
            f"initializers.deserialize: unknown initializer {name!r}; known: {_known()}"
        )
    return known[name].from_config(dict(config.get("config") or {}))


def get(identifier):
    """An initializer from a name, a config dict, a class, a callable or an instance
    (``None`` gives ``None``)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier)
        if cls is None:
            raise ValueError(
                f"initializers.get: unknown initializer {identifier!r}; known: {_known()}"
            )
        return cls()
    if inspect.isclass(identifier) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"initializers.get: expected a name ({_known()}), a config dict or a callable, "
        f"got {type(identifier).__name__}"
    )


__all__ = [
    "Initializer", "compute_fans", "get", "serialize", "deserialize",
    "Zeros", "Ones", "Constant", "Identity", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "GlorotNormal", "GlorotUniform", "HeNormal",
    "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal",
    "zeros", "ones", "constant", "identity", "random_normal", "random_uniform",
    "truncated_normal", "variance_scaling", "orthogonal", "glorot_normal", "glorot_uniform",
    "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
    "IdentityInitializer", "OrthogonalInitializer",
]
