"""`Dataset`: a lazy pipeline of elements with the ``tf.data.Dataset`` API.

A dataset is a chain of nodes (`sources`, `transforms`, `batching`, `shuffling`), each
pulling elements from the one before it only when iterated, so an infinite or large
pipeline is never held in memory (``shuffle`` holds its buffer, ``cache`` what it keeps).
Iteration yields `DataArray` leaves (NumPy arrays with ``.numpy()``) in tuples and dicts,
as ``tf.data`` yields eager tensors; ``as_numpy_iterator`` yields plain NumPy arrays.

Example::

    ds = Dataset.from_tensor_slices((x, y)).shuffle(1000, seed=0).batch(32)
    ds = ds.map(lambda x, y: (x / 255.0, y)).prefetch(AUTOTUNE)
    model.fit(ds, epochs=3)
"""

from __future__ import annotations

import numpy as np

from . import batching, shuffling, sources, structure, transforms
from . import cardinality as card


def _count(value, name: str, owner: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{owner}: {name} must be an int, got {value!r} "
                        f"({type(value).__name__})")
    return int(value)


class Dataset:
    """A sequence of elements built from sources and transformations (see the module)."""

    def __init__(self, node):
        self._node = node

    # ---------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None) -> "Dataset":
        """One element per row (first axis) of ``tensors``: an array, tuple or dict."""
        return Dataset(sources.TensorSlices(tensors))

    @staticmethod
    def from_tensors(tensors, name=None) -> "Dataset":
        """A dataset of one element: ``tensors`` as a whole."""
        return Dataset(sources.Tensors(tensors))

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None) -> "Dataset":
        """The elements yielded by ``generator(*args)`` (called again for each iteration).

        ``output_signature`` (`TensorSpec` structure) or ``output_types`` (and
        ``output_shapes``) cast each component and check its shape.
        """
        signature = sources.signature_from(output_signature, output_types, output_shapes)
        return Dataset(sources.Generator(generator, signature, args))

    @staticmethod
    def range(*args, dtype="int64", name=None) -> "Dataset":
        """``range(stop)``, ``range(start, stop)`` or ``range(start, stop, step)``."""
        return Dataset(sources.Range(*args, dtype=dtype))

    @staticmethod
    def zip(*datasets, name=None) -> "Dataset":
        """Tuples of the elements of ``datasets`` (given as arguments, a tuple or a dict)."""
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, list, dict)):
            datasets = datasets[0]
        if isinstance(datasets, dict):
            nodes = {k: _node_of(d, "zip") for k, d in datasets.items()}
        else:
            nodes = tuple(_node_of(d, "zip") for d in datasets)
        if not nodes:
            raise ValueError("zip: expected at least one dataset")
        return Dataset(sources.Zip(nodes))

    # ---------------------------------------------------------------- transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None,
            name=None) -> "Dataset":
        """``map_func`` applied to each element (``num_parallel_calls`` is accepted; the
        calls run one after another, in order)."""
        return Dataset(transforms.Map(self._node, map_func))

    def filter(self, predicate, name=None) -> "Dataset":
        """The elements for which ``predicate`` returns True."""
        return Dataset(transforms.Filter(self._node, predicate))

    def flat_map(self, map_func, name=None) -> "Dataset":
        """The elements of the datasets ``map_func(element)``, one after another."""
        return Dataset(transforms.FlatMap(self._node, map_func))

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None) -> "Dataset":
        """Consecutive elements stacked ``batch_size`` at a time."""
        return Dataset(batching.Batch(self._node, batch_size, drop_remainder))

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None) -> "Dataset":
        """Batches whose components are padded to the longest (or ``padded_shapes``)."""
        return Dataset(batching.PaddedBatch(self._node, batch_size, padded_shapes,
                                            padding_values, drop_remainder))

    def unbatch(self, name=None) -> "Dataset":
        """The rows of each element, one element each."""
        return Dataset(batching.Unbatch(self._node))

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True,
                name=None) -> "Dataset":
        """The elements in random order through a buffer of ``buffer_size`` (see
        `shuffling`)."""
        return Dataset(shuffling.Shuffle(self._node, buffer_size, seed,
                                         reshuffle_each_iteration))

    def repeat(self, count=None, name=None) -> "Dataset":
        """The dataset ``count`` times over; forever when ``count`` is None or -1."""
        if count is not None:
            count = _count(count, "count", "repeat")
        return Dataset(transforms.Repeat(self._node, count))

    def take(self, count, name=None) -> "Dataset":
        """The first ``count`` elements (-1: all)."""
        return Dataset(transforms.Take(self._node, _count(count, "count", "take")))

    def skip(self, count, name=None) -> "Dataset":
        """All elements after the first ``count`` (-1: none)."""
        return Dataset(transforms.Skip(self._node, _count(count, "count", "skip")))

    def enumerate(self, start=0, name=None) -> "Dataset":
        """``(index, element)`` pairs."""
        return Dataset(transforms.Enumerate(self._node, _count(start, "start", "enumerate")))

    def concatenate(self, dataset, name=None) -> "Dataset":
        """This dataset's elements followed by ``dataset``'s."""
        return Dataset(sources.Concatenate(self._node, _node_of(dataset, "concatenate")))

    def shard(self, num_shards, index, name=None) -> "Dataset":
        """Every ``num_shards``-th element from ``index`` on."""
        return Dataset(transforms.Shard(self._node, _count(num_shards, "num_shards", "shard"),
                                        _count(index, "index", "shard")))

    def cache(self, filename="", name=None) -> "Dataset":
        """The elements, kept in memory after the first full pass (``filename`` is
        accepted; the cache stays in memory)."""
        return Dataset(transforms.Cache(self._node))

    def prefetch(self, buffer_size=None, name=None) -> "Dataset":
        """The same dataset: elements are produced when asked for, in this thread."""
        return self

    def with_options(self, options, name=None) -> "Dataset":
        """The same dataset (options tune TensorFlow's runtime, which is not used here)."""
        return self

    def apply(self, transformation_func) -> "Dataset":
        """``transformation_func(self)``, which must return a Dataset."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(f"apply: the function must return a Dataset, got "
                            f"{type(result).__name__}")
        return result

    def reduce(self, initial_state, reduce_func):
        """``reduce_func(state, element)`` folded over the elements from ``initial_state``."""
        state = structure.normalize(initial_state)
        for element in self._node.iterate():
            state = transforms.call_user(reduce_func, (state, element), "reduce")
        return structure.to_user(state)

    # ---------------------------------------------------------------- iteration
    def __iter__(self):
        for element in self._node.iterate():
            yield structure.to_user(element)

    def as_numpy_iterator(self):
        """An iterator of the elements with plain NumPy leaves."""
        for element in self._node.iterate():
            yield structure.to_numpy(element)

    def take_while(self, predicate, name=None) -> "Dataset":
        """The elements up to (not including) the first for which ``predicate`` is False."""
        return Dataset(transforms.TakeWhile(self._node, predicate))

    # ---------------------------------------------------------------- facts
    def cardinality(self):
        """The number of elements, or ``INFINITE_CARDINALITY`` (-1) or
        ``UNKNOWN_CARDINALITY`` (-2), as a 0-d int64 array (``.numpy()`` gives the int)."""
        return np.asarray(self._node.cardinality(), dtype=np.int64).view(structure.DataArray)

    def __len__(self) -> int:
        value = self._node.cardinality()
        if value == card.INFINITE:
            raise TypeError("The dataset is infinite.")
        if value == card.UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return value

    def __bool__(self) -> bool:
        return True  # a dataset is never "empty" as a truth value, as in TensorFlow

    @property
    def element_spec(self):
        """The `TensorSpec` structure of the elements, read from the first element (the
        batch dimension as None when the dataset batches without ``drop_remainder``)."""
        first = next(iter(self._node.iterate()), None)
        if first is None:
            raise ValueError("element_spec: the dataset is empty")
        batched = isinstance(self._node, (batching.Batch, batching.PaddedBatch)) and (
            not self._node.drop_remainder)
        return structure.spec_of(first, batched_dims=int(batched))

    def __repr__(self) -> str:
        return f"<Dataset cardinality={self._node.cardinality()}>"


def _node_of(dataset, owner: str):
    if not isinstance(dataset, Dataset):
        raise TypeError(f"{owner}: expected a Dataset, got {type(dataset).__name__}")
    return dataset._node
