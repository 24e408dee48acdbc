"""Checks of the mse-loss lab: MSE and MAE and their gradients against dlpath.engine.losses
and finite differences, on 1-D and 2-D targets, batch 1, exact hits and float32."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import losses
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["mse", "mse_grad", "mae", "mae_grad"]
ENGINE = {"mse": losses.mean_squared_error, "mae": losses.mean_absolute_error}


def _engine(name, y_true, y_pred):
    """The loss (mean over every element) and its gradient by dlpath's engine."""
    p = Tensor(y_pred, requires_grad=True, dtype=y_pred.dtype)
    loss = ENGINE[name](Tensor(y_true, dtype=y_pred.dtype), p).mean()
    loss.backward()
    return float(loss.data), p.grad


def _shapes(rng):
    n, d = int(rng.integers(6, 12)), int(rng.integers(2, 5))
    return [(n,), (n, d), (1, d), (1,)]


def _targets(rng, shape, dtype=np.float64):
    y_true = rng.normal(0, 2, size=shape).astype(dtype)
    y_pred = (y_true + rng.normal(0, 1.5, size=shape)).astype(dtype)
    if y_pred.size > 2:
        y_pred.flat[1] = y_true.flat[1]  # one exact hit: |e| has no slope there, sign(0) = 0
    return y_true, y_pred


def _as_float(case, value):
    if isinstance(value, np.ndarray) and value.size != 1:
        case.fail("loss_not_scalar", shape=value.shape)
    try:
        return float(value)
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the loss", expected="a float", type=type(value).__name__)


def _loss_mistakes(name, y_true, y_pred):
    e = (y_pred - y_true).astype(np.float64)
    per = e ** 2 if name == "mse" else np.abs(e)
    mistakes = {"loss_summed": per.sum()}
    if e.ndim == 2 and e.shape[1] > 1:
        mistakes["loss_mean_over_batch_only"] = per.sum() / e.shape[0]
    if name == "mse":
        mistakes["rmse"] = np.sqrt(per.mean())
        mistakes["half_mse"] = per.mean() / 2
    return mistakes


def _grad_mistakes(name, y_true, y_pred):
    e = (y_pred - y_true).astype(np.float64)
    slope = 2 * e if name == "mse" else np.sign(e)
    mistakes = {"grad_wrt_y_true": -slope / e.size, "grad_not_divided": slope}
    if e.ndim == 2 and e.shape[1] > 1:
        mistakes["grad_divided_by_batch_only"] = slope / e.shape[0]
    if name == "mse":
        mistakes["missing_factor_2"] = e / e.size
    else:
        mistakes["mae_grad_at_zero"] = np.where(e >= 0, 1.0, -1.0) / e.size
        mistakes["mae_grad_not_sign"] = e / e.size
    return mistakes


def _check_loss(learner, rng, name):
    for shape in _shapes(rng):
        y_true, y_pred = _targets(rng, shape)
        case = Case(getattr(learner, name), f"y_true, y_pred of shape {shape}")
        loss = _as_float(case, case.call(y_true, y_pred))
        case.expect_close(f"{name}", loss, _engine(name, y_true, y_pred)[0], rtol=1e-7,
                          atol=1e-12, mistakes=_loss_mistakes(name, y_true, y_pred))


def _check_grad(learner, rng, name):
    for shape in _shapes(rng):
        y_true, y_pred = _targets(rng, shape)
        case = Case(getattr(learner, f"{name}_grad"), f"y_true, y_pred of shape {shape}")
        grad = case.call(y_true, y_pred)
        case.expect_close(f"d{name}/dy_pred", grad, _engine(name, y_true, y_pred)[1],
                          rtol=1e-7, atol=1e-12, mistakes=_grad_mistakes(name, y_true, y_pred))
        numeric = numerical_gradient(lambda p: _engine(name, y_true, p)[0], y_pred)
        if name == "mae":
            numeric[y_pred == y_true] = 0.0  # the kink: sign(0) = 0, as dlpath's abs has it
        case.expect_close(f"d{name}/dy_pred", grad, numeric, rtol=1e-5, atol=1e-8)


@check("mse")
def mse(learner, rng):
    _check_loss(learner, rng, "mse")


@check("mse-gradient")
def mse_gradient(learner, rng):
    _check_grad(learner, rng, "mse")


@check("mae")
def mae(learner, rng):
    _check_loss(learner, rng, "mae")


@check("mae-gradient")
def mae_gradient(learner, rng):
    _check_grad(learner, rng, "mae")


@check("dtype")
def dtype(learner, rng):
    y_true, y_pred = _targets(rng, (int(rng.integers(2, 6)), 3), np.float32)
    for name in ("mse", "mae"):
        case = Case(getattr(learner, f"{name}_grad"), "y_true, y_pred float32")
        grad = case.call(y_true, y_pred)
        case.expect_dtype(f"d{name}/dy_pred", grad, np.float32)
        case.expect_close(f"d{name}/dy_pred", grad, _engine(name, y_true, y_pred)[1],
                          rtol=1e-5, atol=1e-7)
        case = Case(getattr(learner, name), "y_true, y_pred float32")
        loss = _as_float(case, case.call(y_true, y_pred))
        case.expect_close(name, loss, _engine(name, y_true, y_pred)[0], rtol=1e-5, atol=1e-7)
