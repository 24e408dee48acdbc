"""Integrated Gradients (Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep
Networks"), with its completeness check.

For an input x, a baseline x' (default: all zeros, a black image) and the class score F,

.. math::

    \\mathrm{IG}_i(x) = (x_i - x'_i) \\int_0^1
        \\frac{\\partial F(x' + \\alpha (x - x'))}{\\partial x_i} \\, d\\alpha ,

and *completeness* holds: :math:`\\sum_i \\mathrm{IG}_i(x) = F(x) - F(x')`. The integral is
computed with the trapezoidal rule on m steps (points :math:`\\alpha_k = k/m`, weights 1/m,
halved at both ends), the second-order form of the paper's Riemann sum. The paper checks
completeness to choose m; here m starts at ``steps`` and doubles, for the samples that do
not yet pass, until

.. math::

    \\left| \\sum_i \\mathrm{IG}_i - (F(x) - F(x')) \\right| \\le
        \\text{tolerance} \\cdot |F(x) - F(x')|

(default 1 %) or m reaches ``max_steps``; the result says, per sample, the steps used, the
relative error and whether it held. A linear F gives :math:`(x - x') \\cdot w` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath.explain._model import ExplainError, check_images, gradients, resolve_targets

TOLERANCE = 0.01


@dataclass
class IntegratedGradients:
    """Attributions (shape of the inputs) and, per sample, the completeness check."""

    attributions: np.ndarray
    targets: np.ndarray
    difference: np.ndarray  # F(x) - F(x')
    total: np.ndarray  # sum of the attributions
    steps: np.ndarray  # m used
    tolerance: float

    @property
    def relative_error(self) -> np.ndarray:
        gap = np.abs(self.total - self.difference)
        return gap / np.maximum(np.abs(self.difference), 1e-12)

    @property
    def complete(self) -> np.ndarray:
        """Per sample: the completeness check held within ``tolerance``."""
        return _holds(self.total, self.difference, self.tolerance)

    def summary(self) -> str:
        held = int(self.complete.sum())
        return (f"completeness within {self.tolerance:.0%} for {held} of "
                f"{len(self.complete)} samples (largest error "
                f"{float(self.relative_error.max()):.2%}, steps "
                f"{int(self.steps.min())}-{int(self.steps.max())})")


def _holds(total, difference, tolerance) -> np.ndarray:
    gap = np.abs(total - difference)
    return gap <= tolerance * np.abs(difference) + 1e-6


def integrated_gradients(model, x, targets=None, baseline=None, steps: int = 32,
                         max_steps: int = 512, tolerance: float = TOLERANCE,
                         batch_size: int = 256) -> IntegratedGradients:
    """IG of the class scores of ``x`` (targets default: predicted) from ``baseline``."""
    x = check_images(x, "integrated_gradients")
    targets = resolve_targets(model, x, targets)

    def grad_fn(points, point_targets, _context):
        grad, picked, _ = gradients(model, points, point_targets)
        return grad, picked

    return integrate(grad_fn, x, _baseline(x, baseline), targets, steps, max_steps,
                     tolerance, batch_size)


def _baseline(x: np.ndarray, baseline) -> np.ndarray:
    if baseline is None:
        return np.zeros_like(x)
    base = np.asarray(baseline, dtype=np.float32)
    try:
        return np.broadcast_to(base, x.shape).copy()
    except ValueError:
        raise ExplainError(f"integrated_gradients: baseline of shape {base.shape} does not "
                           f"fit the inputs {x.shape}") from None


def integrate(grad_fn, x, baseline, targets, steps, max_steps, tolerance,
              batch_size, context=None) -> IntegratedGradients:
    """The IG loop over any ``grad_fn(points, targets, context) -> (dF/dpoints,
    F(points))``; ``context`` (one row per sample, e.g. the token ids behind embeddings) is
    repeated along with each sample's points."""
    if int(steps) < 1 or int(max_steps) < int(steps):
        raise ExplainError(f"integrated_gradients: need 1 <= steps <= max_steps, got "
                           f"steps={steps}, max_steps={max_steps}")
    count = len(x)
    attributions = np.zeros_like(x)
    total, difference = np.zeros(count), np.zeros(count)
    used = np.zeros(count, dtype=np.int64)
    todo, m = np.arange(count), int(steps)
    while len(todo):
        path, ends = _path_integral(grad_fn, x[todo], baseline[todo], targets[todo], m,
                                    batch_size, None if context is None else context[todo])
        attributions[todo] = (x[todo] - baseline[todo]) * path
        total[todo] = attributions[todo].reshape(len(todo), -1).sum(axis=1)
        difference[todo] = ends[:, 1] - ends[:, 0]
        used[todo] = m
        failing = ~_holds(total[todo], difference[todo], tolerance)
        if m >= max_steps:
            break
        todo, m = todo[failing], min(2 * m, int(max_steps))
    return IntegratedGradients(attributions, targets, difference, total, used,
                               float(tolerance))


def _path_integral(grad_fn, x, baseline, targets, m: int, batch_size: int,
                   context=None) -> tuple:
    """(trapezoidal mean of dF/dx on the straight path, (F(x'), F(x)) per sample)."""
    alphas = np.linspace(0.0, 1.0, m + 1, dtype=np.float32)  # (m+1,)
    weights = np.full(m + 1, 1.0 / m, dtype=np.float32)
    weights[[0, -1]] /= 2
    shape = (1,) * (x.ndim - 1)
    integral = np.zeros_like(x)
    ends = np.zeros((len(x), 2))
    per_batch = max(1, batch_size // (m + 1))
    for start in range(0, len(x), per_batch):
        rows = slice(start, start + per_batch)
        xs, bs = x[rows], baseline[rows]  # (B, ...)
        points = bs[:, None] + alphas.reshape((1, -1) + shape) * (xs - bs)[:, None]
        flat = points.reshape((-1,) + x.shape[1:])  # (B*(m+1), ...)
        extra = None if context is None else np.repeat(context[rows], m + 1, axis=0)
        grad, picked = grad_fn(flat, np.repeat(targets[rows], m + 1), extra)
        grad = grad.reshape(points.shape)
        integral[rows] = np.tensordot(weights, np.moveaxis(grad, 1, 0), axes=1)
        picked = picked.reshape(len(xs), m + 1)
        ends[rows] = picked[:, [0, -1]]
    return integral, ends
