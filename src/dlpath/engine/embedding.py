"""Fused embedding lookup: `EmbeddingLookup` gathers rows of a table by integer ids.

    y[..., :] = W[ids[...], :]

Its gradient is a scatter-add: row v of dL/dW sums dL/dy over every position whose id is v.
``ops.getitem(W, ids)`` computes the same with ``np.add.at`` and is the reference the tests
compare with; here the scatter-add is one sparse product

    dL/dW = S G,   S[v, n] = 1 if ids_n = v else 0   (the (V, N) one-hot matrix of the ids)

with G the (N, D) gradient rows, 10-30x faster than ``np.add.at`` on a batch of sequences.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor


def _rows_in_memory_order(grad: np.ndarray, ids: np.ndarray):
    """grad (..., D) as (N, D) rows and ids (...) as (N,), both in grad's memory order, so a
    gradient that is a permuted view of a contiguous array is not copied."""
    axes = sorted(range(ids.ndim), key=lambda axis: -abs(grad.strides[axis]))
    rows = grad.transpose(axes + [ids.ndim]).reshape(-1, grad.shape[-1])
    return rows, ids.transpose(axes).reshape(-1)


class EmbeddingLookup(Function):
    """y = W[ids];  dL/dW = S G, S the one-hot matrix of the ids (see the module docstring)."""

    def forward(self, table, ids):
        self.ids, self.num_rows = ids, table.shape[0]
        return np.take(table, ids, axis=0)  # (..., D)

    def backward(self, grad):
        import scipy.sparse  # loaded with the first gradient, not when dlpath is imported

        rows, ids = _rows_in_memory_order(grad, self.ids)
        count = ids.size
        # Column n of the one-hot matrix holds a single 1, in row ids_n: a CSC matrix.
        one_hot = scipy.sparse.csc_matrix(
            (np.ones(count, dtype=grad.dtype), ids, np.arange(count + 1)),
            shape=(self.num_rows, count))
        return np.asarray(one_hot @ rows)


def embedding_lookup(table, ids):
    """Rows ``table[ids]`` (shape ``ids.shape + (D,)``), with a fast gradient for the table."""
    table = to_tensor(table)
    ids = np.asarray(ids.data if hasattr(ids, "data") else ids)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"embedding_lookup: ids must be integers, got dtype {ids.dtype}")
    if table.ndim != 2:
        raise ValueError(f"embedding_lookup: the table must be 2-D (rows, dim), got shape "
                         f"{table.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= table.shape[0]):
        raise IndexError(f"embedding_lookup: ids must lie in [0, {table.shape[0] - 1}], got "
                         f"values from {ids.min()} to {ids.max()}")
    return EmbeddingLookup.apply(table, ids=ids)
