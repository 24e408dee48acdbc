"""Turning what ``fit``/``evaluate``/``predict`` receive into batches.

One adapter per kind of data, each with ``steps`` (batches per epoch, None: until the data
ends) and ``epoch()`` (the batches of one epoch as ``(x, y, sample_weight)`` tuples):

- `ArrayDataAdapter`: arrays (and lists or dicts of arrays, for several inputs or outputs)
  sliced into batches, shuffled each epoch when asked;
- `DatasetAdapter`: a `dlpath.data.Dataset`, whose elements are the batches;
- `PyDatasetAdapter`: a `dlpath.data.PyDataset` / ``keras.utils.Sequence``, batch ``i``
  being ``dataset[i]``, with ``on_epoch_begin``/``on_epoch_end`` around each epoch;
- `GeneratorDataAdapter`: generators, iterators and other iterables of batches.

Batches are ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from dlpath.data import Dataset, PyDataset
from dlpath.data import cardinality as card
from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.random import generator

# The numeric arguments of fit/evaluate/predict and what each accepts.
_ARGUMENT_CHECKS = {
    "batch_size": arguments.optional_positive_int,
    "validation_batch_size": arguments.optional_positive_int,
    "epochs": arguments.non_negative_int,
    "initial_epoch": arguments.non_negative_int,
    "steps_per_epoch": arguments.optional_positive_int,
    "validation_steps": arguments.optional_positive_int,
    "steps": arguments.optional_positive_int,
    "validation_freq": arguments.positive_int,
    "validation_split": arguments.rate,
}


def check_arguments(owner: str, **values) -> dict:
    """Check the loop arguments ``values`` of method ``owner`` (``"fit"``, ...).

    Returns:
        ``{name: value}`` in normal form (Python ints and floats).

    Raises:
        InvalidArgumentError: naming the method, the argument and the accepted values.
    """
    return {name: _ARGUMENT_CHECKS[name](value, name, owner) for name, value in values.items()}


def check_verbose(verbose, owner: str) -> int:
    """``verbose`` as 0 (silent), 1 (progress bar) or 2 (one line per epoch); "auto" is 1."""
    if isinstance(verbose, str) and verbose == "auto":
        return 1
    if isinstance(verbose, (bool, np.bool_)) or (arguments.is_int(verbose) and verbose >= 0):
        return int(verbose)
    error = (arguments.InvalidArgumentError if arguments.is_int(verbose)
             else arguments.ArgumentTypeError)
    raise error(f"{owner}: verbose must be 'auto', 0, 1 or 2, got {arguments.describe(verbose)}")


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


def num_samples(*structures, owner: str = "fit") -> int:
    """The common number of rows of ``x``, ``y``, ``sample_weight``; at least one.

    Raises:
        InvalidArgumentError: a scalar where an array of samples is expected, no samples,
            or arrays with different numbers of samples.
    """
    first = structures[0] if structures else None
    if (type(first) is np.ndarray and first.ndim and len(first)
            and all(s is None for s in structures[1:])):
        return len(first)  # one array of samples (predict's x): nothing can disagree
    lengths = {}
    for name, structure in zip(("x", "y", "sample_weight"), structures):
        for leaf in _leaves(structure):
            lengths.setdefault(_rows(leaf, name, owner), []).append(f"{name} {np.shape(leaf)}")
    if len(lengths) > 1:
        detail = "; ".join(", ".join(v) for v in lengths.values())
        raise arguments.InvalidArgumentError(
            f"{owner}: data cardinality is ambiguous: all arrays must have the same number "
            f"of samples, got {detail}")
    if not lengths:
        raise arguments.InvalidArgumentError(
            f"{owner}: no data: x is None or holds no arrays; expected arrays of samples")
    if 0 in lengths:
        raise arguments.InvalidArgumentError(
            f"{owner}: the data has no samples ({', '.join(lengths[0])}); expected at least "
            f"one sample along the first axis")
    return next(iter(lengths))


def _rows(array, name: str, owner: str) -> int:
    """The number of samples (first axis) of ``array``; a scalar has none."""
    if np.ndim(array) == 0:
        value = array.item() if isinstance(array, np.ndarray) else array
        raise arguments.InvalidArgumentError(
            f"{owner}: {name} must be an array whose first axis holds the samples, got a "
            f"scalar {arguments.describe(value)}")
    return len(array)


class ArrayDataAdapter:
    """Batches of ``batch_size`` rows from arrays, reshuffled each epoch when ``shuffle``."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 steps=None, owner="fit"):
        self.x, self.y, self.sample_weight = as_arrays(x), as_arrays(y), as_arrays(
            sample_weight)
        self.size = num_samples(self.x, self.y, self.sample_weight, owner=owner)
        self.batch_size = arguments.optional_positive_int(batch_size, "batch_size", owner) or 32
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


def _warn_ran_out(owner: str, steps: int) -> None:
    warnings.warn(f"{owner}: the input ran out of data; interrupting the epoch. Make sure "
                  f"that the dataset or generator can produce at least steps_per_epoch * "
                  f"epochs batches ({steps} per epoch); use .repeat() on a Dataset.",
                  stacklevel=4)


class _StepCursor:
    """The batch iterator shared by the epochs when ``steps`` is given (as Keras does).

    Without ``steps`` every epoch starts afresh and runs to the end of the data. With
    ``steps`` each epoch continues where the previous one stopped; the iterator starts
    over once all ``size`` batches (when known) were drawn, or when it runs out early
    (with a warning).
    """

    def __init__(self, start, steps, size, owner):
        self.start, self.steps, self.size, self.owner = start, steps, size, owner
        self.iterator, self.seen = None, 0

    def batches(self):
        if self.iterator is None or self.steps is None:
            self.iterator, self.seen = self.start(), 0
        count = 0
        while self.steps is None or count < self.steps:
            try:
                batch = next(self.iterator)
            except StopIteration:
                if self.steps is not None:
                    _warn_ran_out(self.owner, self.steps)
                self.iterator = None
                return
            count += 1
            self.seen += 1
            yield batch
        if self.size is not None and self.seen >= self.size:
            self.iterator = None


def _as_batch(batch):
    x, y, sample_weight = unpack_batch(batch)
    return as_arrays(x), as_arrays(y), as_arrays(sample_weight)


class DatasetAdapter:
    """The elements of a `Dataset` as batches (``fit(ds)``, ``fit(ds, steps_per_epoch=n)``).

    Raises:
        InvalidArgumentError: the dataset is infinite (``repeat()``) and ``steps`` is None.
    """

    def __init__(self, dataset, steps=None, owner="fit"):
        size = int(dataset.cardinality())
        if size == card.INFINITE and steps is None:
            argument = "steps_per_epoch" if owner == "fit" else (
                "validation_steps" if "validation" in owner else "steps")
            raise arguments.InvalidArgumentError(
                f"{owner}: the dataset is infinite (it repeats without end), so each epoch "
                f"needs a number of batches: pass {argument}=N")
        self.dataset = dataset
        self.steps = steps if steps is not None else (size if card.known(size) else None)
        known_size = size if card.known(size) else None
        self._cursor = _StepCursor(self._start, steps, known_size, owner)

    def _start(self):
        return iter(self.dataset.as_numpy_iterator())

    def epoch(self):
        for batch in self._cursor.batches():
            yield _as_batch(batch)


class PyDatasetAdapter:
    """Batches ``dataset[i]`` of a `PyDataset` (``keras.utils.Sequence``).

    Each epoch calls ``on_epoch_begin()``, draws the batches, then calls ``on_epoch_end()``
    (also when training stops early). ``shuffle`` draws the batch indices in a new random
    order each epoch, as tf.keras does. ``workers > 1`` on the dataset loads up to
    ``max_queue_size`` batches ahead on threads (see `dlpath.data.py_dataset`).

    Raises:
        InvalidArgumentError: the dataset has no length (``num_batches`` None) and
            ``steps`` is None.
    """

    _warned_processes = False

    def __init__(self, dataset, shuffle=False, steps=None, owner="fit"):
        size = dataset.num_batches
        if size is None and steps is None:
            raise arguments.InvalidArgumentError(
                f"{owner}: {type(dataset).__name__} has no length (num_batches is None), so "
                f"each epoch needs a number of batches: pass steps_per_epoch=N (or steps=N)")
        if size is not None and (not arguments.is_int(size) or size < 0):
            raise arguments.InvalidArgumentError(
                f"{owner}: len({type(dataset).__name__}) must be a non-negative int, got "
                f"{arguments.describe(size)}")
        self.dataset, self.shuffle, self.owner = dataset, shuffle, owner
        self.steps = steps if steps is not None else size
        self._cursor = _StepCursor(self._start, steps, size, owner)
        if dataset.use_multiprocessing and not PyDatasetAdapter._warned_processes:
            PyDatasetAdapter._warned_processes = True
            warnings.warn(f"{type(dataset).__name__}: use_multiprocessing=True is served by "
                          f"{dataset.workers} thread(s); batches are not sent between "
                          f"processes", stacklevel=3)

    def _indices(self):
        size = self.dataset.num_batches
        if size is None:
            return _count_up()
        order = generator().permutation(size) if self.shuffle else range(size)
        return (int(i) for i in order)

    def _start(self):
        workers = max(int(self.dataset.workers), 1)
        if workers == 1:
            return (self.dataset[i] for i in self._indices())
        return _read_ahead(self.dataset, self._indices(), workers,
                           max(int(self.dataset.max_queue_size), 1))

    def epoch(self):
        self.dataset.on_epoch_begin()
        try:
            for batch in self._cursor.batches():
                yield _as_batch(batch)
        finally:
            self.dataset.on_epoch_end()


def _count_up():
    index = 0
    while True:
        yield index
        index += 1


def _read_ahead(dataset, indices, workers, queue_size):
    """``dataset[i]`` for each of ``indices``, in order, loaded ahead on ``workers`` threads.

    At most ``queue_size`` batches are requested ahead of the one being consumed.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        for index in indices:
            pending.append(pool.submit(dataset.__getitem__, index))
            if len(pending) >= queue_size:
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()


def make_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None,
                 owner="fit"):
    """The adapter for ``x``: arrays are batched, anything else must yield batches.

    ``owner`` is the method (``"fit"``, ``"evaluate"``, ``"predict"``) named in errors.
    ``batch_size`` applies to arrays only: the other kinds yield their own batches.
    """
    if is_array_structure(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, shuffle, steps, owner)
    if y is not None:
        raise ValueError(f"{owner}: y must not be given when x is a generator or dataset of "
                         f"batches (the batches carry their own targets)")
    if sample_weight is not None:
        raise ValueError(f"{owner}: sample_weight must not be given when x is a generator "
                         f"or dataset of batches (give (x, y, sample_weight) batches)")
    if isinstance(x, Dataset):
        return DatasetAdapter(x, steps, owner)
    if isinstance(x, PyDataset):
        return PyDatasetAdapter(x, shuffle, steps, owner)
    if not hasattr(x, "__iter__"):
        raise TypeError(f"{owner}: cannot use x of type {type(x).__name__}: expected NumPy "
                        f"arrays, a list/dict of arrays, or an iterable of (x, y) batches")
    return GeneratorDataAdapter(x, steps)


def split_validation(x, y, sample_weight, validation_split: float):
    """Keras' validation_split: the LAST fraction of the samples, taken before shuffling."""
    if not 0 < validation_split < 1:
        raise ValueError(f"fit: validation_split must be in (0, 1), got {validation_split}")
    if not is_array_structure(x):
        raise ValueError("fit: validation_split works only with array inputs, not "
                         "generators; pass validation_data instead")
    x, y, sample_weight = as_arrays(x), as_arrays(y), as_arrays(sample_weight)
    size = num_samples(x, y, sample_weight, owner="fit")
    split_at = int(size * (1 - validation_split))
    if split_at == 0 or split_at == size:
        raise ValueError(f"validation_split={validation_split} leaves an empty training or "
                         f"validation set with {size} samples")
    train, val = slice(0, split_at), slice(split_at, size)
    return ((take(x, train), take(y, train), take(sample_weight, train)),
            (take(x, val), take(y, val), take(sample_weight, val)))


def class_weights_to_sample_weights(y, class_weight: dict) -> np.ndarray:
    """One weight per sample from ``{class_index: weight}`` (labels sparse or one-hot)."""
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be a dict {{class index: weight}}, got "
                        f"{type(class_weight).__name__}")
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


class ClassWeightedAdapter:
    """Another adapter's batches with ``class_weight`` turned into sample weights batch by
    batch, for data that come in batches (a Dataset, a generator, a PyDataset): each
    (x, y[, sample_weight]) batch becomes (x, y, sample_weight * class_weight[y])."""

    def __init__(self, adapter, class_weight: dict, owner: str = "fit"):
        self.adapter, self.class_weight, self.owner = adapter, class_weight, owner

    def __getattr__(self, name):  # steps, exhausted, ...: the wrapped adapter's
        return getattr(self.adapter, name)

    def epoch(self):
        for batch in self.adapter.epoch():
            x, y, weights = unpack_batch(batch)
            if y is None:
                raise ValueError(f"{self.owner}: class_weight needs targets, but a batch "
                                 f"holds only x")
            scaled = class_weights_to_sample_weights(as_arrays(y), self.class_weight)
            if weights is not None:
                scaled = np.asarray(as_arrays(weights), dtype=np.float32).reshape(
                    len(scaled), -1)[:, 0] * scaled
            yield x, y, scaled
