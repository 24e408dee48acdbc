"""Element-wise and counting transformations: map, filter, flat_map, repeat, take, skip...

Each is a node over an input node (see `sources`), iterated lazily. User functions receive
the components of an element as separate arguments when it is a tuple (as ``tf.data``
does), else the element itself, with `DataArray` leaves; they run without recording a
gradient graph, and what they return (Tensors, arrays, numbers) becomes the new element.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import no_grad

from . import cardinality as card
from . import structure


def call_user(fn, element, owner: str):
    """``fn(*element)`` for a tuple element, ``fn(element)`` otherwise, without a graph."""
    user = structure.to_user(element)
    with no_grad():
        result = fn(*user) if isinstance(user, tuple) else fn(user)
    if isinstance(result, list):
        result = tuple(result)  # tf.data reads a returned list as a tuple of components
    try:
        return structure.normalize(result)
    except (TypeError, ValueError) as error:
        name = getattr(fn, "__name__", type(fn).__name__)
        raise type(error)(f"{owner}: the function {name} returned something that is not "
                          f"a dataset element: {error}") from None


class Map:
    """``fn(element)`` for each element."""

    def __init__(self, node, fn):
        if not callable(fn):
            raise TypeError(f"map: map_func must be callable, got {type(fn).__name__}")
        self.node, self.fn = node, fn

    def iterate(self):
        for element in self.node.iterate():
            yield call_user(self.fn, element, "map")

    def cardinality(self) -> int:
        return self.node.cardinality()


class Filter:
    """The elements for which ``predicate(element)`` is true."""

    def __init__(self, node, predicate):
        if not callable(predicate):
            raise TypeError(f"filter: predicate must be callable, got "
                            f"{type(predicate).__name__}")
        self.node, self.predicate = node, predicate

    def iterate(self):
        for element in self.node.iterate():
            keep = call_user(self.predicate, element, "filter")
            if not isinstance(keep, np.ndarray) or keep.size != 1:
                raise ValueError(f"filter: the predicate must return one boolean, got "
                                 f"{structure.describe(keep)}")
            if bool(keep.reshape(())):
                yield element

    def cardinality(self) -> int:
        return card.UNKNOWN if self.node.cardinality() != card.INFINITE else card.INFINITE


class FlatMap:
    """The elements of the dataset ``fn(element)``, one dataset after another."""

    def __init__(self, node, fn):
        self.node, self.fn = node, fn

    def iterate(self):
        for element in self.node.iterate():
            user = structure.to_user(element)
            with no_grad():
                dataset = self.fn(*user) if isinstance(user, tuple) else self.fn(user)
            inner = getattr(dataset, "_node", None)
            if inner is None:
                raise TypeError(f"flat_map: the function must return a Dataset, got "
                                f"{type(dataset).__name__}")
            yield from inner.iterate()

    def cardinality(self) -> int:
        return card.UNKNOWN


class Repeat:
    """The input ``count`` times over (None: forever), iterated afresh each time.

    An input that yields nothing ends the repetition, so ``repeat()`` of an empty dataset
    is empty instead of a loop without end.
    """

    def __init__(self, node, count):
        self.node = node
        self.count = None if count is None or count < 0 else int(count)

    def iterate(self):
        done = 0
        while self.count is None or done < self.count:
            produced = False
            for element in self.node.iterate():
                produced = True
                yield element
            if not produced:
                return
            done += 1

    def cardinality(self) -> int:
        return card.times(self.node.cardinality(), self.count)


class Take:
    """The first ``count`` elements (-1: all)."""

    def __init__(self, node, count):
        self.node, self.count = node, int(count)

    def iterate(self):
        if self.count < 0:
            yield from self.node.iterate()
            return
        if self.count == 0:
            return
        for index, element in enumerate(self.node.iterate()):
            yield element
            if index + 1 >= self.count:
                return

    def cardinality(self) -> int:
        return card.take(self.node.cardinality(), self.count)


class Skip:
    """All but the first ``count`` elements (-1: none)."""

    def __init__(self, node, count):
        self.node, self.count = node, int(count)

    def iterate(self):
        for index, element in enumerate(self.node.iterate()):
            if self.count >= 0 and index >= self.count:
                yield element

    def cardinality(self) -> int:
        return card.skip(self.node.cardinality(), self.count)


class Enumerate:
    """``(index, element)`` pairs, the index an int64 counting from ``start``."""

    def __init__(self, node, start):
        self.node, self.start = node, int(start)

    def iterate(self):
        for index, element in enumerate(self.node.iterate(), start=self.start):
            yield np.asarray(index, dtype=np.int64), element

    def cardinality(self) -> int:
        return self.node.cardinality()


class TakeWhile:
    """The elements before the first for which ``predicate`` is False."""

    def __init__(self, node, predicate):
        self.node, self.predicate = node, predicate

    def iterate(self):
        for element in self.node.iterate():
            keep = call_user(self.predicate, element, "take_while")
            if not bool(np.asarray(keep).reshape(())):
                return
            yield element

    def cardinality(self) -> int:
        return card.UNKNOWN


class Shard:
    """Every ``num_shards``-th element, starting at ``index``."""

    def __init__(self, node, num_shards, index):
        if not 0 <= index < num_shards:
            raise ValueError(f"shard: index must be in [0, num_shards={num_shards}), "
                             f"got {index}")
        self.node, self.num_shards, self.index = node, int(num_shards), int(index)

    def iterate(self):
        for position, element in enumerate(self.node.iterate()):
            if position % self.num_shards == self.index:
                yield element

    def cardinality(self) -> int:
        value = self.node.cardinality()
        if not card.known(value):
            return value
        return max(0, -(-(value - self.index) // self.num_shards))


class Cache:
    """The input's elements, kept in memory after the first complete pass.

    A pass that stops early keeps nothing, so a later pass never replays a partial cache.
    """

    def __init__(self, node):
        self.node = node
        self.elements = None

    def iterate(self):
        if self.elements is not None:
            yield from self.elements
            return
        seen = []
        for element in self.node.iterate():
            seen.append(element)
            yield element
        self.elements = seen

    def cardinality(self) -> int:
        return self.node.cardinality()
