"""``keras.ops.linalg``: Keras 3's linear-algebra functions over `dlpath.ops.linalg`."""

from dlpath.ops.linalg import (
    cholesky, cholesky_inverse, det, eig, eigh, inv, lstsq, lu_factor, qr, solve,
    solve_triangular,
)
from dlpath.ops.linalg import svd as _svd
from dlpath.ops.math import norm


def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh) with x = u diag(s) vh (NumPy's order), or s alone."""
    return _svd(x, full_matrices, compute_uv)


__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
