"""``shuffle(buffer_size, seed, reshuffle_each_iteration)`` with TensorFlow's buffer.

The first ``buffer_size`` elements fill a buffer. Then, at each step, one element of the
buffer is drawn uniformly at random and yielded, and the next input element takes its
place; when the input ends, the buffer is emptied in random order. So an element can move
at most ``buffer_size - 1`` places earlier, and ``buffer_size >= cardinality`` gives a
uniformly random permutation. Memory holds ``buffer_size`` elements, never more.

Each iteration (each epoch, each ``repeat``) draws a new order unless
``reshuffle_each_iteration=False``. With a ``seed`` the sequence of orders is reproducible;
without one, the orders come from dlpath's generator (`dlpath.random.set_seed`).
"""

from __future__ import annotations

import numpy as np

from dlpath.random import generator

from . import cardinality as card


class Shuffle:
    """The elements of ``node`` in the random order of a ``buffer_size`` buffer."""

    def __init__(self, node, buffer_size, seed=None, reshuffle_each_iteration=True):
        if isinstance(buffer_size, bool) or not isinstance(buffer_size, (int, np.integer)):
            raise TypeError(f"shuffle: buffer_size must be an int, got {buffer_size!r}")
        if buffer_size < 1 and buffer_size != card.AUTOTUNE:
            raise ValueError(f"shuffle: buffer_size must be positive, got {buffer_size}")
        self.node = node
        self.buffer_size = int(buffer_size)
        self.seed = None if seed is None else int(seed)
        self.reshuffle = bool(reshuffle_each_iteration)
        # Without reshuffling, every iteration replays the order of one fixed seed.
        self.fixed_seed = self.seed if self.seed is not None else int(
            generator().integers(2**63))
        self.iterations = 0

    def _rng(self) -> np.random.Generator:
        count = self.iterations
        self.iterations += 1
        if not self.reshuffle:
            return np.random.default_rng(self.fixed_seed)
        if self.seed is not None:
            return np.random.default_rng([self.seed, count])
        return np.random.default_rng(generator().integers(2**63))

    def iterate(self):
        rng = self._rng()
        size = self.buffer_size
        if size == card.AUTOTUNE:
            size = max(self.node.cardinality(), 1024)
        source = self.node.iterate()
        buffer = []
        for element in source:
            buffer.append(element)
            if len(buffer) == size:
                break
        for element in source:
            index = int(rng.integers(len(buffer)))
            yield buffer[index]
            buffer[index] = element
        while buffer:
            index = int(rng.integers(len(buffer)))
            buffer[index], buffer[-1] = buffer[-1], buffer[index]
            yield buffer.pop()

    def cardinality(self) -> int:
        return self.node.cardinality()
