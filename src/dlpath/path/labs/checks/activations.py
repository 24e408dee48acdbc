"""Checks of the activations lab: values against dlpath's engine, derivatives against finite
differences, dtypes, and stability at +-1000."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import activations as engine
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad"]
PAIRS = [("sigmoid", "sigmoid_grad"), ("tanh", "tanh_grad"), ("relu", "relu_grad")]


def _random_input(rng, dtype=np.float64):
    shape = tuple(rng.integers(1, 6, size=rng.integers(1, 4)))
    x = rng.normal(0, 3, size=shape).astype(dtype)
    x[np.abs(x) < 1e-3] = 0.5  # keep finite differences away from relu's kink
    return x


def _engine(name, x):
    return getattr(engine, name)(Tensor(x, dtype=x.dtype)).data


@check("values")
def values(learner, rng):
    for name, _ in PAIRS:
        x = _random_input(rng)
        case = Case(getattr(learner, name), f"x of shape {x.shape}, float64")
        case.expect_close(name, case.call(x), _engine(name, x), rtol=1e-7, atol=1e-10)


@check("derivatives")
def derivatives(learner, rng):
    for name, grad_name in PAIRS:
        x = _random_input(rng)
        function = getattr(learner, name)
        expected = numerical_gradient(lambda v: float(np.sum(_engine(name, v))), x)
        expected = expected.reshape(x.shape)
        case = Case(getattr(learner, grad_name), f"x of shape {x.shape}, float64")
        mistakes = {}
        if name == "sigmoid":
            mistakes["sigmoid_grad_not_derivative"] = _engine("sigmoid", x)
        if name == "tanh":
            t = np.tanh(x)
            mistakes["tanh_grad_sign"] = t * t - 1
        case.expect_close(grad_name, case.call(x), expected, rtol=1e-5, atol=1e-7,
                          mistakes=mistakes)
        del function
    zero = np.array([0.0, -2.0, 3.0])
    case = Case(learner.relu_grad, "x = [0, -2, 3]")
    result = case.expect_array("relu_grad", case.call(zero))
    if result.shape == (3,) and result[0] != 0:
        case.fail("relu_grad_at_zero")
    case.expect_close("relu_grad", result, [0.0, 0.0, 1.0])


@check("dtype")
def dtypes(learner, rng):
    for name in FUNCTIONS:
        x = _random_input(rng, np.float32)
        case = Case(getattr(learner, name), f"x of shape {x.shape}, float32")
        case.expect_dtype(name, case.call(x), np.float32)


@check("large-inputs")
def large_inputs(learner, rng):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    for name in ("sigmoid", "tanh", "relu"):
        case = Case(getattr(learner, name), "x = [-1000, -50, 0, 50, 1000]")
        with np.errstate(all="ignore"):
            result = case.expect_array(name, case.call(x))
        if name == "sigmoid" and result.shape == x.shape and not np.isfinite(result).all():
            bad = ~np.isfinite(result)
            case.fail("sigmoid_overflow", what="nan" if np.isnan(result[bad]).any() else "inf",
                      index=int(bad.argmax()))
        case.expect_close(name, result, _engine(name, x), rtol=1e-7, atol=1e-12)
