"""dlpath: deep learning from first principles, with a Keras-compatible API.

``import dlpath as tf`` gives ``tf.keras`` (layers, models, optimizers, losses, metrics,
callbacks, datasets, preprocessing, utils), ``tf.random`` and TensorFlow's own names:
``tf.constant``, ``tf.Variable``, ``tf.GradientTape``, ``tf.reduce_mean``, ``tf.math``,
``tf.nn``, ``tf.config``, ... (`dlpath.tf_api`, loaded on first use).
"""

from dlpath import random
from dlpath.engine import Tensor, gradcheck, no_grad

__version__ = "0.1.0"


def __getattr__(name):
    # The Keras namespace imports every layer and the training loop; load it on first use.
    if name == "keras":
        import importlib

        return importlib.import_module("dlpath.keras")
    if not name.startswith("__"):
        # TensorFlow's names (tf.constant, tf.math, ...) load with their first use too.
        import importlib
        import importlib.util

        tf_api = importlib.import_module("dlpath.tf_api")
        if name in tf_api.__all__:
            return getattr(tf_api, name)
        # Any other name: an error pointing to docs/compatibility.md (dlpath.keras.missing,
        # imported only then), except for submodules, which the import system asks for.
        if not name.startswith("_") and importlib.util.find_spec(f"dlpath.{name}") is None:
            from dlpath.keras.missing import attribute_error

            raise attribute_error(__name__, name, [*tf_api.__all__, "keras"])
    raise AttributeError(f"module 'dlpath' has no attribute {name!r}")


__all__ = ["Tensor", "no_grad", "gradcheck", "keras", "random", "__version__"]
