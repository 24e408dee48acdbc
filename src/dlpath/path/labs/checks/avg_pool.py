"""Checks of the avg-pool lab: forward and backward against dlpath's engine
(dlpath.engine.pooling.avg_pool2d and its gradient) and finite differences, with 'valid'
and 'same' padding (the padding left out of each mean, as Keras), overlapping windows,
float32 and edge cases."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.pooling import avg_pool2d
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["avg_pool_forward", "avg_pool_backward"]


def _forward(x, k, s, padding):
    return avg_pool2d(Tensor(x, dtype=x.dtype), k, s, padding).data


def _backward(dy, x, k, s, padding):
    t = Tensor(x, requires_grad=True, dtype=x.dtype)
    avg_pool2d(t, k, s, padding).backward(dy)
    return t.grad


def _bounds(size, k, s, padding, extra_before=False):
    """[(start, stop)] of each window along one axis, clipped to the image."""
    if padding == "same":
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        before = total - total // 2 if extra_before else total // 2
    else:
        out, before = (size - k) // s + 1, 0
    return [(max(i * s - before, 0), min(i * s - before + k, size)) for i in range(out)]


def _pool(x, k, s, padding, include_pad=False, extra_before=False):
    """A float64 reference with the mistakes: padding counted in the mean, the odd pixel
    of 'same' padding before."""
    rows = _bounds(x.shape[1], k, s, padding, extra_before)
    cols = _bounds(x.shape[2], k, s, padding, extra_before)
    y = np.zeros((x.shape[0], len(rows), len(cols), x.shape[3]))
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            total = x[:, r0:r1, c0:c1, :].sum(axis=(1, 2))
            y[:, i, j] = total / (k * k if include_pad else (r1 - r0) * (c1 - c0))
    return y


def _unpool(dy, x_shape, k, s, padding, divide=True, include_pad=False, overwrite=False):
    """The backward pass with the mistakes: no division, padding counted, = for +=."""
    rows = _bounds(x_shape[1], k, s, padding)
    cols = _bounds(x_shape[2], k, s, padding)
    dx = np.zeros(x_shape)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            count = k * k if include_pad else (r1 - r0) * (c1 - c0)
            share = dy[:, i, j, None, None, :] / (count if divide else 1)
            if overwrite:
                dx[:, r0:r1, c0:c1, :] = share
            else:
                dx[:, r0:r1, c0:c1, :] += share
    return dx


def _coverage(x_shape, k, s, padding):
    count = np.zeros(x_shape[1:3], dtype=int)
    for r0, r1 in _bounds(x_shape[1], k, s, padding):
        for c0, c1 in _bounds(x_shape[2], k, s, padding):
            count[r0:r1, c0:c1] += 1
    return count


def _describe(x_shape, k, s, padding, dtype):
    return (f"x {tuple(x_shape)}, pool_size {k}, stride {s}, padding {padding!r}, "
            f"{np.dtype(dtype)}")


def _expect_forward(learner, x, k, s, padding, rtol=1e-7, atol=1e-9):
    case = Case(learner.avg_pool_forward, _describe(x.shape, k, s, padding, x.dtype))
    y = case.expect_array("y", case.call(x, k, s, padding))
    expected = _forward(x, k, s, padding)
    step = k if s is None else s
    n, h, w, c = x.shape
    params = dict(actual=tuple(y.shape), expected=expected.shape, stride=step)
    if y.shape != expected.shape:
        if padding == "valid" and step > 1 and y.shape == (n, h - k + 1, w - k + 1, c):
            case.fail("stride_default" if s is None else "ignored_stride", **params)
        if padding == "same" and step > 1 and y.shape == (n, h, w, c):
            case.fail("same_ignores_stride", **params)
        if padding == "same" and y.shape == _forward(x, k, s, "valid").shape:
            case.fail("same_not_padded", **params)
    mistakes = {}
    if padding == "same":
        mistakes = {"padding_in_mean": _pool(x, k, step, padding, include_pad=True),
                    "same_extra_before": _pool(x, k, step, padding, extra_before=True)}
    case.expect_close("y", y, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    return y


def _expect_backward(learner, rng, x_shape, k, s, padding, dtype=np.float64,
                     finite_differences=True, rtol=1e-7, atol=1e-9):
    x = rng.standard_normal(x_shape).astype(dtype)
    dy = rng.standard_normal(_forward(x, k, s, padding).shape).astype(dtype)
    case = Case(learner.avg_pool_backward,
                f"dy {dy.shape}, " + _describe(x_shape, k, s, padding, dtype))
    dx = case.expect_array("dx", case.call(dy, tuple(x_shape), k, s, padding))
    expected = _backward(dy, x, k, s, padding)
    step = k if s is None else s
    mistakes = {"not_divided": _unpool(dy, x_shape, k, step, padding, divide=False),
                "overlap_overwrite": _unpool(dy, x_shape, k, step, padding, overwrite=True)}
    if padding == "same":
        mistakes["padding_in_mean_grad"] = _unpool(dy, x_shape, k, step, padding,
                                                   include_pad=True)
    if finite_differences:
        numeric = numerical_gradient(lambda v: float(np.sum(_forward(v, k, s, padding) * dy)),
                                     x)
        if dx.shape == numeric.shape and not np.allclose(dx, numeric, rtol=1e-5, atol=1e-6):
            _diagnose(case, dx, expected, mistakes, x_shape, k, step, padding)
            wrong = ~np.isclose(dx, numeric, rtol=1e-5, atol=1e-6)
            at = np.unravel_index(wrong.argmax(), wrong.shape)
            case.fail("gradient_mismatch", name="dx", index=str(list(map(int, at))),
                      actual=float(dx[at]), expected=float(numeric[at]))
    if dx.shape == expected.shape and not np.allclose(dx, expected, rtol=rtol, atol=atol):
        _diagnose(case, dx, expected, mistakes, x_shape, k, step, padding)
    case.expect_close("dx", dx, expected, rtol=rtol, atol=atol)
    return dx


def _diagnose(case, dx, expected, mistakes, x_shape, k, s, padding):
    for key, wrong in mistakes.items():
        if np.allclose(dx, wrong, rtol=1e-6, atol=1e-8) and not np.allclose(
                wrong, expected, rtol=1e-6, atol=1e-8):
            case.fail(key, name="dx")
    if k > s:
        bad = ~np.isclose(dx, expected, rtol=1e-6, atol=1e-8)
        cover = np.broadcast_to(_coverage(x_shape, k, s, padding)[None, :, :, None], x_shape)
        if bad.any() and (cover[bad] >= 2).all():
            case.fail("overlap_accumulate", name="dx")


def _shape(rng, hw):
    return (int(rng.integers(1, 4)),) + hw + (int(rng.integers(1, 4)),)


@check("forward-valid")
def forward_valid(learner, rng):
    for k, s, hw in ((2, None, (6, 8)), (3, 2, (7, 8)), (2, 1, (5, 4)), (3, 3, (7, 8))):
        _expect_forward(learner, rng.standard_normal(_shape(rng, hw)), k, s, "valid")


@check("forward-same")
def forward_same(learner, rng):
    for k, s, hw in ((3, 1, (5, 6)), (2, None, (5, 7)), (3, 2, (6, 7)), (4, 3, (7, 5))):
        _expect_forward(learner, rng.standard_normal(_shape(rng, hw)), k, s, "same")


@check("backward-valid")
def backward_valid(learner, rng):
    for k, s, hw in ((2, None, (4, 6)), (3, 3, (7, 6))):
        _expect_backward(learner, rng, _shape(rng, hw), k, s, "valid")


@check("backward-same")
def backward_same(learner, rng):
    for k, s, hw in ((2, None, (5, 5)), (4, 3, (7, 5))):
        _expect_backward(learner, rng, _shape(rng, hw), k, s, "same")


@check("overlapping")
def overlapping(learner, rng):
    for k, s, hw, padding in ((3, 2, (7, 6), "valid"), (3, 1, (5, 4), "same")):
        _expect_backward(learner, rng, _shape(rng, hw), k, s, padding)


@check("float32")
def float32(learner, rng):
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    y = _expect_forward(learner, x, 2, None, "same", rtol=1e-5, atol=1e-6)
    case = Case(learner.avg_pool_forward, _describe(x.shape, 2, None, "same", x.dtype))
    case.expect_dtype("y", y, np.float32)
    dx = _expect_backward(learner, rng, (2, 6, 5, 3), 3, 2, "valid", np.float32,
                          finite_differences=False, rtol=1e-5, atol=1e-6)
    case = Case(learner.avg_pool_backward, _describe(x.shape, 3, 2, "valid", x.dtype))
    case.expect_dtype("dx", dx, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # Global pooling, a 1 x 1 pool (the identity), batch 1, and 'same' windows larger
    # than the image.
    _expect_forward(learner, rng.standard_normal((2, 4, 4, 3)), 4, None, "valid")
    _expect_backward(learner, rng, (2, 4, 4, 3), 4, None, "valid")
    _expect_forward(learner, rng.standard_normal((1, 3, 5, 2)), 1, None, "valid")
    _expect_backward(learner, rng, (1, 3, 5, 2), 1, None, "same")
    _expect_forward(learner, rng.standard_normal((1, 2, 3, 2)), 4, 1, "same")
    _expect_backward(learner, rng, (1, 2, 3, 2), 4, 1, "same")
