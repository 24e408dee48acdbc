"""Weight regularizers: penalties added to the loss to keep weights small.

L1:  factor * sum |w|       (drives weights to exactly zero: sparse models)
L2:  factor * sum w^2       (weight decay; Keras' convention, without a 1/2)
L1L2: both.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.losses import l1_penalty, l2_penalty


class Regularizer:
    """Callable ``penalty = regularizer(weights)`` with a config that rebuilds it."""

    def __call__(self, weights):  # pragma: no cover - always overridden
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Regularizer":
        return cls(**config)


def _check_factor(name: str, value) -> float:
    value = float(value)
    if value < 0:
        raise ValueError(f"{name}: the factor must be >= 0, got {value}")
    return value


class L1L2(Regularizer):
    """l1 * sum |w| + l2 * sum w^2."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _check_factor("L1L2 l1", l1)
        self.l2 = _check_factor("L1L2 l2", l2)

    def __call__(self, weights):
        penalty = None
        if self.l1:
            penalty = l1_penalty(weights, self.l1)
        if self.l2:
            term = l2_penalty(weights, self.l2)
            penalty = term if penalty is None else penalty + term
        return penalty if penalty is not None else l2_penalty(weights, 0.0)

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """l1 * sum |w|  (Keras default factor 0.01)."""

    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    """l2 * sum w^2  (Keras default factor 0.01)."""

    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    r"""Pushes the rows (``mode="rows"``) or columns of a 2-D weight towards orthogonality:

    .. math::
        \text{penalty} = \text{factor} \cdot \tfrac12 \sum_{i \ne j} |\hat w_i \cdot
        \hat w_j| \,/\, \tfrac{n (n - 1)}{2}, \qquad
        \hat w_i = w_i / \max(\lVert w_i \rVert, 10^{-7})

    over the :math:`n` rows (or columns) :math:`w_i`: the mean absolute cosine between
    distinct pairs, times ``factor`` (Keras 3's formula).
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _check_factor("OrthogonalRegularizer factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: mode must be 'rows' or 'columns', got "
                             f"{mode!r}")
        self.mode = mode

    def __call__(self, weights):
        from dlpath.engine import ops
        from dlpath.engine.ops._coerce import to_tensor

        w = to_tensor(weights)
        if w.ndim != 2:
            raise ValueError(f"OrthogonalRegularizer: expected weights of rank 2, got shape "
                             f"{w.shape}")
        if self.mode == "columns":
            w = ops.transpose(w)                                      # (n, d)
        norms = ops.sqrt(ops.sum(w * w, axis=1, keepdims=True))
        unit = w / ops.maximum(norms, 1e-7)
        products = ops.matmul(unit, ops.transpose(unit))              # (n, n) cosines
        n = products.shape[0]
        off_diagonal = 1.0 - np.eye(n, dtype=products.dtype)
        pairs = max(n * (n - 1) / 2.0, 1.0)
        return ops.sum(ops.abs(products * off_diagonal)) * (self.factor * 0.5 / pairs)

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


orthogonal_regularizer = OrthogonalRegularizer


def l1(l1: float = 0.01) -> L1:  # noqa: D103 - Keras' function spelling
    return L1(l1)


def l2(l2: float = 0.01) -> L2:  # noqa: D103
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: D103
    return L1L2(l1, l2)


_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2,
            "orthogonal_regularizer": OrthogonalRegularizer}
_BY_CLASS = {"L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer}


def get(identifier):
    """A regularizer from None, a name ('l1', 'l2', 'l1_l2'), a config dict or a callable."""
    if identifier is None or isinstance(identifier, Regularizer) or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _BY_NAME:
            raise ValueError(f"unknown regularizer '{identifier}'; known: {sorted(_BY_NAME)}")
        return _BY_NAME[key]()
    if isinstance(identifier, dict) and identifier.get("class_name") in _BY_CLASS:
        return _BY_CLASS[identifier["class_name"]].from_config(identifier.get("config", {}))
    raise ValueError(f"cannot interpret {identifier!r} as a regularizer")


def serialize(regularizer) -> dict | None:
    if regularizer is None:
        return None
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config, custom_objects: dict | None = None):
    """A regularizer from `serialize`'s output (or Keras' config dict) or a name."""
    from dlpath.serialization import deserialize_from

    return deserialize_from("regularizers", "regularizer", config, _BY_CLASS, custom_objects,
                            get)


__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]
