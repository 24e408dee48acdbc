"""Checks of the l1-l2-penalty lab: the penalties, their gradients and the regularized loss
against dlpath.regularizers (Keras' convention, l2 * sum w^2) and finite differences."""

import numpy as np

from dlpath import regularizers
from dlpath.engine import Tensor
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["l1_penalty", "l1_penalty_grad", "l2_penalty", "l2_penalty_grad",
             "regularized_loss", "regularized_grads"]


def _engine(w, l1=0.0, l2=0.0):
    """dlpath.regularizers.L1L2(l1, l2) of w, and its gradient by autograd."""
    t = Tensor(w, requires_grad=True, dtype=w.dtype)
    penalty = regularizers.L1L2(l1=l1, l2=l2)(t)
    penalty.backward()
    grad = t.grad if t.grad is not None else np.zeros_like(w)
    return float(penalty.data), grad


def _weights(rng, shape=None, dtype=np.float64):
    shape = shape or tuple(int(n) for n in rng.integers(2, 6, size=rng.integers(1, 3)))
    w = rng.normal(0, 1, size=shape).astype(dtype)
    w[np.abs(w) < 1e-2] = 0.5  # keep finite differences off the kink of |w| ...
    w.flat[0] = 0.0            # ... but one exact 0, where sign(0) = 0
    return w


def _lam(rng):
    return float(rng.choice([1e-3, 1e-2, 0.1, 0.5]) * rng.uniform(1, 3))


def _as_float(case, value, name):
    if isinstance(value, np.ndarray) and value.size != 1:
        case.fail("penalty_not_scalar", shape=value.shape)
    try:
        return float(value)
    except (TypeError, ValueError):
        case.fail("wrong_type", name=name, expected="a float", type=type(value).__name__)


@check("l1-penalty")
def l1_penalty(learner, rng):
    for _ in range(2):
        w, lam = _weights(rng), _lam(rng)
        case = Case(learner.l1_penalty, f"w of shape {w.shape}, lam = {lam:.4g}")
        value = _as_float(case, case.call(w, lam), "the penalty")
        size = np.abs(w).sum()
        case.expect_close("the penalty", value, _engine(w, l1=lam)[0], rtol=1e-7, atol=1e-12,
                          mistakes={"penalty_mean": lam * size / w.size,
                                    "l1_without_abs": lam * w.sum()})


@check("l1-gradient")
def l1_gradient(learner, rng):
    for _ in range(2):
        w, lam = _weights(rng), _lam(rng)
        case = Case(learner.l1_penalty_grad, f"w of shape {w.shape} with a 0, lam = {lam:.4g}")
        grad = case.call(w, lam)
        with np.errstate(all="ignore"):
            mistakes = {"l1_grad_at_zero": lam * np.where(w >= 0, 1.0, -1.0),
                        "l1_grad_no_sign": lam * np.ones_like(w),
                        "l1_grad_is_w": lam * w}
        if isinstance(grad, np.ndarray) and grad.shape == w.shape and np.isnan(grad).any():
            case.fail("l1_grad_nan_at_zero")
        case.expect_close("the gradient", grad, _engine(w, l1=lam)[1], rtol=1e-7, atol=1e-12,
                          mistakes=mistakes)
        numeric = numerical_gradient(lambda v: _engine(v, l1=lam)[0], w)
        numeric[w == 0] = 0.0  # at the kink the convention sign(0) = 0 holds
        case.expect_close("the gradient", grad, numeric, rtol=1e-5, atol=1e-8)


@check("l2-penalty")
def l2_penalty(learner, rng):
    for _ in range(2):
        w, lam = _weights(rng), _lam(rng)
        case = Case(learner.l2_penalty, f"w of shape {w.shape}, lam = {lam:.4g}")
        value = _as_float(case, case.call(w, lam), "the penalty")
        squares = (w ** 2).sum()
        case.expect_close("the penalty", value, _engine(w, l2=lam)[0], rtol=1e-7, atol=1e-12,
                          mistakes={"l2_half": lam * squares / 2,
                                    "l2_norm_not_squared": lam * np.sqrt(squares),
                                    "penalty_mean": lam * squares / w.size})


@check("l2-gradient")
def l2_gradient(learner, rng):
    for _ in range(2):
        w, lam = _weights(rng), _lam(rng)
        case = Case(learner.l2_penalty_grad, f"w of shape {w.shape}, lam = {lam:.4g}")
        grad = case.call(w, lam)
        case.expect_close("the gradient", grad, _engine(w, l2=lam)[1], rtol=1e-7, atol=1e-12,
                          mistakes={"l2_grad_missing_2": lam * w,
                                    "l2_grad_squared": lam * w ** 2})
        numeric = numerical_gradient(lambda v: _engine(v, l2=lam)[0], w)
        case.expect_close("the gradient", grad, numeric, rtol=1e-5, atol=1e-8)


def _model(rng):
    """A data loss and the weights of a small model: two kernels of different shapes."""
    weights = [_weights(rng, (int(rng.integers(2, 5)), int(rng.integers(2, 5)))),
               _weights(rng, (int(rng.integers(2, 6)),))]
    return float(rng.uniform(0.1, 3.0)), weights


@check("regularized-loss")
def regularized_loss(learner, rng):
    data_loss, weights = _model(rng)
    for l1, l2 in ((_lam(rng), _lam(rng)), (0.0, _lam(rng)), (_lam(rng), 0.0)):
        case = Case(learner.regularized_loss, f"data loss {data_loss:.4g}, 2 weight arrays, "
                                              f"l1 = {l1:.4g}, l2 = {l2:.4g}")
        kwargs = {"l2": l2} if l1 == 0 else {"l1": l1} if l2 == 0 else {"l1": l1, "l2": l2}
        value = _as_float(case, case.call(data_loss, weights, **kwargs), "the total loss")
        penalties = [_engine(w, l1=l1, l2=l2)[0] for w in weights]
        expected = data_loss + sum(penalties)
        swapped = data_loss + sum(_engine(w, l1=l2, l2=l1)[0] for w in weights)
        without_l1 = data_loss + sum(_engine(w, l2=l2)[0] for w in weights)
        without_l2 = data_loss + sum(_engine(w, l1=l1)[0] for w in weights)
        case.expect_close("the total loss", value, expected, rtol=1e-7, atol=1e-12,
                          mistakes={"forgot_data_loss": sum(penalties),
                                    "forgot_l1_term": without_l1, "forgot_l2_term": without_l2,
                                    "only_first_weight": data_loss + penalties[0],
                                    "only_last_weight": data_loss + penalties[-1],
                                    "factors_swapped": swapped})


@check("regularized-gradients")
def regularized_gradients(learner, rng):
    data_loss, weights = _model(rng)
    data_grads = [rng.normal(0, 1, size=w.shape) for w in weights]
    l1, l2 = _lam(rng), _lam(rng)
    case = Case(learner.regularized_grads, f"2 weight arrays, l1 = {l1:.4g}, l2 = {l2:.4g}")
    grads = case.call(data_grads, weights, l1=l1, l2=l2)
    if not isinstance(grads, (list, tuple)) or len(grads) != len(weights):
        case.fail("not_a_list", count=len(weights), type=type(grads).__name__)
    for i, (grad, g, w) in enumerate(zip(grads, data_grads, weights)):
        penalty_grad = _engine(w, l1=l1, l2=l2)[1]
        case.expect_close(f"grads[{i}]", grad, g + penalty_grad, rtol=1e-7, atol=1e-12,
                          mistakes={"forgot_data_grad": penalty_grad,
                                    "forgot_penalty_grad": g,
                                    "forgot_l1_term": g + 2 * l2 * w,
                                    "forgot_l2_term": g + l1 * np.sign(w),
                                    "l2_grad_missing_2": g + l1 * np.sign(w) + l2 * w})


@check("dtype")
def dtype(learner, rng):
    w, lam = _weights(rng, dtype=np.float32), _lam(rng)
    for name in ("l1_penalty_grad", "l2_penalty_grad"):
        case = Case(getattr(learner, name), f"w float32, lam = {lam:.4g}")
        case.expect_dtype("the gradient", case.call(w, lam), np.float32)
