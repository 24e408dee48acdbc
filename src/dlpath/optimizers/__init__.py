"""Optimizers with Keras 3's names, defaults and update formulas, and learning-rate schedules.

``get`` resolves what ``model.compile(optimizer=...)`` accepts: a name (``"adam"``, any
case), a ``{"class_name": ..., "config": ...}`` dict, or an `Optimizer` instance.
"""

from __future__ import annotations

from dlpath.optimizers import experimental, legacy, schedules
from dlpath.optimizers.adadelta import Adadelta
from dlpath.optimizers.adafactor import Adafactor
from dlpath.optimizers.adagrad import Adagrad
from dlpath.optimizers.adam import Adam
from dlpath.optimizers.adamax import Adamax
from dlpath.optimizers.adamw import AdamW
from dlpath.optimizers.ftrl import Ftrl
from dlpath.optimizers.lion import Lion
from dlpath.optimizers.nadam import Nadam
from dlpath.optimizers.optimizer import Optimizer
from dlpath.optimizers.rmsprop import RMSprop
from dlpath.optimizers.schedules import LearningRateSchedule
from dlpath.optimizers.sgd import SGD

_OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam,
                                                     AdamW, Adamax, Nadam, Ftrl, Lion,
                                                     Adafactor)}


def _known() -> str:
    return ", ".join(repr(name) for name in _OPTIMIZERS)


def serialize(optimizer: Optimizer) -> dict:
    """``{"class_name": ..., "config": ...}`` for an optimizer."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizers.serialize: expected an Optimizer, got {type(optimizer).__name__}"
        )
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuild an optimizer from `serialize`'s output (class names match in any case)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"optimizers.deserialize: expected a dict with 'class_name' and 'config', "
            f"got {config!r}"
        )
    custom = {name.lower(): cls for name, cls in (custom_objects or {}).items()}
    known = dict(_OPTIMIZERS, **custom)
    name = str(config["class_name"]).lower()
    if name not in known:
        raise ValueError(
            f"optimizers.deserialize: unknown optimizer {config['class_name']!r}; "
            f"known: {_known()}"
        )
    return known[name].from_config(dict(config.get("config", {})), custom_objects)


def get(identifier) -> Optimizer:
    """An optimizer from a name (default hyperparameters), a config dict or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _OPTIMIZERS.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"optimizers.get: unknown optimizer {identifier!r}; known: {_known()}"
            )
        return cls()
    raise TypeError(
        f"optimizers.get: expected a name ({_known()}), a config dict or an Optimizer, "
        f"got {type(identifier).__name__}"
    )


__all__ = [
    "Optimizer", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "AdamW",
    "Adamax", "Nadam", "Ftrl", "Lion", "Adafactor",
    "LearningRateSchedule", "schedules", "legacy", "experimental",
    "get", "serialize", "deserialize",
]
