"""`PyDataset` (Keras 3) and `Sequence` (tf.keras 2): batches by index, one epoch at a time.

A subclass implements ``__getitem__(index)`` (the batch ``index``: ``x``, ``(x, y)`` or
``(x, y, sample_weight)``) and ``__len__`` (the number of batches; or the property
``num_batches``, None for an endless dataset). ``on_epoch_begin`` and ``on_epoch_end`` are
called around each epoch of ``fit`` (to reshuffle, for example).

``workers > 1`` loads batches ahead on that many threads, keeping at most
``max_queue_size`` batches ready, in order: it pays when ``__getitem__`` waits on files or
releases the GIL (image decoding), not for pure-Python work. ``use_multiprocessing=True``
is accepted and served by the same threads (a one-time warning says so), because batches
would otherwise be pickled between processes.
"""

from __future__ import annotations


class PyDataset:
    """Base class for datasets of batches addressed by index (see the module docstring).

    Subclasses that define ``__init__`` should call ``super().__init__(**kwargs)``; those
    that do not (tf.keras 2 style) get the defaults.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        for name, value in (("workers", workers), ("max_queue_size", max_queue_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{type(self).__name__}: {name} must be a positive int, "
                                 f"got {value!r}")
        self._workers = workers
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index)")

    @property
    def num_batches(self):
        """The number of batches: ``len(self)``, or None when the dataset has no end."""
        if type(self).__len__ is not PyDataset.__len__:
            return len(self)
        return None

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__ (or the "
                                  f"property num_batches)")

    def on_epoch_begin(self):
        """Called at the start of each epoch."""

    def on_epoch_end(self):
        """Called at the end of each epoch."""

    def __iter__(self):
        """The batches of one pass, in order (as tf.keras' ``Sequence.__iter__``)."""
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1


Sequence = PyDataset  # tf.keras 2's name for the same protocol, as in Keras 3
