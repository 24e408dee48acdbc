"""dlpath: deep learning from first principles, with a Keras-compatible API.

``import dlpath as tf`` gives ``tf.keras`` (layers, models, optimizers, losses, metrics,
callbacks, datasets, preprocessing, utils) and ``tf.random.set_seed``.
"""

from dlpath import random
from dlpath.engine import Tensor, gradcheck, no_grad

__version__ = "0.1.0"


def __getattr__(name):
    # The Keras namespace imports every layer and the training loop; load it on first use.
    if name == "keras":
        import importlib

        return importlib.import_module("dlpath.keras")
    raise AttributeError(f"module 'dlpath' has no attribute {name!r}")


__all__ = ["Tensor", "no_grad", "gradcheck", "keras", "random", "__version__"]
