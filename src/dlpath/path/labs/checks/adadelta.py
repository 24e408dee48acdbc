"""Checks of the adadelta lab: single updates from zero and random states, epsilon in both
roots, several updates with a changing learning rate, Keras' defaults and float32, against
dlpath's Adadelta."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import Adadelta
from dlpath.path.labs.checks._optimizers import random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["adadelta_step"]
GRAD_SLOT, DELTA_SLOT = "adadelta/accumulated_grad/0", "adadelta/accumulated_delta_var/0"


def dlpath_adadelta(w, grads, eg2, edx2, rates=None, **hyper):
    """dlpath's Adadelta from (w, E_g2, E_dx2): (w, E_g2, E_dx2) after each update."""
    variable = Tensor(w.copy(), dtype=w.dtype)
    if rates is not None:
        hyper["learning_rate"] = rates[0]
    optimizer = Adadelta(**hyper)
    optimizer.build([variable])
    state = optimizer.get_state()
    state[GRAD_SLOT], state[DELTA_SLOT] = eg2, edx2
    optimizer.set_state(state)
    out = []
    for step, g in enumerate(grads):
        if rates is not None:
            optimizer.learning_rate = rates[step]
        optimizer.apply([g], [variable])
        state = optimizer.get_state()
        out.append((variable.data.copy(), state[GRAD_SLOT], state[DELTA_SLOT]))
    return out


def _triple(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        case.fail("not_a_triple", type=type(result).__name__)
    return result


def _one(learner, w, g, eg2, edx2, lr, rho, eps, what):
    case = Case(learner.adadelta_step, f"{what}, shape {w.shape}, learning_rate={lr:.3g}, "
                                       f"rho={rho:.3g}, epsilon={eps:.3g}")
    w_new, eg2_new, edx2_new = _triple(case, case.call(w, g, eg2, edx2, learning_rate=lr,
                                                       rho=rho, epsilon=eps))
    (w_ref, eg2_ref, edx2_ref), = dlpath_adadelta(w, [g], eg2, edx2, learning_rate=lr,
                                                  rho=rho, epsilon=eps)
    case.expect_close("accumulated_grad_new", eg2_new, eg2_ref, rtol=1e-9, atol=1e-14,
                      mistakes={"grad_average_not_squared": rho * eg2 + (1 - rho) * g,
                                "rho_swapped": (1 - rho) * eg2 + rho * g * g,
                                "grad_average_sum": rho * eg2 + g * g})
    delta = (w - w_ref) / lr
    case.expect_close("w_new", w_new, w_ref, rtol=1e-8, atol=1e-13, mistakes={
        "forgot_learning_rate": w - delta,
        "numerator_without_epsilon": w - lr * np.sqrt(edx2) / np.sqrt(eg2_ref + eps) * g,
        "ratio_inverted": w - lr * np.sqrt(eg2_ref + eps) / np.sqrt(edx2 + eps) * g,
        "epsilon_outside": w - lr * (np.sqrt(edx2) + eps) / (np.sqrt(eg2_ref) + eps) * g,
        "stale_grad_average": w - lr * np.sqrt(edx2 + eps) / np.sqrt(eg2 + eps) * g,
        "gradient_ascent": w + lr * delta,
    })
    case.expect_close("the step w_new - w", w_new - w, w_ref - w, rtol=1e-7, atol=1e-15)
    case.expect_close("accumulated_delta_new", edx2_new, edx2_ref, rtol=1e-9, atol=1e-16,
                      mistakes={"delta_average_scaled": rho * edx2 + (1 - rho) * (lr * delta) ** 2,
                                "delta_average_of_g": rho * edx2 + (1 - rho) * g * g,
                                "delta_average_not_updated": edx2,
                                "delta_rho_swapped": (1 - rho) * edx2 + rho * delta * delta})


@check("one-update")
def one_update(learner, rng):
    for what in ("random state", "zero state (the first update)"):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        if what == "random state":
            eg2, edx2 = rng.uniform(0.1, 2.0, shape), rng.uniform(0.01, 0.5, shape)
        else:
            eg2, edx2 = np.zeros(shape), np.zeros(shape)
        _one(learner, w, g, eg2, edx2, float(rng.uniform(0.1, 1.0)),
             float(rng.uniform(0.5, 0.95)), float(rng.choice([1e-7, 1e-6])), what)


@check("epsilon")
def epsilon(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape)
    eg2, edx2 = rng.uniform(0, 1, shape), rng.uniform(0, 0.1, shape)
    _one(learner, w, g, eg2, edx2, 0.5, 0.9, float(rng.uniform(0.05, 0.5)), "a large epsilon")


@check("several-updates")
def several_updates(learner, rng):
    shape = random_shape(rng)
    steps = int(rng.integers(4, 9))
    w = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) * rng.uniform(0.1, 3) for _ in range(steps)]
    rates = [float(r) for r in rng.uniform(0.2, 1.0, size=steps)]
    rho = float(rng.uniform(0.7, 0.99))
    zeros = np.zeros(shape)
    reference = dlpath_adadelta(w, grads, zeros, zeros, rates, rho=rho, epsilon=1e-6)
    eg2, edx2 = zeros, zeros
    for step, (g, lr) in enumerate(zip(grads, rates)):
        case = Case(learner.adadelta_step, f"update {step + 1} of {steps} from zero state, "
                                           f"the learning rate changing, rho={rho:.3g}")
        w, eg2, edx2 = _triple(case, case.call(w, g, eg2, edx2, learning_rate=lr, rho=rho,
                                               epsilon=1e-6))
        ref_w, ref_eg2, ref_edx2 = reference[step]
        case.expect_close("accumulated_grad_new", eg2, ref_eg2, rtol=1e-9, atol=1e-14)
        case.expect_close("w_new", w, ref_w, rtol=1e-8, atol=1e-13)
        case.expect_close("accumulated_delta_new", edx2, ref_edx2, rtol=1e-8, atol=1e-16)


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape) * 1e-3
    eg2, edx2 = rng.uniform(0, 1e-6, shape), rng.uniform(0, 1e-6, shape)
    case = Case(learner.adadelta_step,
                f"adadelta_step(w, g, accumulated_grad, accumulated_delta), shape {shape}")
    result = _triple(case, case.call(w, g, eg2, edx2))
    reference, = dlpath_adadelta(w, [g], eg2, edx2)
    for mine, theirs in zip(result, reference):
        if not (np.shape(mine) == shape and np.allclose(mine, theirs, rtol=1e-8, atol=0)):
            case.fail("defaults")


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    eg2, edx2 = (rng.uniform(0.1, 1, shape).astype(np.float32) for _ in range(2))
    case = Case(learner.adadelta_step, f"shape {shape}, float32")
    result = _triple(case, case.call(w, g, eg2, edx2, learning_rate=0.5))
    for name, array in zip(("w_new", "accumulated_grad_new", "accumulated_delta_new"), result):
        case.expect_dtype(name, array, np.float32)
    (w_ref, _, _), = dlpath_adadelta(w, [g], eg2, edx2, learning_rate=0.5)
    case.expect_close("w_new", result[0], w_ref, rtol=1e-5, atol=1e-6)
