"""``tf.linalg``: matrix functions in TensorFlow's signatures, over `dlpath.ops.linalg`.

Where TF orders results differently from NumPy (``svd`` returns (s, u, v), ``eigh``
(e, v)) this module follows TF.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops as _eops
from dlpath.ops import linalg as _linalg
from dlpath.ops._convert import convert_to_tensor as _tensor
from dlpath.ops.linalg import (
    band_part, cholesky, det, diag, eig, inv, logdet, lu_factor, matrix_transpose, pinv,
)
from dlpath.ops.array_more import cross, tensordot
from dlpath.ops.einsum import einsum
from dlpath.ops.math import matmul, norm
from dlpath.ops.nn import l2_normalize

adjoint = matrix_transpose  # real tensors: the conjugate transpose is the transpose


def slogdet(input, name=None):  # noqa: A002 - TF's name
    """(sign, log_abs_determinant)."""
    return _linalg.slogdet(input)


def matvec(a, b, transpose_a=False, adjoint_a=False, name=None):
    """A b for (batches of) matrices A and vectors b."""
    a = _tensor(a)
    if transpose_a or adjoint_a:
        a = matrix_transpose(a)
    b = _tensor(b)
    out = matmul(a, _eops.reshape(b, b.shape + (1,)))
    return _eops.reshape(out, out.shape[:-1])


def diag_part(input, name=None, k=0):  # noqa: A002 - TF's name
    """The diagonal (``k``-th) of the last two axes."""
    return _linalg.diagonal(input, k, -2, -1)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """(tensor / ||tensor||, ||tensor||), the norm over ``axis`` (all axes when None)."""
    order = None if ord in ("euclidean", "fro", 2) else ord
    size = norm(tensor, order, axis, keepdims=True)
    return _tensor(tensor) / size, size


def trace(x, name=None):
    """The sum of the diagonal of the last two axes."""
    return _linalg.trace(x, 0, -2, -1)


def solve(matrix, rhs, adjoint=False, name=None):  # noqa: A002
    """X with A X = rhs (or A^T X = rhs with ``adjoint``)."""
    return _linalg.solve(matrix_transpose(matrix) if adjoint else matrix, rhs)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """X with A X = rhs for a triangular A (TF's default: lower)."""
    if adjoint:
        return _linalg.solve_triangular(matrix_transpose(matrix), rhs, not lower)
    return _linalg.solve_triangular(matrix, rhs, lower)


def cholesky_solve(chol, rhs, name=None):
    """X with (L L^T) X = rhs, from the lower Cholesky factor L."""
    y = _linalg.solve_triangular(chol, rhs, lower=True)
    return _linalg.solve_triangular(matrix_transpose(chol), y, lower=False)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    return _linalg.qr(input, "complete" if full_matrices else "reduced")


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """(s, u, v) with A = u diag(s) v^T (TF's order; v, not v^T), or s alone."""
    if not compute_uv:
        return _linalg.svd(tensor, full_matrices, False)
    u, s, vt = _linalg.svd(tensor, full_matrices, True)
    return s, u, matrix_transpose(vt)


def eigh(tensor, name=None):
    """(eigenvalues ascending, eigenvectors) of a symmetric matrix."""
    return _linalg.eigh(tensor)


def eigvalsh(tensor, name=None):
    return _linalg.eigh(tensor)[0]


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """argmin_X ||A X - rhs||^2 + l ||X||^2 (l = ``l2_regularizer``), by the normal
    equations (A^T A + l I) X = A^T rhs (differentiable)."""
    a = _tensor(matrix)
    t = matrix_transpose(a)
    gram = matmul(t, a)
    if l2_regularizer:
        eye = np.eye(a.shape[-1], dtype=a.dtype) * float(l2_regularizer)
        gram = gram + _tensor(eye)
    return _linalg.solve(gram, matmul(t, _tensor(rhs, a.dtype)))


def global_norm(t_list, name=None):
    r""":math:`\sqrt{\sum_i \|t_i\|_2^2}` over the tensors of the list (None entries are
    skipped)."""
    total = None
    for t in t_list:
        if t is None:
            continue
        t = _tensor(t)
        term = _eops.sum(t * t)
        total = term if total is None else total + term
    if total is None:
        return _tensor(np.float32(0.0))
    return _eops.sqrt(total)


def eye(num_rows, num_columns=None, batch_shape=None, dtype="float32", name=None):
    matrix = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
                    dtype=dtype)
    if batch_shape is not None:
        matrix = np.broadcast_to(matrix, tuple(batch_shape) + matrix.shape).copy()
    return _tensor(matrix)




__all__ = [name for name in dir() if not name.startswith("_") and name not in (
    "annotations", "np")]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
