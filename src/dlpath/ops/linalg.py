r"""Linear algebra over (batches of) matrices: the last two axes are the matrix.

Differentiable primitives, forward and backward side by side (Giles 2008, "An extended
collection of matrix derivative results"; Murray 2016 for the Cholesky factor):

* inv:      Y = A^{-1};              dL/dA = -Y^T G Y^T
* slogdet:  l = ln|det A|;           dL/dA = g A^{-T}   (the sign is a constant)
* det:      d = det A;               dL/dA = g d A^{-T}
* solve:    X = A^{-1} B;            dL/dB = A^{-T} G,  dL/dA = -(dL/dB) X^T
* solve_triangular: as solve, dL/dA kept on A's triangle
* cholesky: A = L L^T;               dL/dA = L^{-T} Phi(L^T G) L^{-1}, symmetrised,
  Phi = the lower triangle with half the diagonal

* eigh:     A = V diag(w) V^T;     dL/dA = V (diag(g_w) + F o (V^T G_V)) V^T
* qr:       A = Q R (reduced, m >= n); see `QR`
* svd:      A = U diag(S) V^T (reduced); see `SVD`

eig, lstsq, lu_factor and pinv (and qr of a wide matrix, the full svd factors of a
non-square one) compute forward only: asking a gradient
through them raises an error that names the function.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Function, Tensor
from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor
from dlpath.ops.array_more import diagonal, trace  # noqa: F401 - part of this namespace


def _mT(a: np.ndarray) -> np.ndarray:  # noqa: N802 - the matrix transpose
    return np.swapaxes(a, -1, -2)


def _square(a, owner: str) -> Tensor:
    a = convert_to_tensor(a)
    if a.dtype.kind != "f":
        a = eops.cast(a, np.float32)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{owner}: expected a square matrix (or a batch of them) in the last "
                         f"two axes, got shape {a.shape}")
    return a


def _matrix(a, owner: str) -> Tensor:
    a = convert_to_tensor(a)
    if a.dtype.kind != "f":
        a = eops.cast(a, np.float32)
    if a.ndim < 2:
        raise ValueError(f"{owner}: expected a matrix (or a batch of them), got shape "
                         f"{a.shape}")
    return a


def _singular(owner: str, error) -> ValueError:
    return ValueError(f"{owner}: the matrix is singular or not positive definite ({error})")


# --------------------------------------------------------------------------- primitive ops
class Inv(Function):
    """Y = A^{-1};  dL/dA = -Y^T G Y^T."""

    def forward(self, a):
        try:
            self.y = np.linalg.inv(a)
        except np.linalg.LinAlgError as error:
            raise _singular("inv", error) from None
        return self.y

    def backward(self, grad):
        yt = _mT(self.y)
        return -(yt @ grad @ yt)


class Slogdet(Function):
    """l = ln|det A|;  dL/dA = g A^{-T}."""

    def forward(self, a):
        sign, self.logabs = np.linalg.slogdet(a)
        self.a = a
        return self.logabs.astype(a.dtype)

    def backward(self, grad):
        return np.asarray(grad)[..., None, None] * _mT(np.linalg.inv(self.a))


class Det(Function):
    """d = det A;  dL/dA = g d A^{-T} (Jacobi's formula)."""

    def forward(self, a):
        self.a = a
        self.d = np.linalg.det(a)
        return np.asarray(self.d, a.dtype)

    def backward(self, grad):
        g = np.asarray(grad * self.d)[..., None, None]
        return g * _mT(np.linalg.inv(self.a))


class Solve(Function):
    """X = A^{-1} B;  dL/dB = A^{-T} G,  dL/dA = -(dL/dB) X^T."""

    def forward(self, a, b):
        try:
            self.x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError as error:
            raise _singular("solve", error) from None
        self.a = a
        return self.x

    def backward(self, grad):
        db = np.linalg.solve(_mT(self.a), grad)
        return -(db @ _mT(self.x)), db


def _triangular(a: np.ndarray, b: np.ndarray, lower: bool, trans: bool = False):
    from scipy.linalg import solve_triangular as scipy_solve

    if a.ndim == 2 and b.ndim == 2:
        return scipy_solve(a, b, lower=lower, trans=1 if trans else 0)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    out = np.empty(b.shape, np.result_type(a, b))
    for index in np.ndindex(*batch):
        out[index] = scipy_solve(a[index], b[index], lower=lower, trans=1 if trans else 0)
    return out


class SolveTriangular(Function):
    """X = A^{-1} B for triangular A;  dL/dB = A^{-T} G,  dL/dA = tri(-(dL/dB) X^T)."""

    def forward(self, a, b, lower):
        self.a, self.lower = a, lower
        self.x = _triangular(a, b, lower)
        return self.x

    def backward(self, grad):
        db = _triangular(self.a, grad, self.lower, trans=True)
        da = -(db @ _mT(self.x))
        return (np.tril(da) if self.lower else np.triu(da)), db


class Cholesky(Function):
    """A = L L^T (L lower);  dL/dA = L^{-T} S L^{-1}, S = sym(Phi(L^T G)), where Phi keeps
    the lower triangle and halves the diagonal (Murray 2016, eq. 10)."""

    def forward(self, a):
        try:
            self.low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError as error:
            raise _singular("cholesky", error) from None
        return self.low

    def backward(self, grad):
        low = self.low
        phi = np.tril(_mT(low) @ grad)
        phi = 0.5 * (phi + _mT(np.tril(phi, -1)))
        left = _triangular(low, phi, lower=True, trans=True)  # L^{-T} phi
        return _mT(_triangular(low, _mT(left), lower=True, trans=True))  # ... L^{-1}


class Eigh(Function):
    """A = V diag(w) V^T (symmetric A, w ascending), both packed in one output P: P[..., 0, :]
    = w, P[..., 1:, :] = V.

    dL/dA = V (diag(g_w) + F o (V^T G_V)) V^T,  F_ij = 1 / (w_j - w_i) (i != j), F_ii = 0
    (Giles 2008, section 3.1); repeated eigenvalues make F, and the gradient, infinite.
    """

    def forward(self, a):
        self.w, self.v = np.linalg.eigh(a)
        return np.concatenate([self.w[..., None, :], self.v], axis=-2)

    def backward(self, grad):
        gw, gv = grad[..., 0, :], grad[..., 1:, :]
        w, v = self.w, self.v
        diagonal = np.eye(w.shape[-1], dtype=bool)
        gaps = np.where(diagonal, 1.0, w[..., None, :] - w[..., :, None])  # w_j - w_i
        with np.errstate(divide="ignore"):
            f = np.where(diagonal, 0.0, 1.0 / gaps)
        inner = f * (_mT(v) @ gv) + diagonal * gw[..., None, :]
        return v @ inner @ _mT(v)


class QR(Function):
    """A = Q R (m >= n, reduced), packed in one output P = [Q; R] of shape (m + n, n).

    With M = tril(Q^T G_Q - G_Q^T Q + R G_R^T - G_R R^T):
    dL/dA = Q (G_R + M R^{-T}) + (G_Q - Q Q^T G_Q) R^{-T}  (TensorFlow's QrGrad; Walter
    and Lehmann 2018); R must be invertible.
    """

    def forward(self, a):
        self.q, self.r = np.linalg.qr(a)
        return np.concatenate([self.q, self.r], axis=-2)

    def backward(self, grad):
        m = self.q.shape[-2]
        gq, gr = grad[..., :m, :], grad[..., m:, :]
        q, r = self.q, self.r
        qdq = _mT(q) @ gq
        rdr = r @ _mT(gr)
        low = np.tril(qdq - _mT(qdq) + rdr - _mT(rdr))

        def times_r_inv_t(x):  # x R^{-T} = (R^{-1} x^T)^T
            return _mT(_triangular(r, _mT(x), lower=False))

        return q @ (gr + times_r_inv_t(low)) + times_r_inv_t(gq - q @ qdq)


class SVD(Function):
    """A = U diag(S) V^T (reduced), packed flat in one output [U, S, V^T].

    With E_ij = s_j^2 - s_i^2 (1 on the diagonal) and skew(X) = X - X^T:
    dL/dA = U [(skew(U^T G_U) / E) S + S (skew(V^T G_V) / E) + diag(g_S)] V^T
          + (I - U U^T) G_U S^{-1} V^T + U S^{-1} G_V^T (I - V V^T)
    (Townsend 2016; PyTorch's svd_backward); repeated or zero singular values make it
    infinite.
    """

    def forward(self, a):
        self.u, self.s, self.vt = np.linalg.svd(a, full_matrices=False)
        batch = a.shape[:-2]
        return np.concatenate([self.u.reshape(batch + (-1,)), self.s,
                               self.vt.reshape(batch + (-1,))], axis=-1)

    def backward(self, grad):
        u, s, vt = self.u, self.s, self.vt
        (m, k), n = u.shape[-2:], vt.shape[-1]
        batch = grad.shape[:-1]
        gu = grad[..., :m * k].reshape(batch + (m, k))
        gs = grad[..., m * k:m * k + k]
        gv = _mT(grad[..., m * k + k:].reshape(batch + (k, n)))  # G_V = G_{V^T}^T
        v = _mT(vt)
        diagonal = np.eye(k, dtype=bool)
        gaps = np.where(diagonal, 1.0, s[..., None, :] ** 2 - s[..., :, None] ** 2)
        ugu, vgv = _mT(u) @ gu, _mT(v) @ gv
        inner = ((ugu - _mT(ugu)) / gaps) * s[..., None, :] + s[..., :, None] * (
            (vgv - _mT(vgv)) / gaps)
        inner = np.where(diagonal, 0.0, inner) + diagonal * gs[..., None, :]
        out = u @ inner @ vt
        if m > k:
            out = out + ((gu - u @ ugu) / s[..., None, :]) @ vt
        if n > k:
            out = out + (u / s[..., None, :]) @ (_mT(gv) - _mT(gv) @ v @ vt)
        return out


class ForwardOnly(Function):
    """A value computed outside the graph: its gradient is not implemented."""

    def forward(self, a, value, owner):
        self.owner = owner
        return value

    def backward(self, grad):
        raise NotImplementedError(f"{self.owner}: the gradient is not implemented (forward "
                                  f"only); compute it without a GradientTape or stop_gradient "
                                  f"its input")


def _forward_only(a: Tensor, value: np.ndarray, owner: str) -> Tensor:
    return ForwardOnly.apply(a, value=np.asarray(value), owner=owner)


# ------------------------------------------------------------------------------- functions
def inv(x):
    """The inverse A^{-1} (batched)."""
    return Inv.apply(_square(x, "inv"))


def det(x):
    """The determinant det A (batched)."""
    return Det.apply(_square(x, "det"))


def slogdet(x):
    """(sign, ln|det A|): the sign is a constant, the log a differentiable Tensor."""
    a = _square(x, "slogdet")
    sign = np.linalg.slogdet(a.data)[0].astype(a.dtype)
    return Tensor(sign, dtype=a.dtype), Slogdet.apply(a)


def logdet(x):
    """ln det A of a positive-definite A (NaN where det A <= 0, as TF and Keras)."""
    a = _square(x, "logdet")
    sign = np.linalg.slogdet(a.data)[0]
    out = Slogdet.apply(a)
    if np.any(sign <= 0):
        out = eops.where(sign > 0, out, np.asarray(np.nan, a.dtype))
    return out


def solve(a, b):
    """X with A X = B (B a matrix, or a vector when b.ndim == a.ndim - 1)."""
    a = _square(a, "solve")
    b = convert_to_tensor(b, a.dtype)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = eops.reshape(b, b.shape + (1,))
    if b.shape[-2] != a.shape[-1]:
        raise ValueError(f"solve: b of shape {b.shape} has {b.shape[-2]} rows, the matrix of "
                         f"shape {a.shape} needs {a.shape[-1]}")
    x = Solve.apply(a, b)
    return eops.reshape(x, x.shape[:-1]) if vector else x


def solve_triangular(a, b, lower: bool = False):
    """X with A X = B for a triangular A (only the ``lower`` or upper triangle is read)."""
    a = _square(a, "solve_triangular")
    b = convert_to_tensor(b, a.dtype)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = eops.reshape(b, b.shape + (1,))
    if b.shape[-2] != a.shape[-1]:
        raise ValueError(f"solve_triangular: b of shape {b.shape} has {b.shape[-2]} rows, the "
                         f"matrix of shape {a.shape} needs {a.shape[-1]}")
    x = SolveTriangular.apply(a, b, lower=bool(lower))
    return eops.reshape(x, x.shape[:-1]) if vector else x


def cholesky(x, upper: bool = False):
    """The Cholesky factor L (lower, A = L L^T) of a symmetric positive-definite A; with
    ``upper`` its transpose U = L^T (A = U^T U)."""
    low = Cholesky.apply(_square(x, "cholesky"))
    return matrix_transpose(low) if upper else low


def cholesky_inverse(x, upper: bool = False):
    """A^{-1} from the Cholesky factor of A: (L L^T)^{-1} (or (U^T U)^{-1} when ``upper``)."""
    factor = _square(x, "cholesky_inverse")
    t = matrix_transpose(factor)
    return inv(eops.matmul(t, factor) if upper else eops.matmul(factor, t))


def matrix_transpose(x):
    """Swap the last two axes."""
    x = convert_to_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: expected rank >= 2, got shape {x.shape}")
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return eops.transpose(x, axes)


def qr(x, mode: str = "reduced"):
    """(Q, R) with A = Q R, Q orthonormal columns, R upper triangular; differentiable for
    the reduced factors of a square or tall A (see `QR`), forward only otherwise."""
    a = _matrix(x, "qr")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    m, n = a.shape[-2:]
    if m >= n and (mode == "reduced" or m == n):
        packed = QR.apply(a)  # (..., m + n, n)
        return eops.getitem(packed, (Ellipsis, slice(0, m), slice(None))), eops.getitem(
            packed, (Ellipsis, slice(m, None), slice(None)))
    q, r = np.linalg.qr(a.data, mode=mode)
    return _forward_only(a, q, "qr"), _forward_only(a, r, "qr")


def svd(x, full_matrices: bool = True, compute_uv: bool = True):
    """(U, S, V^T) with A = U diag(S) V^T, or S alone; differentiable for the reduced factors
    (and square A) with distinct non-zero singular values (see `SVD`), forward only for the
    full factors of a non-square A."""
    a = _matrix(x, "svd")
    m, n = a.shape[-2:]
    k = min(m, n)
    if compute_uv and full_matrices and m != n:
        u, s, vt = np.linalg.svd(a.data, full_matrices=True)
        return tuple(_forward_only(a, v, "svd") for v in (u, s, vt))
    packed = SVD.apply(a)  # (..., m k + k + k n)
    batch = a.shape[:-2]
    s = eops.getitem(packed, (Ellipsis, slice(m * k, m * k + k)))
    if not compute_uv:
        return s
    u = eops.reshape(eops.getitem(packed, (Ellipsis, slice(0, m * k))), batch + (m, k))
    vt = eops.reshape(eops.getitem(packed, (Ellipsis, slice(m * k + k, None))), batch + (k, n))
    return u, s, vt


def eig(x):
    """(eigenvalues, eigenvectors) of a general square matrix (forward only; real input with
    complex eigenvalues raises)."""
    a = _square(x, "eig")
    w, v = np.linalg.eig(a.data)
    if np.iscomplexobj(w):
        if np.abs(w.imag).max() > 0:
            raise ValueError("eig: the eigenvalues are complex; dlpath tensors are real")
        w, v = w.real, v.real
    return _forward_only(a, w.astype(a.dtype), "eig"), _forward_only(a, v.astype(a.dtype), "eig")


def eigh(x):
    """(eigenvalues ascending, eigenvectors) of a symmetric matrix (only its lower triangle
    is read); differentiable where the eigenvalues are distinct (see `Eigh`)."""
    packed = Eigh.apply(_square(x, "eigh"))  # (..., n + 1, n)
    return eops.getitem(packed, (Ellipsis, 0, slice(None))), eops.getitem(
        packed, (Ellipsis, slice(1, None), slice(None)))


def lstsq(a, b, rcond=None):
    """The least-squares solution X of min ||A X - B|| (forward only)."""
    a = _matrix(a, "lstsq")
    b = convert_to_tensor(b, a.dtype)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(f"lstsq: expected a (m, n) matrix and b of shape (m,) or (m, k), got "
                         f"{a.shape} and {b.shape}")
    solution = np.linalg.lstsq(a.data, b.data, rcond=rcond)[0]
    return ForwardOnly.apply(a, value=solution, owner="lstsq")


def lu_factor(x):
    """(LU, pivots) as SciPy's lu_factor: L (unit diagonal) and U packed in one matrix, and
    the 0-based row pivots (forward only)."""
    from scipy.linalg import lu_factor as scipy_lu

    a = _square(x, "lu_factor")
    if a.ndim != 2:
        lus, pivs = zip(*[scipy_lu(m) for m in a.data.reshape((-1,) + a.shape[-2:])])
        lu = np.stack(lus).reshape(a.shape)
        piv = np.stack(pivs).reshape(a.shape[:-1])
    else:
        lu, piv = scipy_lu(a.data)
    return _forward_only(a, lu, "lu_factor"), Tensor(piv.astype(np.int32))


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse (forward only)."""
    a = _matrix(x, "pinv")
    value = np.linalg.pinv(a.data) if rcond is None else np.linalg.pinv(a.data, rcond)
    return _forward_only(a, value.astype(a.dtype), "pinv")


def matrix_power(x, n: int):
    """A^n by repeated squaring (n < 0: of A^{-1}; n = 0: the identity)."""
    a = _square(x, "matrix_power")
    n = int(n)
    if n < 0:
        a, n = inv(a), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else eops.matmul(result, base)
        n >>= 1
        if n:
            base = eops.matmul(base, base)
    if result is None:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        return Tensor(np.array(eye), dtype=a.dtype)
    return result


def matrix_rank(x, tol=None):
    """The number of singular values above ``tol`` (NumPy's default tolerance)."""
    a = _matrix(x, "matrix_rank")
    return Tensor(np.asarray(np.linalg.matrix_rank(a.data, tol)).astype(np.int32))


def diag(diagonal_values, k: int = 0):
    """The matrix (batched) with ``diagonal_values`` on its k-th diagonal (TF's
    ``tf.linalg.diag``; differentiable)."""
    v = convert_to_tensor(diagonal_values)
    n = v.shape[-1] + abs(int(k))
    rows = np.arange(v.shape[-1]) + max(0, -int(k))
    cols = rows + int(k)
    placement = np.zeros((v.shape[-1], n * n), dtype=v.dtype)
    placement[np.arange(v.shape[-1]), rows * n + cols] = 1
    flat = eops.matmul(v if v.dtype.kind == "f" else eops.cast(v, np.float32),
                       Tensor(placement, dtype=placement.dtype))
    return eops.reshape(flat, v.shape[:-1] + (n, n))


def band_part(x, num_lower: int, num_upper: int):
    """Keep the band num_lower below and num_upper above the diagonal (-1 = all)."""
    x = convert_to_tensor(x)
    rows, cols = x.shape[-2:]
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    keep = np.ones((rows, cols), bool)
    if int(num_lower) >= 0:
        keep &= i - j <= int(num_lower)
    if int(num_upper) >= 0:
        keep &= j - i <= int(num_upper)
    return x * Tensor(keep.astype(x.dtype), dtype=x.dtype)


__all__ = ["band_part", "cholesky", "cholesky_inverse", "det", "diag", "diagonal", "eig",
           "eigh", "inv", "logdet", "lstsq", "lu_factor", "matrix_power", "matrix_rank",
           "matrix_transpose", "pinv", "qr", "slogdet", "solve", "solve_triangular", "svd",
           "trace"]
