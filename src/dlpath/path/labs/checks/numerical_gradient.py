"""Checks of the numerical-gradient lab: central differences against a float64 reference
and dlpath's autograd, the gradcheck error measure, and a chain-rule gradient against the
engine and finite differences."""

import numpy as np

from dlpath.engine import Function, Tensor, gradcheck
from dlpath.engine import activations, ops
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["numerical_gradient", "gradient_check", "chain_rule_gradient"]


def _random_shape(rng):
    return tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 4)))


def _coupled_function(shape, w):
    """f(v) = sum(tanh(v) v) + (sum(w v))^2 / 2: the last term couples every element, so a
    perturbation left in place changes the differences of the elements after it."""

    def f(v):
        if np.shape(v) != shape:
            raise ValueError(f"f expects an array of shape {shape}, got {np.shape(v)}: "
                             f"call f with an array of x's shape")
        v = np.asarray(v, dtype=np.float64)
        return float(np.sum(np.tanh(v) * v) + 0.5 * np.sum(w * v) ** 2)

    return f


def _engine_gradient(x, w):
    """The gradient of the same function by dlpath's autograd."""
    v = Tensor(np.asarray(x, dtype=np.float64), requires_grad=True, dtype="float64")
    weights = Tensor(w, dtype="float64")
    loss = (activations.tanh(v) * v).sum() + 0.5 * (v * weights).sum() ** 2
    loss.backward()
    return v.grad


def _differences(f, x, h, kind):
    """What a known wrong rule gives: one-sided differences, or a perturbation never undone."""
    x = np.array(x, dtype=np.float64)
    base = f(x)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        if kind == "forward":
            x[i] = old + h
            grad[i] = (f(x) - base) / h
            x[i] = old
        elif kind == "backward":
            x[i] = old - h
            grad[i] = (base - f(x)) / h
            x[i] = old
        else:  # "not_restored": x[i] is left at old - h
            x[i] = old + h
            plus = f(x)
            x[i] = old - h
            grad[i] = (plus - f(x)) / (2 * h)
    return grad


@check("central-differences")
def central_differences(learner, rng):
    for h in (1e-3, 1e-2):
        shape = _random_shape(rng) + (2,)
        x = rng.normal(0, 1.5, size=shape)
        w = rng.normal(0, 1, size=shape)
        f = _coupled_function(shape, w)
        case = Case(learner.numerical_gradient, f"x of shape {shape}, h = {h:g}")
        grad = case.call(f, x, h)
        expected = numerical_gradient(f, x, eps=h)
        mistakes = {"forward_difference": _differences(f, x, h, "forward"),
                    "backward_difference": _differences(f, x, h, "backward"),
                    "not_restored": _differences(f, x, h, "not_restored")}
        mistakes["divided_by_h"] = 2 * expected
        case.expect_close("gradient", grad, expected, rtol=1e-6, atol=1e-9, mistakes=mistakes)


@check("default-step")
def default_step(learner, rng):
    for shape in (_random_shape(rng), (1,)):
        x = rng.normal(0, 1.5, size=shape)
        w = rng.normal(0, 1, size=shape)
        case = Case(learner.numerical_gradient, f"x of shape {shape}, default h")
        grad = case.call(_coupled_function(shape, w), x)
        case.expect_close("gradient", grad, _engine_gradient(x, w), rtol=1e-5, atol=1e-6)


@check("dtypes")
def dtypes(learner, rng):
    shape = _random_shape(rng)
    w = rng.normal(0, 1, size=shape)
    f = _coupled_function(shape, w)
    for dtype in (np.float32, np.int64):
        x = rng.normal(0, 2, size=shape).round().astype(dtype)
        case = Case(learner.numerical_gradient, f"x of shape {shape}, {np.dtype(dtype)}")
        grad = case.expect_array("gradient", case.call(f, x))
        if grad.dtype != np.float64:
            case.fail("not_float64", actual=str(grad.dtype))
        expected = _engine_gradient(x, w)
        if grad.shape == shape and not np.allclose(grad, expected, rtol=1e-5, atol=1e-6):
            case.fail("low_precision_copy", dtype=str(np.dtype(dtype)))
        case.expect_close("gradient", grad, expected, rtol=1e-5, atol=1e-6)


class _FixedGradient(Function):
    """f(v) = sum(p v) + sum(v^2) / 2 with a backward that returns a given (wrong) gradient,
    so that dlpath.engine.gradcheck measures the same error the learner's function does."""

    def forward(self, v, p, analytic):
        self.analytic = analytic
        return np.asarray(np.sum(p * v) + 0.5 * np.sum(v * v))

    def backward(self, grad):
        return grad * self.analytic


def _quadratic(shape, p):
    """f(v) = sum(p v) + sum(v^2) / 2, whose gradient is p + v."""

    def f(v):
        if np.shape(v) != shape:
            raise ValueError(f"f expects an array of shape {shape}, got {np.shape(v)}")
        v = np.asarray(v, dtype=np.float64)
        return float(np.sum(p * v) + 0.5 * np.sum(v * v))

    return f


def _wrong_gradient_case(rng, large):
    """x, p and a wrong analytic gradient of f(v) = sum(p v) + sum(v^2) / 2. With ``large``,
    the worst error sits on an element whose gradient is far above 1, where the
    denominator max(1, |n|) counts; without, every |n| is below 1."""
    shape = (int(rng.integers(3, 6)), int(rng.integers(2, 4)))
    x = rng.normal(0, 1, size=shape)
    if large:
        numeric = rng.uniform(0.05, 0.5, size=shape) * rng.choice([-1, 1], size=shape)
        numeric.flat[0] = rng.uniform(4, 8)
        offset = rng.uniform(-0.1, 0.1, size=shape)
        offset.flat[0] = rng.uniform(1.5, 2.5)
    else:
        numeric = rng.uniform(-0.9, 0.9, size=shape)
        offset = rng.uniform(-0.3, 0.3, size=shape)
    return x, numeric - x, numeric + offset


@check("gradient-check")
def gradient_check(learner, rng):
    # A right gradient (dlpath's autograd): the error is round-off only.
    shape = _random_shape(rng)
    x, w = rng.normal(0, 1.5, size=shape), rng.normal(0, 1, size=shape)
    case = Case(learner.gradient_check, f"a right gradient, x of shape {shape}")
    error = case.call(_coupled_function(shape, w), lambda v: _engine_gradient(v, w), x)
    error = _as_float(case, error)
    if not error < 1e-6:
        case.fail("right_gradient_rejected", error=error)
    # Wrong gradients: the value must be what dlpath.engine.gradcheck measures.
    for large in (True, False):
        x, p, analytic = _wrong_gradient_case(rng, large)
        expected = gradcheck(lambda v: _FixedGradient.apply(v, p=p, analytic=analytic), x,
                             raise_on_failure=False)
        case = Case(learner.gradient_check, f"a wrong gradient, x of shape {x.shape}")
        error = _as_float(case, case.call(_quadratic(x.shape, p), lambda v: analytic.copy(), x))
        numeric = p + x
        difference = np.abs(analytic - numeric)
        mistakes = {
            "no_denominator": difference.max(),
            "pure_relative": (difference / np.abs(numeric)).max(),
            "mean_not_max": (difference / np.maximum(1.0, np.abs(numeric))).mean(),
            "sum_not_max": (difference / np.maximum(1.0, np.abs(numeric))).sum(),
            "analytic_denominator": (difference / np.maximum(1.0, np.abs(analytic))).max(),
        }
        case.expect_close("the error", error, expected, rtol=1e-6, atol=1e-8,
                          mistakes=mistakes)


def _as_float(case, value):
    if isinstance(value, np.ndarray) and value.size != 1:
        case.fail("error_not_scalar", shape=value.shape)
    try:
        return float(value)
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the error", expected="a float", type=type(value).__name__)


def _engine_chain_rule(A, x):
    v = Tensor(x, requires_grad=True, dtype="float64")
    activations.tanh(ops.matmul(Tensor(A, dtype="float64"), v)).sum().backward()
    return v.grad


@check("chain-rule")
def chain_rule(learner, rng):
    n = int(rng.integers(2, 6))
    for m in (n, n + int(rng.integers(1, 4))):  # square first: a missing transpose still runs
        A = rng.normal(0, 1, size=(m, n))
        x = rng.normal(0, 1, size=n)
        case = Case(learner.chain_rule_gradient, f"A {A.shape}, x {x.shape}")
        grad = case.call(A, x)
        y = np.tanh(A @ x)
        mistakes = {"forgot_tanh_derivative": A.T @ np.ones(m), "tanh_not_derivative": A.T @ y}
        if m == n:
            mistakes["missing_transpose"] = A @ (1 - y ** 2)
        expected = _engine_chain_rule(A, x)
        case.expect_close("dL/dx", grad, expected, rtol=1e-7, atol=1e-10, mistakes=mistakes)
        numeric = numerical_gradient(lambda v: float(np.sum(np.tanh(A @ v))), x)
        grad = np.asarray(grad, dtype=np.float64)
        if not np.allclose(grad, numeric, rtol=1e-5, atol=1e-7):
            wrong = ~np.isclose(grad, numeric, rtol=1e-5, atol=1e-7)
            at = int(wrong.argmax())
            case.fail("gradient_mismatch", name="dL/dx", index=f"[{at}]",
                      actual=float(grad[at]), expected=float(numeric[at]))
