"""Linear algebra (dlpath.ops.linalg, keras.ops.linalg, tf.linalg): values against
torch.linalg, gradients against torch and by finite differences, forward-only functions
refusing a gradient by name."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import dlpath as tf
from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops
from dlpath.ops import linalg

RNG = np.random.default_rng(11)
A = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
B = RNG.standard_normal((2, 3, 2))
SPD = A @ np.swapaxes(A, -1, -2)


def spd_of(a):
    """a a^T + I: a symmetric positive-definite function of any square a."""
    return a @ linalg.matrix_transpose(a) + Tensor(np.eye(3), dtype=a.dtype)


@pytest.mark.parametrize("ours, theirs", [
    (linalg.inv, torch.linalg.inv),
    (linalg.det, torch.linalg.det),
    (lambda a: linalg.slogdet(a)[1], lambda a: torch.linalg.slogdet(a)[1]),
    (lambda a: linalg.solve(a, B), lambda a: torch.linalg.solve(a, torch.tensor(B))),
    (lambda a: linalg.solve_triangular(a, B, lower=True),
     lambda a: torch.linalg.solve_triangular(a.tril(), torch.tensor(B), upper=False)),
    (lambda a: linalg.cholesky(spd_of(a)),
     lambda a: torch.linalg.cholesky(a @ a.mT + torch.eye(3, dtype=a.dtype))),
    (lambda a: linalg.matrix_power(a, 3), lambda a: torch.linalg.matrix_power(a, 3)),
    (lambda a: linalg.matrix_power(a, -2), lambda a: torch.linalg.matrix_power(a, -2)),
])
def test_values_and_gradients_match_torch(ours, theirs):
    weights = RNG.standard_normal(np.shape(theirs(torch.tensor(A))))
    ours_in = Tensor(A, requires_grad=True, dtype="float64")
    theirs_in = torch.tensor(A, requires_grad=True)
    out, expected = ours(ours_in), theirs(theirs_in)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    (out * Tensor(weights, dtype="float64")).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), rtol=1e-8, atol=1e-10)
    gradcheck(ours, A)


def test_gradients_in_the_right_hand_side_and_cholesky_inverse():
    gradcheck(lambda b: linalg.solve(A, b), B)
    gradcheck(lambda b: linalg.solve_triangular(A, b), B)
    gradcheck(lambda a: linalg.cholesky_inverse(linalg.cholesky(spd_of(a))), A)
    np.testing.assert_allclose(
        linalg.cholesky_inverse(np.linalg.cholesky(SPD)).data, np.linalg.inv(SPD),
        rtol=1e-8)
    np.testing.assert_allclose(linalg.logdet(SPD).data, np.linalg.slogdet(SPD)[1])


def test_forward_only_factorisations_reconstruct_and_refuse_gradients():
    q, r = kops.qr(A)
    np.testing.assert_allclose(q.data @ r.data, A, atol=1e-12)
    u, s, vh = kops.svd(A)
    np.testing.assert_allclose(u.data * s.data[..., None, :] @ vh.data, A, atol=1e-12)
    w, v = kops.eigh(SPD)
    np.testing.assert_allclose(v.data @ (w.data[..., None] * np.swapaxes(v.data, -1, -2)),
                               SPD, atol=1e-10)
    x = kops.lstsq(A[0], B[0])
    np.testing.assert_allclose(x.data, np.linalg.solve(A[0], B[0]), atol=1e-10)
    np.testing.assert_allclose(kops.pinv(A).data, np.linalg.pinv(A), atol=1e-12)
    assert kops.matrix_rank(np.diag([1.0, 2.0, 0.0])).data == 2
    lu, pivots = kops.lu_factor(A[0])
    assert lu.shape == (3, 3) and pivots.shape == (3,)
    a = Tensor(A, requires_grad=True)
    wide = Tensor(RNG.standard_normal((2, 4)), requires_grad=True)
    with pytest.raises(NotImplementedError, match="svd: the gradient is not implemented"):
        kops.svd(wide)[0].sum().backward()  # the full factors of a non-square matrix
    with pytest.raises(NotImplementedError, match="pinv: the gradient is not implemented"):
        kops.pinv(a).sum().backward()
    with pytest.raises(NotImplementedError, match="qr: the gradient is not implemented"):
        kops.qr(wide)[1].sum().backward()


def test_tf_linalg_spellings():
    s, u, v = tf.linalg.svd(A)
    np.testing.assert_allclose((u.data * s.data[..., None, :]) @ np.swapaxes(v.data, -1, -2),
                               A, atol=1e-12)
    x = RNG.standard_normal((2, 3))
    np.testing.assert_allclose(tf.linalg.matvec(A, x).data, np.einsum("bij,bj->bi", A, x))
    np.testing.assert_allclose(tf.linalg.diag_part(A).data, np.diagonal(A, 0, -2, -1))
    np.testing.assert_allclose(tf.linalg.trace(A).data, np.trace(A, 0, -2, -1))
    np.testing.assert_allclose(tf.linalg.diag(x).data, np.stack([np.diag(r) for r in x]))
    np.testing.assert_allclose(tf.linalg.band_part(A, 0, -1).data, np.triu(A))
    np.testing.assert_allclose(tf.linalg.adjoint(A).data, np.swapaxes(A, -1, -2))
    np.testing.assert_allclose(tf.linalg.global_norm([A, B]).data,
                               np.sqrt((A ** 2).sum() + (B ** 2).sum()))
    np.testing.assert_allclose(tf.linalg.cholesky_solve(np.linalg.cholesky(SPD), B).data,
                               np.linalg.solve(SPD, B), rtol=1e-8)
    np.testing.assert_allclose(tf.linalg.triangular_solve(A, B).data,
                               np.linalg.solve(np.tril(A), B), rtol=1e-8)
    np.testing.assert_allclose(tf.linalg.lstsq(A[0], B[0]).data,
                               np.linalg.solve(A[0], B[0]), rtol=1e-8)
    normalized, size = tf.linalg.normalize(B, axis=-1)
    np.testing.assert_allclose(size.data, np.linalg.norm(B, axis=-1, keepdims=True))
    np.testing.assert_allclose(normalized.data, B / size.data)
    np.testing.assert_allclose(tf.linalg.diag_part(A, k=1).data, np.diagonal(A, 1, -2, -1))
    gradcheck(lambda a: tf.linalg.diag(a[..., 0]), A)
    assert kops.linalg.inv is linalg.inv


def test_errors_name_the_function_and_shapes():
    with pytest.raises(ValueError, match=r"inv: expected a square matrix .* shape \(2, 3\)"):
        linalg.inv(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="inv: the matrix is singular"):
        linalg.inv(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="cholesky: the matrix is singular or not positive"):
        linalg.cholesky(-np.eye(3))
    with pytest.raises(ValueError, match="solve: b of shape"):
        linalg.solve(A, np.zeros((2, 4, 1)))
    with pytest.raises(AttributeError, match="not_a_function"):
        tf.linalg.not_a_function  # noqa: B018


def test_eigh_gradient_matches_torch_for_sign_invariant_losses():
    a = RNG.standard_normal((2, 4, 4))

    def loss(m):
        w, v = kops.eigh((m + linalg.matrix_transpose(m)) * 0.5)
        return w * w + v[..., 0, :] * v[..., 1, :]  # unchanged by an eigenvector's sign

    ours_in = Tensor(a, requires_grad=True, dtype="float64")
    loss(ours_in).sum().backward()
    theirs_in = torch.tensor(a, requires_grad=True)
    w, v = torch.linalg.eigh((theirs_in + theirs_in.mT) / 2)
    (w * w + v[..., 0, :] * v[..., 1, :]).sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), atol=1e-10)
    gradcheck(loss, a)


@pytest.mark.parametrize("shape", [(2, 4, 4), (2, 5, 3)])
def test_qr_gradient_matches_torch(shape):
    a = RNG.standard_normal(shape)

    def loss(q, r):
        return (q[..., :1, :] * q).sum(-2) * 2 + (r * r).sum(-2) + (q * q * q).sum(-2)

    ours_in = Tensor(a, requires_grad=True, dtype="float64")
    loss(*kops.qr(ours_in)).sum().backward()
    theirs_in = torch.tensor(a, requires_grad=True)
    loss(*torch.linalg.qr(theirs_in)).sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), atol=1e-10)
    gradcheck(lambda m: loss(*linalg.qr(m)), a)


@pytest.mark.parametrize("shape", [(2, 4, 4), (2, 5, 3), (2, 3, 5)])
def test_svd_gradient_matches_torch(shape):
    a = RNG.standard_normal(shape)

    def loss(u, s, vt):  # each term unchanged by flipping a singular pair's signs
        return (u[..., 0, :] * vt[..., :, 0] * 2).sum(-1) + (s * s).sum(-1) + (
            u[..., 1, :] * vt[..., :, 1]).sum(-1)

    ours_in = Tensor(a, requires_grad=True, dtype="float64")
    loss(*kops.svd(ours_in, full_matrices=False)).sum().backward()
    theirs_in = torch.tensor(a, requires_grad=True)
    loss(*torch.linalg.svd(theirs_in, full_matrices=False)).sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), atol=1e-10)
    gradcheck(lambda m: loss(*linalg.svd(m, full_matrices=False)), a)
    gradcheck(lambda m: linalg.svd(m, compute_uv=False), a)
