"""Checks of the gradient-descent lab: one step against dlpath's SGD, the quadratic's value
and gradient against dlpath's engine and finite differences, and the descent loop against
dlpath's SGD driven by the engine's backward pass."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import SGD
from dlpath.path.labs.checks._optimizers import random_shape
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["gd_step", "quadratic", "minimize_quadratic"]


def _dlpath_step(w, g, learning_rate=None):
    variable = Tensor(w.copy(), dtype=w.dtype)
    optimizer = SGD() if learning_rate is None else SGD(learning_rate=learning_rate)
    optimizer.apply([g], [variable])
    return variable.data


def _problem(rng, n=None, low=1.0, high=10.0, dtype=np.float64):
    """A symmetric positive definite A with eigenvalues in [low, high], b and w0."""
    n = int(rng.integers(2, 7)) if n is None else n
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = rng.uniform(low, high, size=n)
    eigenvalues[0], eigenvalues[-1] = low, high
    A = (q * eigenvalues) @ q.T
    A = (A + A.T) / 2
    return A.astype(dtype), rng.standard_normal(n).astype(dtype), \
        rng.standard_normal(n).astype(dtype)


def _engine_quadratic(A, b, w):
    """f and its gradient from dlpath's engine (backward pass), float64."""
    wt = Tensor(w, requires_grad=True, dtype=np.float64)
    f = 0.5 * (wt @ (Tensor(A, dtype=np.float64) @ wt)) - (Tensor(b, dtype=np.float64)
                                                           * wt).sum()
    f.backward()
    return float(f.data), wt.grad


def _dlpath_descent(A, b, w0, learning_rate, steps):
    """dlpath's SGD on the engine's f: the final w and the losses f(w_0) .. f(w_steps)."""
    At, bt = Tensor(A, dtype=A.dtype), Tensor(b, dtype=b.dtype)
    w = Tensor(w0.copy(), requires_grad=True, dtype=w0.dtype)
    optimizer = SGD(learning_rate=learning_rate)
    losses = []
    for _ in range(steps + 1):
        f = 0.5 * (w @ (At @ w)) - (bt * w).sum()
        losses.append(float(f.data))
        if len(losses) > steps:
            break
        f.backward()
        optimizer.step([w])
        optimizer.zero_grad([w])
    return w.data, np.array(losses)


def _pair(case, result, what):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", what=what, type=type(result).__name__)
    return result


@check("step")
def step(learner, rng):
    for _ in range(3):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        lr = float(rng.uniform(0.01, 0.5))
        case = Case(learner.gd_step, f"w and g of shape {shape}, learning_rate={lr:.4g}")
        expected = _dlpath_step(w, g, lr)
        case.expect_close("w_new", case.call(w, g, learning_rate=lr), expected, rtol=1e-10,
                          atol=1e-12, mistakes={"gradient_ascent": w + lr * g,
                                                "forgot_learning_rate": w - g,
                                                "returned_the_step": -lr * g})


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape)
    case = Case(learner.gd_step, f"gd_step(w, g) without learning_rate, shape {shape}")
    result = case.expect_shape("w_new", case.call(w, g), shape)
    if not np.allclose(result, _dlpath_step(w, g), rtol=1e-10, atol=1e-12):
        case.fail("default_learning_rate")


@check("quadratic")
def quadratic(learner, rng):
    for _ in range(3):
        A, b, w = _problem(rng)
        n = len(b)
        case = Case(learner.quadratic, f"A ({n}, {n}) symmetric, b ({n},), w ({n},)")
        f, grad = _pair(case, case.call(A, b, w), "(f, grad)")
        f_ref, grad_ref = _engine_quadratic(A, b, w)
        case.expect_close("f", f, f_ref, rtol=1e-10, atol=1e-12,
                          mistakes={"loss_missing_half": w @ A @ w - b @ w,
                                    "loss_sign_of_b": 0.5 * w @ A @ w + b @ w})
        case.expect_close("grad", grad, grad_ref, rtol=1e-9, atol=1e-12,
                          mistakes={"grad_missing_b": A @ w, "grad_half": 0.5 * (A @ w) - b,
                                    "grad_plus_b": A @ w + b})
        numeric = numerical_gradient(lambda v: float(case.call(A, b, v)[0]), w)
        bad = ~np.isclose(grad, numeric, rtol=1e-5, atol=1e-6)
        if bad.any():
            i = int(bad.argmax())
            case.fail("gradient_mismatch", name="grad", index=f"[{i}]",
                      actual=float(grad[i]), expected=float(numeric[i]))


@check("descent")
def descent(learner, rng):
    for steps in (int(rng.integers(3, 12)), 1):
        A, b, w0 = _problem(rng)
        lr = float(rng.uniform(0.02, 0.18))
        n = len(b)
        case = Case(learner.minimize_quadratic,
                    f"n = {n}, learning_rate={lr:.4g}, steps={steps}")
        w, losses = _pair(case, case.call(A, b, w0, lr, steps), "(w, losses)")
        w_ref, losses_ref = _dlpath_descent(A, b, w0, lr, steps)
        mistakes = {"steps_short": _dlpath_descent(A, b, w0, lr, steps - 1)[0],
                    "steps_extra": _dlpath_descent(A, b, w0, lr, steps + 1)[0]}
        case.expect_close("w", w, w_ref, rtol=1e-9, atol=1e-12, mistakes=mistakes)
        losses = case.expect_array("losses", losses)
        if losses.shape == (steps,):
            if np.allclose(losses, losses_ref[1:], rtol=1e-9, atol=1e-12):
                case.fail("losses_after_update", steps=steps)
            case.fail("losses_missing_last", steps=steps)
        if losses.shape != (steps + 1,):
            case.fail("losses_length", steps=steps, actual=losses.shape)
        case.expect_close("losses", losses, losses_ref, rtol=1e-9, atol=1e-12)


@check("zero-steps")
def zero_steps(learner, rng):
    A, b, w0 = _problem(rng)
    case = Case(learner.minimize_quadratic, "steps=0")
    w, losses = _pair(case, case.call(A, b, w0, 0.1, 0), "(w, losses)")
    case.expect_close("w", w, w0, rtol=0, atol=0)
    case.expect_close("losses", losses, [_engine_quadratic(A, b, w0)[0]], rtol=1e-10,
                      atol=1e-12)


@check("converges")
def converges(learner, rng):
    A, b, w0 = _problem(rng, n=5, low=1.0, high=4.0)
    case = Case(learner.minimize_quadratic, "lr = 1 / largest eigenvalue of A, 150 steps")
    w, losses = _pair(case, case.call(A, b, w0, 0.25, 150), "(w, losses)")
    case.expect_close("w", w, np.linalg.solve(A, b), rtol=1e-6, atol=1e-8)
    losses = case.expect_shape("losses", losses, (151,))
    if np.any(np.diff(losses) > 1e-12):
        case.fail("loss_went_up", index=int(np.argmax(np.diff(losses) > 1e-12)) + 1)


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape).astype(np.float32), \
        rng.standard_normal(shape).astype(np.float32)
    case = Case(learner.gd_step, f"w and g of shape {shape}, float32")
    result = case.call(w, g, learning_rate=0.1)
    case.expect_dtype("w_new", result, np.float32)
    case.expect_close("w_new", result, _dlpath_step(w, g, 0.1), rtol=1e-5, atol=1e-6)
    A, b, w0 = _problem(rng, dtype=np.float32)
    case = Case(learner.minimize_quadratic, "A, b, w0 float32, 5 steps")
    w, losses = _pair(case, case.call(A, b, w0, 0.05, 5), "(w, losses)")
    case.expect_dtype("w", w, np.float32)
    case.expect_close("w", w, _dlpath_descent(A, b, w0, 0.05, 5)[0], rtol=1e-4, atol=1e-5)
