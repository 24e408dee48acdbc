"""Turning what ``fit``/``evaluate``/``predict`` receive into batches.

Arrays (and lists or dicts of arrays, for several inputs or outputs) are sliced into batches,
shuffled each epoch when asked; generators, iterators and sequences yield batches of their
own, ``(x, y)`` or ``(x, y, sample_weight)`` or ``x``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dlpath.engine import Tensor
from dlpath.random import generator


def _is_array_like(value) -> bool:
    return isinstance(value, (np.ndarray, Tensor)) or np.isscalar(value)


def is_array_structure(value) -> bool:
    """An array, or a list/tuple/dict of arrays (several inputs or outputs)."""
    if value is None or _is_array_like(value):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_array_like(v) or isinstance(v, list) for v in value)
    if isinstance(value, dict):
        return all(_is_array_like(v) for v in value.values())
    return False


def _leaves(structure) -> list:
    if structure is None:
        return []
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _leaves(item)]
    if isinstance(structure, dict):
        return [leaf for item in structure.values() for leaf in _leaves(item)]
    return [structure]


def as_arrays(structure):
    """Replace Tensors and nested Python lists by NumPy arrays, keeping the structure."""
    if structure is None:
        return None
    if isinstance(structure, Tensor):
        return structure.data
    if isinstance(structure, np.ndarray):
        return structure
    if isinstance(structure, dict):
        return {k: as_arrays(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        if all(_is_array_like(v) for v in structure) and any(
                isinstance(v, (np.ndarray, Tensor)) for v in structure):
            return [as_arrays(v) for v in structure]
        return np.asarray(structure)
    return np.asarray(structure)


def take(structure, indices):
    """Rows ``indices`` of every array in ``structure``."""
    if structure is None:
        return None
    if isinstance(structure, dict):
        return {k: take(v, indices) for k, v in structure.items()}
    if isinstance(structure, list):
        return [take(v, indices) for v in structure]
    return structure[indices]


def num_samples(*structures) -> int:
    """The common number of rows; a clear error when the arrays disagree."""
    lengths = {}
    for name, structure in zip(("x", "y", "sample_weight"), structures):
        for leaf in _leaves(structure):
            lengths.setdefault(len(leaf), []).append(f"{name} {np.shape(leaf)}")
    if len(lengths) > 1:
        detail = "; ".join(", ".join(v) for v in lengths.values())
        raise ValueError(f"Data cardinality is ambiguous: all arrays must have the same "
                         f"number of samples, got {detail}")
    if not lengths:
        raise ValueError("No data: x is empty")
    return next(iter(lengths))


class ArrayDataAdapter:
    """Batches of ``batch_size`` rows from arrays, reshuffled each epoch when ``shuffle``."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 steps=None):
        self.x, self.y, self.sample_weight = as_arrays(x), as_arrays(y), as_arrays(
            sample_weight)
        self.size = num_samples(self.x, self.y, self.sample_weight)
        self.batch_size = int(batch_size or 32)
        if self.batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        self.shuffle = shuffle
        batches = math.ceil(self.size / self.batch_size)
        self.steps = min(steps, batches) if steps else batches

    def epoch(self):
        """The batches of one epoch: (x, y, sample_weight) tuples."""
        order = generator().permutation(self.size) if self.shuffle else None
        for step in range(self.steps):
            begin = step * self.batch_size
            end = begin + self.batch_size
            rows = slice(begin, end) if order is None else order[begin:end]
            yield (take(self.x, rows), take(self.y, rows), take(self.sample_weight, rows))


def unpack_batch(batch):
    """``(x, y, sample_weight)`` from a batch given as x, (x,), (x, y) or (x, y, sw)."""
    if isinstance(batch, tuple):
        if len(batch) == 1:
            return batch[0], None, None
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return batch
        raise ValueError(f"a batch must be x, (x, y) or (x, y, sample_weight), got a tuple "
                         f"of {len(batch)} items")
    return batch, None, None


class GeneratorDataAdapter:
    """Batches from a generator, iterator or re-iterable sequence of batches.

    With ``steps`` each epoch draws that many batches (continuing the same iterator, as
    Keras does with ``steps_per_epoch``); without, an epoch ends when the data runs out and a
    re-iterable source starts over for the next epoch.
    """

    def __init__(self, source, steps=None):
        self.source = source
        self.steps = steps
        self.one_shot = isinstance(source, Iterator)
        self._iterator = iter(source) if self.one_shot else None
        if steps is None and hasattr(source, "__len__"):
            self.steps = len(source)
        self.exhausted = False

    def epoch(self):
        iterator = self._iterator if self.one_shot else iter(self.source)
        count = 0
        while self.steps is None or count < self.steps:
            try:
                batch = next(iterator)
            except StopIteration:
                self.exhausted = self.one_shot
                return
            count += 1
            x, y, sw = unpack_batch(batch)
            yield as_arrays(x), as_arrays(y), as_arrays(sw)


def make_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None):
    """The adapter for ``x``: arrays are batched, anything else must yield batches."""
    if is_array_structure(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, shuffle, steps)
    if y is not None:
        raise ValueError("y must not be given when x is a generator or dataset of batches "
                         "(the batches carry their own targets)")
    if not hasattr(x, "__iter__"):
        raise TypeError(f"cannot use x of type {type(x).__name__}: expected NumPy arrays, "
                        f"a list/dict of arrays, or an iterable of (x, y) batches")
    return GeneratorDataAdapter(x, steps)


def split_validation(x, y, sample_weight, validation_split: float):
    """Keras' validation_split: the LAST fraction of the samples, taken before shuffling."""
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be in (0, 1), got {validation_split}")
    if not is_array_structure(x):
        raise ValueError("validation_split works only with array inputs, not generators; "
                         "pass validation_data instead")
    x, y, sample_weight = as_arrays(x), as_arrays(y), as_arrays(sample_weight)
    size = num_samples(x, y, sample_weight)
    split_at = int(size * (1 - validation_split))
    if split_at == 0 or split_at == size:
        raise ValueError(f"validation_split={validation_split} leaves an empty training or "
                         f"validation set with {size} samples")
    train, val = slice(0, split_at), slice(split_at, size)
    return ((take(x, train), take(y, train), take(sample_weight, train)),
            (take(x, val), take(y, val), take(sample_weight, val)))


def class_weights_to_sample_weights(y, class_weight: dict) -> np.ndarray:
    """One weight per sample from ``{class_index: weight}`` (labels sparse or one-hot)."""
    if isinstance(y, (list, dict)):
        raise ValueError("class_weight is supported only for models with a single output")
    labels = np.asarray(y)
    if labels.ndim >= 2 and labels.shape[-1] > 1:
        labels = labels.argmax(-1)
    labels = labels.reshape(len(labels), -1)[:, 0].astype(np.int64)
    unknown = sorted(set(np.unique(labels)) - set(class_weight))
    if unknown:
        raise ValueError(f"class_weight has no entry for classes {unknown[:10]}")
    lookup = np.zeros(max(max(class_weight), labels.max()) + 1, dtype=np.float32)
    for cls, weight in class_weight.items():
        lookup[int(cls)] = weight
    return lookup[labels]
