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
