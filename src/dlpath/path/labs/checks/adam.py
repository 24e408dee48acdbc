"""Checks of the adam lab: the first update and updates from random states at random steps,
epsilon's place (added to sqrt(v), after Keras' folded bias correction), several updates
with a changing learning rate, a late step, Keras' defaults and float32, against dlpath's
Adam."""

import math

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import Adam
from dlpath.path.labs.checks._optimizers import random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["adam_step"]


def dlpath_adam(w, grads, m, v, t, rates=None, **hyper):
    """dlpath's Adam from (w, m, v) with t - 1 updates done: (w, m, v) after each update."""
    variable = Tensor(w.copy(), dtype=w.dtype)
    if rates is not None:
        hyper["learning_rate"] = rates[0]
    optimizer = Adam(**hyper)
    optimizer.build([variable])
    state = optimizer.get_state()
    state["iterations"] = np.asarray(t - 1, dtype=np.int64)
    state["adam/m/0"], state["adam/v/0"] = m, v
    optimizer.set_state(state)
    out = []
    for step, g in enumerate(grads):
        if rates is not None:
            optimizer.learning_rate = rates[step]
        optimizer.apply([g], [variable])
        state = optimizer.get_state()
        out.append((variable.data.copy(), state["adam/m/0"], state["adam/v/0"]))
    return out


def _triple(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        case.fail("not_a_triple", type=type(result).__name__)
    return result


def _variants(w, m_new, v_new, t, lr, b1, b2, eps):
    """What the typical mistakes give for w_new."""
    def keras(step, m_=m_new, v_=v_new):
        alpha = lr * math.sqrt(1 - b2**step) / (1 - b1**step)
        return w - alpha * m_ / (np.sqrt(v_) + eps)

    m_hat, v_hat = m_new / (1 - b1**t), v_new / (1 - b2**t)
    out = {"no_bias_correction": w - lr * m_new / (np.sqrt(v_new) + eps),
           "pytorch_epsilon": w - lr * m_hat / (np.sqrt(v_hat) + eps),
           "epsilon_inside": w - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m_new
           / np.sqrt(v_new + eps),
           "only_m_corrected": w - lr * m_hat / (np.sqrt(v_new) + eps),
           "only_v_corrected": w - lr * m_new / (np.sqrt(v_hat) + eps),
           "step_plus_one": keras(t + 1)}
    if t > 1:
        out["step_minus_one"] = keras(t - 1)
    out["gradient_ascent"] = 2 * w - keras(t)
    return out


def _one(learner, w, g, m, v, t, lr, b1, b2, eps, what, stale=True):
    case = Case(learner.adam_step, f"{what}, t={t}, shape {w.shape}, learning_rate={lr:.3g}, "
                                   f"beta_1={b1:.3g}, beta_2={b2:.4g}, epsilon={eps:.3g}")
    w_new, m_new, v_new = _triple(case, case.call(w, g, m, v, t, learning_rate=lr,
                                                  beta_1=b1, beta_2=b2, epsilon=eps))
    (w_ref, m_ref, v_ref), = dlpath_adam(w, [g], m, v, t, learning_rate=lr, beta_1=b1,
                                         beta_2=b2, epsilon=eps)
    case.expect_close("m_new", m_new, m_ref, rtol=1e-9, atol=1e-15, mistakes={
        "m_sum": b1 * m + g, "m_beta_swapped": (1 - b1) * m + b1 * g,
        "m_beta_2": b2 * m + (1 - b2) * g})
    case.expect_close("v_new", v_new, v_ref, rtol=1e-9, atol=1e-18, mistakes={
        "v_not_squared": b2 * v + (1 - b2) * g, "v_beta_swapped": (1 - b2) * v + b2 * g * g,
        "v_beta_1": b1 * v + (1 - b1) * g * g})
    mistakes = _variants(w, m_ref, v_ref, t, lr, b1, b2, eps)
    if stale:
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        mistakes["stale_moments"] = w - alpha * m / (np.sqrt(v) + eps)
    case.expect_close("w_new", w_new, w_ref, rtol=1e-9, atol=1e-13, mistakes=mistakes)
    case.expect_close("the step w_new - w", w_new - w, w_ref - w, rtol=1e-7, atol=1e-16,
                      mistakes={k: value - w for k, value in mistakes.items()})


@check("first-update")
def first_update(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape)
    zeros = np.zeros(shape)
    _one(learner, w, g, zeros, zeros, 1, float(rng.uniform(0.001, 0.1)), 0.9, 0.999, 1e-7,
         "zero moments (the first update)", stale=False)


@check("random-states")
def random_states(learner, rng):
    for _ in range(2):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        m, v = rng.standard_normal(shape) * 0.3, rng.uniform(0.01, 1.0, shape)
        _one(learner, w, g, m, v, int(rng.integers(2, 40)), float(rng.uniform(0.001, 0.1)),
             float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.99, 0.9999)), 1e-7,
             "random moments")


@check("epsilon")
def epsilon(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape)
    m, v = rng.standard_normal(shape) * 0.1, rng.uniform(0, 0.05, shape)
    _one(learner, w, g, m, v, int(rng.integers(2, 10)), 0.01, 0.9, 0.999,
         float(rng.uniform(0.05, 0.3)), "a large epsilon")
    g = rng.standard_normal(shape) * 1e-6
    zeros = np.zeros(shape)
    _one(learner, w, g, zeros, zeros, 1, 0.001, 0.9, 0.999, 1e-7,
         "gradients of about 1e-6 at the first update", stale=False)


@check("several-updates")
def several_updates(learner, rng):
    shape = random_shape(rng)
    steps = int(rng.integers(4, 9))
    w = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) * rng.uniform(0.1, 3) for _ in range(steps)]
    rates = [float(r) for r in rng.uniform(0.001, 0.05, size=steps)]
    zeros = np.zeros(shape)
    reference = dlpath_adam(w, grads, zeros, zeros, 1, rates)
    m, v = zeros, zeros
    for step, (g, lr) in enumerate(zip(grads, rates)):
        t = step + 1
        case = Case(learner.adam_step, f"update t={t} of {steps} from zero moments, the "
                                       f"learning rate changing every update")
        w_old = w
        w, m, v = _triple(case, case.call(w, g, m, v, t, learning_rate=lr))
        ref_w, ref_m, ref_v = reference[step]
        case.expect_close("m_new", m, ref_m, rtol=1e-9, atol=1e-15)
        case.expect_close("v_new", v, ref_v, rtol=1e-9, atol=1e-18)
        case.expect_close("w_new", w, ref_w, rtol=1e-9, atol=1e-13)
        case.expect_close("the step w_new - w", w - w_old, ref_w - w_old, rtol=1e-6,
                          atol=1e-15)


@check("late-step")
def late_step(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape)
    m, v = rng.standard_normal(shape) * 0.3, rng.uniform(0.01, 1.0, shape)
    _one(learner, w, g, m, v, int(rng.integers(2000, 20000)), 0.01, 0.9, 0.999, 1e-7,
         "a late step, where the bias corrections are close to 1")


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape) * 1e-6
    zeros = np.zeros(shape)
    case = Case(learner.adam_step, f"adam_step(w, g, m, v, t=1), gradients of about 1e-6, "
                                   f"shape {shape}")
    result = _triple(case, case.call(w, g, zeros, zeros, 1))
    reference, = dlpath_adam(w, [g], zeros, zeros, 1)
    for mine, theirs in zip(result, reference):
        if not (np.shape(mine) == shape and np.allclose(mine, theirs, rtol=1e-9, atol=1e-20)):
            case.fail("defaults")
    if not np.allclose(result[0] - w, reference[0] - w, rtol=1e-6, atol=1e-16):
        case.fail("defaults")


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g, m = (rng.standard_normal(shape).astype(np.float32) for _ in range(3))
    v = rng.uniform(0.1, 1, shape).astype(np.float32)
    case = Case(learner.adam_step, f"shape {shape}, t=3, float32")
    result = _triple(case, case.call(w, g, m, v, 3, learning_rate=0.01))
    for name, array in zip(("w_new", "m_new", "v_new"), result):
        case.expect_dtype(name, array, np.float32)
    (w_ref, _, _), = dlpath_adam(w, [g], m, v, 3, learning_rate=0.01)
    case.expect_close("w_new", result[0], w_ref, rtol=1e-5, atol=1e-6)
