"""The tf.keras-compatible namespace: ``import dlpath as tf; tf.keras.layers.Dense``.

Re-exports only; the implementations live in dlpath's own modules.
"""

from dlpath.keras import (
    activations, backend, callbacks, datasets, initializers, layers, losses, metrics, models,
    ops, optimizers, preprocessing, random, regularizers, saving, utils,
)
from dlpath.keras import applications, constraints, mixed_precision, wrappers
from dlpath.keras import config, tree
from dlpath.engine import Variable
from dlpath.initializers import Initializer
from dlpath.layers.input_layer import Input, KerasTensor
from dlpath.layers.layer import InputSpec, Layer
from dlpath.losses import Loss
from dlpath.metrics import Metric
from dlpath.models import Model, Sequential
from dlpath.optimizers import Optimizer
from dlpath.regularizers import Regularizer
from dlpath.utils.keras_helpers import device, name_scope, version

__all__ = [
    "activations", "backend", "callbacks", "datasets", "initializers", "layers", "losses",
    "metrics", "models", "ops", "optimizers", "preprocessing", "random", "regularizers",
    "saving", "utils", "applications", "constraints", "mixed_precision", "wrappers",
    "config", "tree",
    "Input", "Model", "Sequential",
    "Layer", "Loss", "Metric", "Optimizer", "Variable", "InputSpec", "Initializer",
    "Regularizer", "KerasTensor", "version", "name_scope", "device",
]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
