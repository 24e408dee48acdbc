"""Fused batch and layer normalization, and the same computations composed from primitives.

Both normalize x over a set of axes A with its own mean and (biased) variance, then scale
and shift:

    mu = mean_A(x),  var = mean_A((x - mu)^2),  r = 1 / sqrt(var + eps)
    x_hat = (x - mu) r,  y = gamma x_hat + beta

Batch normalization (Ioffe & Szegedy 2015) takes A = every axis but the feature axis;
layer normalization (Ba, Kiros & Hinton 2016) takes A = the feature axes. The fused ops
(`BatchNorm`, `LayerNorm`) compute y and its gradient in a few passes; `batch_norm_composite`
and `layer_norm_composite` build the same graph from primitive ops and are the reference the
tests compare the fused ops with.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops import mean as reduce_mean
from dlpath.engine.ops import reshape, sqrt
from dlpath.engine.ops import sum as reduce_sum
from dlpath.engine.ops._coerce import to_tensor


def _other_axes(ndim: int, axes: tuple) -> tuple:
    return tuple(ax for ax in range(ndim) if ax not in axes)


class BatchNorm(Function):
    """Training-mode batch normalization over ``axes`` with the batch's own statistics.

    With optional weights w_i in {0, 1} (a mask; w = 1 without one) and n = sum_A w:

        mu = sum_A(w x) / n,  var = sum_A(w (x - mu)^2) / n,  r = (var + eps)^(-1/2)
        y = gamma x_hat + beta,  x_hat = (x - mu) r

    Backward (the standard formula, Ioffe & Szegedy 2015, written with the weights; every
    output position depends on the statistics, masked or not):

        dL/dbeta  = sum_A g
        dL/dgamma = sum_A g x_hat
        dL/dx     = gamma r (g - (w / n) (sum_A g + x_hat sum_A g x_hat))

    ``gamma`` and ``beta`` come in the broadcast shape (size 1 on ``axes``). The batch
    statistics (mu and the biased var, in the shape of gamma) are written into ``stats`` for
    the moving averages.
    """

    def forward(self, x, gamma, beta, axes, epsilon, weights, stats):
        self.axes = axes
        if weights is None:
            self.count = int(np.prod([x.shape[ax] for ax in axes]))
            mu = x.mean(axis=axes, keepdims=True)
            centered = x - mu
            var = np.square(centered).mean(axis=axes, keepdims=True)
        else:
            weights = np.broadcast_to(weights.astype(x.dtype), x.shape)
            # All-masked groups get mu = var = 0 instead of 0 / 0.
            self.count = np.maximum(weights.sum(axis=axes, keepdims=True), 1)
            mu = (weights * x).sum(axis=axes, keepdims=True) / self.count
            centered = x - mu
            var = (weights * np.square(centered)).sum(axis=axes, keepdims=True) / self.count
        self.weights = weights
        self.rstd = 1.0 / np.sqrt(var + np.asarray(epsilon, x.dtype))
        centered *= self.rstd
        self.x_hat, self.gamma = centered, gamma  # x_hat: (x.shape)
        if stats is not None:
            stats["mean"], stats["variance"] = mu, var
        return centered * gamma + beta

    def backward(self, grad):
        axes, x_hat = self.axes, self.x_hat
        sum_g = grad.sum(axis=axes, keepdims=True)
        sum_gx = (grad * x_hat).sum(axis=axes, keepdims=True)
        grad_x = None
        if self.needs_grad[0]:
            coeff = self.gamma * self.rstd  # (gamma shape)
            correction = x_hat * sum_gx
            correction += sum_g
            if self.weights is None:
                correction /= self.count
            else:
                correction *= self.weights / self.count
            grad_x = (grad - correction) * coeff
        return grad_x, sum_gx, sum_g


class LayerNorm(Function):
    """Layer normalization over ``axes`` (the feature axes), per sample.

        y = gamma x_hat + beta,  x_hat = (x - mu) r,  r = (var + eps)^(-1/2)

    Backward, with n the number of normalized elements and gg = g gamma:

        dL/dx     = r (gg - mean_A(gg) - x_hat mean_A(gg x_hat))
        dL/dgamma = sum over the other axes of g x_hat,  dL/dbeta = sum over them of g

    The work is done on a (rows, n) matrix view with the normalized axes last, so the
    per-row means are matrix-vector products (much faster than NumPy's short-row
    reductions).
    """

    def forward(self, x, gamma, beta, axes, epsilon):
        other = _other_axes(x.ndim, axes)
        self.perm = other + axes
        self.moved_shape = tuple(x.shape[a] for a in self.perm)
        n = int(np.prod([x.shape[a] for a in axes]))
        self.gamma_shape = gamma.shape
        self.gamma = np.transpose(gamma, self.perm).reshape(n)  # (n,)
        x2 = np.transpose(x, self.perm).reshape(-1, n)  # (rows, n)
        self.mean_weights = np.full(n, 1.0 / n, dtype=x.dtype)
        centered = x2 - (x2 @ self.mean_weights)[:, None]
        var = np.einsum("ij,ij->i", centered, centered) / np.asarray(n, x.dtype)
        self.rstd = (1.0 / np.sqrt(var + np.asarray(epsilon, x.dtype)))[:, None]  # (rows, 1)
        centered *= self.rstd
        self.x_hat = centered  # (rows, n)
        y = centered * self.gamma
        y += np.transpose(beta, self.perm).reshape(n)
        return self._unmove(y)

    def _unmove(self, a2):
        """(rows, n) back to the input's layout."""
        return np.transpose(a2.reshape(self.moved_shape), np.argsort(self.perm))

    def _param_grad(self, values):
        """(n,) back to gamma's broadcast shape."""
        moved = tuple(self.gamma_shape[a] for a in self.perm)
        return np.transpose(values.reshape(moved), np.argsort(self.perm))

    def backward(self, grad):
        x_hat = self.x_hat
        g2 = np.transpose(grad, self.perm).reshape(x_hat.shape)  # (rows, n)
        grad_x = grad_gamma = grad_beta = None
        if self.needs_grad[0]:
            gg = g2 * self.gamma
            mean_gg = gg @ self.mean_weights  # (rows,)
            mean_ggx = np.einsum("ij,ij->i", gg, x_hat) / np.asarray(x_hat.shape[1], gg.dtype)
            correction = x_hat * mean_ggx[:, None]
            correction += mean_gg[:, None]
            gg -= correction
            gg *= self.rstd
            grad_x = self._unmove(gg)
        if self.needs_grad[1]:
            grad_gamma = self._param_grad(np.einsum("ij,ij->j", g2, x_hat))
        if self.needs_grad[2]:
            grad_beta = self._param_grad(g2.sum(axis=0))
        return grad_x, grad_gamma, grad_beta


def _parameter(value, shape, fill, like):
    """gamma or beta as a Tensor of the broadcast ``shape`` (a constant ``fill`` if None)."""
    if value is None:
        return to_tensor(np.full(shape, fill, dtype=like.dtype))
    value = to_tensor(value)
    return value if value.shape == shape else reshape(value, shape)


def _broadcast_shape(x_shape, axes) -> tuple:
    return tuple(1 if ax in axes else n for ax, n in enumerate(x_shape))


def batch_norm(x, gamma, beta, axes, epsilon: float = 1e-3, mask=None):
    """Training-mode batch normalization of ``x`` over ``axes`` (fused).

    ``gamma`` and ``beta`` (either may be None) have the shape of the kept axes, or the
    broadcast shape. ``mask`` (optional, broadcastable to x, 1 = counts) excludes positions
    from the statistics. Returns ``(y, mean, variance)``: the output Tensor and the batch
    statistics as arrays of the kept axes' shape (the biased variance), for moving averages.
    """
    x = to_tensor(x)
    axes = tuple(sorted(ax % x.ndim for ax in axes))
    shape = _broadcast_shape(x.shape, axes)
    gamma = _parameter(gamma, shape, 1.0, x)
    beta = _parameter(beta, shape, 0.0, x)
    weights = None if mask is None else np.asarray(getattr(mask, "data", mask))
    stats = {}
    y = BatchNorm.apply(x, gamma, beta, axes=axes, epsilon=float(epsilon), weights=weights,
                        stats=stats)
    kept = tuple(n for ax, n in enumerate(x.shape) if ax not in axes)
    return y, stats["mean"].reshape(kept), stats["variance"].reshape(kept)


def layer_norm(x, gamma, beta, axes=(-1,), epsilon: float = 1e-3):
    """Layer normalization of ``x`` over ``axes`` (fused); gamma/beta may be None."""
    x = to_tensor(x)
    axes = tuple(sorted(ax % x.ndim for ax in axes))
    shape = tuple(n if ax in axes else 1 for ax, n in enumerate(x.shape))
    gamma = _parameter(gamma, shape, 1.0, x)
    beta = _parameter(beta, shape, 0.0, x)
    return LayerNorm.apply(x, gamma, beta, axes=axes, epsilon=float(epsilon))


def _normalize_composite(x, gamma, beta, axes, epsilon, weights=None):
    if weights is None:
        mu = reduce_mean(x, axes, keepdims=True)
        var = reduce_mean((x - mu) * (x - mu), axes, keepdims=True)
    else:
        count = np.maximum(reduce_sum(weights, axes, keepdims=True).data, 1)
        mu = reduce_sum(weights * x, axes, keepdims=True) / count
        var = reduce_sum(weights * (x - mu) * (x - mu), axes, keepdims=True) / count
    x_hat = (x - mu) / sqrt(var + epsilon)
    return x_hat * gamma + beta


def batch_norm_composite(x, gamma, beta, axes, epsilon: float = 1e-3, mask=None):
    """`batch_norm`'s output from primitive ops (the reference; statistics not returned)."""
    x = to_tensor(x)
    axes = tuple(sorted(ax % x.ndim for ax in axes))
    shape = _broadcast_shape(x.shape, axes)
    weights = None
    if mask is not None:
        array = np.asarray(getattr(mask, "data", mask)).astype(x.dtype)
        weights = to_tensor(np.broadcast_to(array, x.shape).copy())
    return _normalize_composite(x, _parameter(gamma, shape, 1.0, x),
                                _parameter(beta, shape, 0.0, x), axes, epsilon, weights)


def layer_norm_composite(x, gamma, beta, axes=(-1,), epsilon: float = 1e-3):
    """`layer_norm` from primitive ops (the reference)."""
    x = to_tensor(x)
    axes = tuple(sorted(ax % x.ndim for ax in axes))
    shape = tuple(n if ax in axes else 1 for ax, n in enumerate(x.shape))
    return _normalize_composite(x, _parameter(gamma, shape, 1.0, x),
                                _parameter(beta, shape, 0.0, x), axes, epsilon)
