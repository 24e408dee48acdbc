"""Matrix multiplication, batched over leading axes like ``np.matmul``."""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import pair


class MatMul(Function):
    """Y = A B  (batched over leading axes);  dL/dA = G B^T,  dL/dB = A^T G.

    Vectors are treated as in NumPy: a 1-D A is a row, a 1-D B a column, and that axis is
    dropped from Y. Batch axes that were broadcast are summed back by the engine.
    """

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.matmul(a, b)

    def backward(self, grad):
        a, b = self.a, self.b
        if a.ndim == 1 and b.ndim == 1:  # inner product: y = a . b
            return grad * b, grad * a
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        if a.ndim == 1:
            grad = np.expand_dims(grad, -2)
        if b.ndim == 1:
            grad = np.expand_dims(grad, -1)
        grad_a = grad_b = None
        if self.needs_grad[0]:
            grad_a = np.matmul(grad, np.swapaxes(b2, -1, -2))
            if a.ndim == 1:
                grad_a = grad_a.reshape(grad_a.shape[:-2] + (a.shape[0],))
        if self.needs_grad[1] and b.ndim == 2 and a.ndim > 2:
            # Shared weights over a batch: fold the batch into one matrix product.
            k = a.shape[-1]
            grad_b = a.reshape(-1, k).T @ grad.reshape(-1, grad.shape[-1])
        elif self.needs_grad[1]:
            grad_b = np.matmul(np.swapaxes(a2, -1, -2), grad)
            if b.ndim == 1:
                grad_b = grad_b.reshape(grad_b.shape[:-2] + (b.shape[0],))
        return grad_a, grad_b


def matmul(a, b):
    """``a @ b`` with a clear error when the inner dimensions differ."""
    a, b = pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: both operands need at least 1 dimension, got shapes "
                         f"{a.shape} and {b.shape}")
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if inner_a != inner_b:
        raise ValueError(
            f"matmul: shapes {a.shape} and {b.shape} are not aligned: the last dimension of "
            f"the first ({inner_a}) must equal the "
            f"{'first' if b.ndim == 1 else 'second-to-last'} dimension of the second "
            f"({inner_b})"
        )
    try:
        return MatMul.apply(a, b)
    except ValueError:
        raise ValueError(
            f"matmul: the batch dimensions of shapes {a.shape} and {b.shape} cannot be "
            f"broadcast together"
        ) from None
