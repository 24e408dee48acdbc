r"""Gradient buckets: many arrays all-reduced in a few calls on contiguous buffers.

An all-reduce costs a latency ``a`` per call plus ``2 (N - 1) / N * B / W`` for B bytes
(see `collectives`). One call per weight pays ``a`` once per weight (a CNN has tens of
weights, an LSTM recipe a handful); one call for everything needs one buffer as large as the
model. Buckets are the middle (PyTorch DDP uses 25 MiB, Horovod a 64 MiB fusion buffer): the
gradients, in the order of the variables, are packed into contiguous buffers of at most
``bucket_bytes`` each (a single larger array gets a bucket of its own), one buffer per
dtype run, so float32 gradients travel as float32 and float64 ones as float64.

Each rank packs its gradients scaled by its weight :math:`w_r` (its number of samples) and,
in the first bucket, :math:`w_r` itself; after the sum every rank unpacks

.. math:: \bar g = \frac{\sum_r w_r g_r}{\sum_r w_r},

the gradient of the mean loss over the global batch when each :math:`g_r` is the gradient
of the mean loss over rank r's :math:`w_r` samples (also when the last batch splits
unevenly).
"""

from __future__ import annotations

import numpy as np

DEFAULT_BUCKET_BYTES = 16 * 2 ** 20


class Buckets:
    """The packing of a fixed list of array shapes/dtypes into contiguous buffers.

    ``plan`` is a list of buckets, each ``(dtype, [(index, offset, size, shape), ...])``;
    the first bucket has one extra element at its end for the weight.
    """

    def __init__(self, shapes_dtypes: list, bucket_bytes: int = DEFAULT_BUCKET_BYTES):
        if not isinstance(bucket_bytes, int) or bucket_bytes < 1:
            raise ValueError(f"bucket_bytes must be a positive integer, got {bucket_bytes!r}")
        self.key = tuple((tuple(shape), np.dtype(dtype).str) for shape, dtype in shapes_dtypes)
        self.plan = []
        current, current_dtype, used = [], None, 0
        for index, (shape, dtype) in enumerate(shapes_dtypes):
            dtype = np.dtype(dtype)
            size = int(np.prod(shape, dtype=np.int64))
            nbytes = size * dtype.itemsize
            if current and (dtype != current_dtype or used + nbytes > bucket_bytes):
                self.plan.append((current_dtype, current))
                current, used = [], 0
            current_dtype = dtype
            offset = sum(entry[2] for entry in current)
            current.append((index, offset, size, tuple(shape)))
            used += nbytes
        if current:
            self.plan.append((current_dtype, current))
        self.buffers = []
        for number, (dtype, entries) in enumerate(self.plan):
            extra = 1 if number == 0 else 0
            self.buffers.append(np.empty(sum(e[2] for e in entries) + extra, dtype=dtype))

    def __len__(self) -> int:
        return len(self.plan)

    @property
    def nbytes(self) -> int:
        """Bytes all-reduced per step (the weight element included)."""
        return sum(buffer.nbytes for buffer in self.buffers)

    def pack(self, arrays: list, weight: float) -> None:
        """Write ``weight * arrays[i]`` into the buffers, and ``weight`` after the first."""
        for buffer, (_, entries) in zip(self.buffers, self.plan):
            for index, offset, size, _ in entries:
                np.multiply(arrays[index].reshape(-1), weight, out=buffer[offset:offset + size])
        if self.buffers:
            self.buffers[0][-1] = weight

    def unpack(self) -> list:
        """The summed arrays divided by the summed weight, in the original order/shapes."""
        total = float(self.buffers[0][-1])
        result = {}
        for buffer, (_, entries) in zip(self.buffers, self.plan):
            for index, offset, size, shape in entries:
                result[index] = (buffer[offset:offset + size] / total).reshape(shape)
        return [result[i] for i in range(len(result))]
