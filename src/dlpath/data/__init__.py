"""``tf.data``: lazy input pipelines (`Dataset`) and index-addressed batches (`PyDataset`).

``import dlpath as tf`` then ``tf.data.Dataset.from_tensor_slices((x, y)).batch(32)``;
``model.fit`` accepts a `Dataset` or a `PyDataset` directly.
"""

from . import experimental
from .cardinality import AUTOTUNE
from .dataset import Dataset
from .experimental import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from .py_dataset import PyDataset, Sequence
from .structure import DataArray, TensorSpec

__all__ = [
    "AUTOTUNE",
    "DataArray",
    "Dataset",
    "INFINITE_CARDINALITY",
    "PyDataset",
    "Sequence",
    "TensorSpec",
    "UNKNOWN_CARDINALITY",
    "experimental",
]


def __getattr__(name):
    # A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing,
    # imported only then: it loads the Keras namespace). Submodules not imported yet are
    # left to the import system.
    import importlib.util

    if name.startswith("_") or importlib.util.find_spec(f"{__name__}.{name}") is not None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from dlpath.keras.missing import attribute_error

    raise attribute_error(__name__, name)
