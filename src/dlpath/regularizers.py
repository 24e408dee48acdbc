"""Weight regularizers: penalties added to the loss to keep weights small.

L1:  factor * sum |w|       (drives weights to exactly zero: sparse models)
L2:  factor * sum w^2       (weight decay; Keras' convention, without a 1/2)
L1L2: both.
"""

from __future__ import annotations

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


def l1(l1: float = 0.01) -> L1:  # noqa: D103 - Keras' function spelling
    return L1(l1)


def l2(l2: float = 0.01) -> L2:  # noqa: D103
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: D103
    return L1L2(l1, l2)


_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2}
_BY_CLASS = {"L1": L1, "L2": L2, "L1L2": L1L2}


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


__all__ = ["Regularizer", "L1", "L2", "L1L2", "l1", "l2", "l1_l2", "get", "serialize"]
