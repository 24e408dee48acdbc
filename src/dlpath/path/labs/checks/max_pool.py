"""Checks of the max-pool lab: the forward pass against dlpath's engine
(dlpath.engine.pooling.max_pool2d), the backward pass against dlpath's gradient and finite
differences, overlapping windows, ties (the first maximum in row-major order, dlpath's
convention), float32 and edge cases."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.pooling import max_pool2d
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["max_pool_forward", "max_pool_backward"]


def _forward(x, k, s):
    return max_pool2d(Tensor(x, dtype=x.dtype), k, s).data


def _backward(dy, x, k, s):
    t = Tensor(x, requires_grad=True, dtype=x.dtype)
    max_pool2d(t, k, s).backward(dy)
    return t.grad


def _routed(dy, x, k, s, rule, overwrite=False):
    """dL/dx with the window gradient sent by ``rule``: 'first' (the right one), 'last',
    'all' (every maximum), 'spread' (shared by the maxima), 'average' (1/k^2 to each);
    ``overwrite`` writes each window's share with = instead of adding it."""
    n, _, _, c = x.shape
    ho, wo = dy.shape[1:3]
    dx = np.zeros(x.shape)
    for i in range(ho):
        for j in range(wo):
            flat = x[:, i * s:i * s + k, j * s:j * s + k, :].reshape(n, k * k, c)
            is_max = flat == flat.max(axis=1, keepdims=True)
            if rule in ("first", "last"):
                order = flat if rule == "first" else flat[:, ::-1]
                index = order.argmax(axis=1)[:, None, :]
                if rule == "last":
                    index = k * k - 1 - index
                share = np.zeros(flat.shape)
                np.put_along_axis(share, index, 1.0, axis=1)
            elif rule == "all":
                share = is_max.astype(float)
            elif rule == "spread":
                share = is_max / is_max.sum(axis=1, keepdims=True)
            else:
                share = np.full(flat.shape, 1.0 / (k * k))
            block = (share * dy[:, i, j][:, None, :]).reshape(n, k, k, c)
            if overwrite:
                dx[:, i * s:i * s + k, j * s:j * s + k, :] = block
            else:
                dx[:, i * s:i * s + k, j * s:j * s + k, :] += block
    return dx


def _coverage(x_shape, k, s, out_hw):
    """How many windows cover each pixel: (H, W)."""
    count = np.zeros(x_shape[1:3], dtype=int)
    for i in range(out_hw[0]):
        for j in range(out_hw[1]):
            count[i * s:i * s + k, j * s:j * s + k] += 1
    return count


def _tie_free(rng, shape, dtype=np.float64):
    """Distinct values (a shuffled, scaled range), so every window has one maximum and
    finite differences see no kink."""
    values = rng.permutation(int(np.prod(shape))).astype(np.float64)
    return ((values - values.mean()) / 7.0).reshape(shape).astype(dtype)


def _describe(x, k, s):
    return f"x {x.shape}, pool_size {k}, stride {s}, {x.dtype}"


def _expect_forward(learner, x, k, s, rtol=1e-12, atol=0.0):
    case = Case(learner.max_pool_forward, _describe(x, k, s))
    y = case.expect_array("y", case.call(x, k, s))
    expected = _forward(x, k, s)
    if y.shape != expected.shape:
        step = k if s is None else s
        n, h, w, c = x.shape
        unstrided = (n, h - k + 1, w - k + 1, c)
        params = dict(actual=tuple(y.shape), expected=expected.shape)
        if step > 1 and y.shape == unstrided:
            case.fail("stride_default" if s is None else "ignored_stride", stride=step,
                      **params)
    case.expect_close("y", y, expected, rtol=rtol, atol=atol,
                      mistakes={"init_zero": np.maximum(expected, 0)})
    return y


def _expect_backward(learner, rng, x, k, s, dy=None, finite_differences=True, rtol=1e-7,
                     atol=1e-9):
    step = k if s is None else s
    if dy is None:
        dy = rng.standard_normal(_forward(x, k, s).shape).astype(x.dtype)
    case = Case(learner.max_pool_backward, f"dy {dy.shape}, " + _describe(x, k, s))
    dx = case.expect_array("dx", case.call(dy, x, k, s))
    expected = _backward(dy, x, k, s)
    if finite_differences:
        numeric = numerical_gradient(lambda v: float(np.sum(_forward(v, k, s) * dy)), x)
        if dx.shape == numeric.shape and not np.allclose(dx, numeric, rtol=1e-5, atol=1e-6):
            wrong = ~np.isclose(dx, numeric, rtol=1e-5, atol=1e-6)
            _diagnose_backward(case, dx, dy, x, k, step)
            at = np.unravel_index(wrong.argmax(), wrong.shape)
            case.fail("gradient_mismatch", name="dx", index=str(list(map(int, at))),
                      actual=float(dx[at]), expected=float(numeric[at]))
    if dx.shape == expected.shape and not np.allclose(dx, expected, rtol=rtol, atol=atol):
        _diagnose_backward(case, dx, dy, x, k, step)
    case.expect_close("dx", dx, expected, rtol=rtol, atol=atol)
    return dx


def _diagnose_backward(case, dx, dy, x, k, s):
    mistakes = {"ties_all": _routed(dy, x, k, s, "all"),
                "ties_last": _routed(dy, x, k, s, "last"),
                "ties_spread": _routed(dy, x, k, s, "spread"),
                "average_routing": _routed(dy, x, k, s, "average"),
                "overlap_overwrite": _routed(dy, x, k, s, "first", overwrite=True)}
    right = _routed(dy, x, k, s, "first")
    for key, wrong in mistakes.items():
        if np.allclose(dx, wrong, rtol=1e-6, atol=1e-8) and not np.allclose(
                wrong, right, rtol=1e-6, atol=1e-8):
            case.fail(key, name="dx")
    if k > s:
        bad = ~np.isclose(dx, right, rtol=1e-6, atol=1e-8)
        cover = np.broadcast_to(_coverage(x.shape, k, s, dy.shape[1:3])[None, :, :, None],
                                x.shape)
        if bad.any() and (cover[bad] >= 2).all():
            case.fail("overlap_accumulate", name="dx")


@check("forward")
def forward(learner, rng):
    for k, s, hw in ((2, None, (6, 8)), (3, 2, (7, 8)), (2, 1, (5, 4)), (3, 3, (7, 8))):
        x = rng.standard_normal((int(rng.integers(1, 4)),) + hw + (int(rng.integers(1, 4)),))
        _expect_forward(learner, x, k, s)


@check("negative-inputs")
def negative_inputs(learner, rng):
    x = -np.abs(rng.standard_normal((2, 4, 6, 3))) - 1.0
    _expect_forward(learner, x, 2, None)


@check("backward")
def backward(learner, rng):
    for k, s, hw in ((2, None, (4, 6)), (3, 3, (7, 6)), (2, 2, (5, 5))):
        x = _tie_free(rng, (int(rng.integers(1, 3)),) + hw + (2,))
        _expect_backward(learner, rng, x, k, s)


@check("overlapping")
def overlapping(learner, rng):
    for k, s, hw in ((3, 2, (7, 7)), (2, 1, (4, 5))):
        x = _tie_free(rng, (2,) + hw + (2,))
        _expect_backward(learner, rng, x, k, s)


@check("ties")
def ties(learner, rng):
    for k, s in ((2, None), (3, 2)):
        x = rng.integers(0, 3, size=(2, 6, 7, 2)).astype(np.float64)
        dy = rng.standard_normal(_forward(x, k, s).shape)
        _expect_backward(learner, rng, x, k, s, dy=dy, finite_differences=False)
    x = np.zeros((1, 4, 4, 1))  # all equal: each window sends everything to its top-left
    dy = np.arange(1.0, 5.0).reshape(1, 2, 2, 1)
    _expect_backward(learner, rng, x, 2, None, dy=dy, finite_differences=False)


@check("float32")
def float32(learner, rng):
    x = _tie_free(rng, (2, 6, 6, 3), np.float32)
    case = Case(learner.max_pool_forward, _describe(x, 2, None))
    case.expect_dtype("y", _expect_forward(learner, x, 2, None), np.float32)
    dx = _expect_backward(learner, rng, x, 3, 2, finite_differences=False, rtol=1e-6,
                          atol=1e-6)
    case = Case(learner.max_pool_backward, _describe(x, 3, 2))
    case.expect_dtype("dx", dx, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # Global pooling (the window is the whole image), a 1 x 1 pool (the identity, every
    # element its own maximum) and batch 1.
    x = _tie_free(rng, (2, 4, 4, 3))
    _expect_forward(learner, x, 4, None)
    _expect_backward(learner, rng, x, 4, None)
    x = _tie_free(rng, (1, 3, 5, 2))
    _expect_forward(learner, x, 1, None)
    _expect_backward(learner, rng, x, 1, None)
