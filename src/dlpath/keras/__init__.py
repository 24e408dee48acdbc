"""The tf.keras-compatible namespace: ``import dlpath as tf; tf.keras.layers.Dense``.

Re-exports only; the implementations live in dlpath's own modules.
"""

from dlpath.keras import (
    activations, backend, callbacks, datasets, initializers, layers, losses, metrics, models,
    ops, optimizers, preprocessing, random, regularizers, saving, utils,
)
from dlpath.keras import applications, constraints, mixed_precision, wrappers
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential

__all__ = [
    "activations", "backend", "callbacks", "datasets", "initializers", "layers", "losses",
    "metrics", "models", "ops", "optimizers", "preprocessing", "random", "regularizers",
    "saving", "utils", "applications", "constraints", "mixed_precision", "wrappers",
    "Input", "Model", "Sequential",
]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
