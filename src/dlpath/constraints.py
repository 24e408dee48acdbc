r"""Weight constraints (Keras 3 ``keras.constraints``): projections applied to a variable
after each optimizer update.

A constraint is a callable ``w -> w'`` of the same shape. A layer created with
``kernel_constraint=...`` (or ``bias_constraint``, ``embeddings_constraint``,
``recurrent_constraint``, ...) gives it to its variable, and `Optimizer.apply` replaces the
variable's value by ``constraint(variable)`` once the update is done, as Keras does. The
projection is not part of the graph: it runs without gradients, on the values.

With :math:`\lVert w \rVert` the L2 norm along ``axis`` (kept as a size-1 axis) and
:math:`\epsilon = 10^{-7}` (Keras' ``backend.epsilon()``):

- `MaxNorm`: :math:`w \cdot \min(\lVert w \rVert, c) / (\epsilon + \lVert w \rVert)`;
- `MinMaxNorm`: :math:`w \cdot (r \operatorname{clip}(\lVert w \rVert, a, b) + (1 - r)
  \lVert w \rVert) / (\epsilon + \lVert w \rVert)`;
- `NonNeg`: :math:`w \cdot [w \ge 0]`;
- `UnitNorm`: :math:`w / (\epsilon + \lVert w \rVert)`.

``axis=0`` constrains each column of a Dense kernel (in, out) — the incoming weights of
each unit; for a Conv2D kernel (kh, kw, in, out) use ``axis=[0, 1, 2]``.
"""

from __future__ import annotations

import numbers

import numpy as np

from dlpath.serialization import deserialize_from

EPSILON = 1e-7


def _values(w) -> np.ndarray:
    """The ndarray of a Tensor/Variable (``.data``) or of an array-like."""
    data = getattr(w, "data", None)
    return data if isinstance(data, np.ndarray) else np.asarray(w)


def _axis(owner: str, axis):
    if isinstance(axis, bool) or not isinstance(axis, (numbers.Integral, list, tuple)):
        raise TypeError(f"{owner}: axis must be an int or a list of ints, got {axis!r}")
    if isinstance(axis, (list, tuple)):
        if not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axis):
            raise TypeError(f"{owner}: axis must be an int or a list of ints, got {axis!r}")
        return [int(a) for a in axis]
    return int(axis)


def _number(owner: str, name: str, value, low=None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__}")
    if low is not None and value < low:
        raise ValueError(f"{owner}: {name} must be >= {low}, got {value}")
    return float(value)


class Constraint:
    """Base class: ``__call__(w)`` returns the projected weights (here, ``w`` unchanged).

    Subclasses override ``__call__`` (it receives the variable; return an array or a
    Tensor of its shape) and ``get_config``.
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Constraint":
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class _NormConstraint(Constraint):
    """Shared by the norm constraints: the L2 norm of ``w`` along ``axis``."""

    def __init__(self, axis=0):
        self.axis = _axis(type(self).__name__, axis)

    def _norms(self, w: np.ndarray) -> np.ndarray:
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        rank = w.ndim
        for a in np.atleast_1d(axis):
            if not -rank <= a < rank:
                raise ValueError(f"{type(self).__name__}: axis {self.axis} is out of range "
                                 f"for weights of shape {w.shape}")
        return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


class MaxNorm(_NormConstraint):
    r"""Each slice's L2 norm along ``axis`` at most ``max_value`` (Srivastava et al., 2014,
    "Dropout", sec. 5.1): :math:`w \min(\lVert w \rVert, c) / (\epsilon + \lVert w \rVert)`.

    Args:
        max_value: :math:`c`, the largest norm allowed (default 2).
        axis: the axis or axes the norm runs along (default 0: each column).
    """

    def __init__(self, max_value=2, axis=0):
        super().__init__(axis)
        self.max_value = _number("MaxNorm", "max_value", max_value, low=0.0)

    def __call__(self, w):
        w = _values(w)
        norms = self._norms(w)
        desired = np.clip(norms, 0.0, self.max_value)
        return (w * (desired / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(_NormConstraint):
    r"""Each slice's L2 norm along ``axis`` moved (at ``rate``) into
    [``min_value``, ``max_value``]:
    :math:`w (r \operatorname{clip}(\lVert w \rVert, a, b) + (1 - r)\lVert w \rVert) /
    (\epsilon + \lVert w \rVert)`.

    Args:
        min_value: :math:`a` (default 0). max_value: :math:`b` (default 1).
        rate: :math:`r \in [0, 1]`, 1 for the strict projection (default 1).
        axis: the axis or axes the norm runs along (default 0).
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        super().__init__(axis)
        self.min_value = _number("MinMaxNorm", "min_value", min_value, low=0.0)
        self.max_value = _number("MinMaxNorm", "max_value", max_value, low=0.0)
        if self.max_value < self.min_value:
            raise ValueError(f"MinMaxNorm: max_value must be >= min_value, got "
                             f"min_value={self.min_value}, max_value={self.max_value}")
        self.rate = _number("MinMaxNorm", "rate", rate, low=0.0)
        if self.rate > 1.0:
            raise ValueError(f"MinMaxNorm: rate must be in [0, 1], got {self.rate}")

    def __call__(self, w):
        w = _values(w)
        norms = self._norms(w)
        desired = (self.rate * np.clip(norms, self.min_value, self.max_value)
                   + (1.0 - self.rate) * norms)
        return (w * (desired / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


class NonNeg(Constraint):
    r"""Non-negative weights: :math:`w \cdot [w \ge 0]`."""

    def __call__(self, w):
        w = _values(w)
        return w * (w >= 0).astype(w.dtype)


class UnitNorm(_NormConstraint):
    r"""Each slice of unit L2 norm along ``axis``: :math:`w / (\epsilon + \lVert w \rVert)`.

    Args:
        axis: the axis or axes the norm runs along (default 0).
    """

    def __call__(self, w):
        w = _values(w)
        return (w / (EPSILON + self._norms(w))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"axis": self.axis}


# Keras' function-style aliases.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_BY_CLASS = {"Constraint": Constraint, "MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm,
             "NonNeg": NonNeg, "UnitNorm": UnitNorm}
_BY_NAME = {"max_norm": MaxNorm, "maxnorm": MaxNorm, "min_max_norm": MinMaxNorm,
            "minmaxnorm": MinMaxNorm, "non_neg": NonNeg, "nonneg": NonNeg,
            "unit_norm": UnitNorm, "unitnorm": UnitNorm}


def serialize(constraint) -> dict | None:
    """``{"module": "keras.constraints", "class_name": ..., "config": ...,
    "registered_name": ...}`` for a constraint (None stays None)."""
    if constraint is None:
        return None
    if not hasattr(constraint, "get_config"):
        raise TypeError(f"constraints.serialize: {constraint!r} has no get_config(), so it "
                        f"cannot be saved; subclass keras.constraints.Constraint")
    from dlpath.saving.registry import registered_name

    cls = type(constraint)
    builtin = _BY_CLASS.get(cls.__name__) is cls
    return {"module": "keras.constraints" if builtin else cls.__module__,
            "class_name": cls.__name__, "config": constraint.get_config(),
            "registered_name": None if builtin else registered_name(cls)}


def deserialize(config, custom_objects: dict | None = None):
    """A constraint from `serialize`'s output, a class name or an alias ('max_norm')."""
    if isinstance(config, dict) and "class_name" in config:
        from dlpath.saving.registry import lookup_custom

        found = lookup_custom(config["class_name"], config.get("registered_name"),
                              custom_objects)
        if found is not None:
            return found.from_config(dict(config.get("config") or {}))
    return deserialize_from("constraints", "constraint", config, _BY_CLASS, custom_objects,
                            get)


def get(identifier):
    """A constraint from None, a name ('max_norm', 'MaxNorm'), a config dict or a callable."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_CLASS.get(identifier) or _BY_NAME.get(identifier.lower())
        if cls is None:
            known = sorted(set(_BY_CLASS) | set(_BY_NAME))
            raise ValueError(f"constraints.get: unknown constraint {identifier!r}; known: "
                             f"{known}")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise TypeError(f"constraints.get: cannot interpret {identifier!r} as a constraint; "
                    f"expected None, a name, a config dict or a callable")


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm",
           "min_max_norm", "non_neg", "unit_norm", "get", "serialize", "deserialize"]
