"""Checks of the rmsprop lab: single updates from zero and random states, epsilon's place
(inside the square root), several updates with a changing learning rate, Keras' defaults
and float32, all against dlpath's RMSprop."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import RMSprop
from dlpath.path.labs.checks._optimizers import expect_pair, random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["rmsprop_step"]
SLOT = "rmsprop/velocity/0"


def dlpath_rmsprop(w, grads, velocity, rates=None, **hyper):
    """dlpath's RMSprop from (w, velocity): (w, velocity) after each update."""
    variable = Tensor(w.copy(), dtype=w.dtype)
    if rates is not None:
        hyper["learning_rate"] = rates[0]
    optimizer = RMSprop(**hyper)
    optimizer.build([variable])
    state = optimizer.get_state()
    state[SLOT] = velocity
    optimizer.set_state(state)
    out = []
    for step, g in enumerate(grads):
        if rates is not None:
            optimizer.learning_rate = rates[step]
        optimizer.apply([g], [variable])
        out.append((variable.data.copy(), optimizer.get_state()[SLOT]))
    return out


def _one(learner, w, g, v, lr, rho, eps, what):
    case = Case(learner.rmsprop_step, f"{what}, shape {w.shape}, learning_rate={lr:.3g}, "
                                      f"rho={rho:.3g}, epsilon={eps:.3g}")
    w_new, v_new = expect_pair(case, case.call(w, g, v, learning_rate=lr, rho=rho, epsilon=eps))
    (w_ref, v_ref), = dlpath_rmsprop(w, [g], v, learning_rate=lr, rho=rho, epsilon=eps)
    case.expect_close("velocity_new", v_new, v_ref, rtol=1e-9, atol=1e-14, mistakes={
        "velocity_not_squared": rho * v + (1 - rho) * g,
        "rho_swapped": (1 - rho) * v + rho * g * g,
        "velocity_sum": rho * v + g * g,
        "velocity_abs": rho * v + (1 - rho) * np.abs(g),
    })
    case.expect_close("w_new", w_new, w_ref, rtol=1e-8, atol=1e-12, mistakes={
        "epsilon_outside": w - lr * g / (np.sqrt(v_ref) + eps),
        "stale_velocity": w - lr * g / np.sqrt(v + eps),
        "no_sqrt": w - lr * g / (v_ref + eps),
        "gradient_ascent": w + lr * g / np.sqrt(v_ref + eps),
        "squared_gradient_in_step": w - lr * g * g / np.sqrt(v_ref + eps),
    })
    case.expect_close("the step w_new - w", w_new - w, w_ref - w, rtol=1e-7, atol=1e-15)


@check("one-update")
def one_update(learner, rng):
    for what in ("random velocity", "zero velocity"):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        v = rng.uniform(0.1, 2.0, shape) if what == "random velocity" else np.zeros(shape)
        _one(learner, w, g, v, float(rng.uniform(0.001, 0.1)), float(rng.uniform(0.5, 0.95)),
             1e-7, what)


@check("epsilon")
def epsilon(learner, rng):
    shape = random_shape(rng)
    w, g, v = rng.standard_normal(shape), rng.standard_normal(shape), rng.uniform(0, 1, shape)
    _one(learner, w, g, v, 0.01, 0.9, float(rng.uniform(0.05, 0.5)), "a large epsilon")
    g = rng.standard_normal(shape) * 1e-4
    _one(learner, w, g, np.zeros(shape), 0.01, 0.9, 1e-7,
         "gradients of about 1e-4 from zero velocity")


@check("several-updates")
def several_updates(learner, rng):
    shape = random_shape(rng)
    steps = int(rng.integers(4, 9))
    w = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) * rng.uniform(0.1, 3) for _ in range(steps)]
    rates = [float(r) for r in rng.uniform(0.001, 0.05, size=steps)]
    rho = float(rng.uniform(0.7, 0.99))
    reference = dlpath_rmsprop(w, grads, np.zeros(shape), rates, rho=rho)
    v = np.zeros(shape)
    for step, (g, lr) in enumerate(zip(grads, rates)):
        case = Case(learner.rmsprop_step, f"update {step + 1} of {steps}, the learning rate "
                                          f"changing every update, rho={rho:.3g}")
        w, v = expect_pair(case, case.call(w, g, v, learning_rate=lr, rho=rho))
        case.expect_close("velocity_new", v, reference[step][1], rtol=1e-9, atol=1e-14)
        case.expect_close("w_new", w, reference[step][0], rtol=1e-8, atol=1e-12)


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape) * 1e-3
    v = np.zeros(shape)
    case = Case(learner.rmsprop_step, f"rmsprop_step(w, g, velocity), shape {shape}")
    w_new, v_new = expect_pair(case, case.call(w, g, v))
    (w_ref, v_ref), = dlpath_rmsprop(w, [g], v)
    if not (np.shape(w_new) == shape and np.allclose(w_new, w_ref, rtol=1e-9, atol=1e-12)
            and np.shape(v_new) == shape and np.allclose(v_new, v_ref, rtol=1e-9,
                                                         atol=1e-14)):
        case.fail("defaults")


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    v = rng.uniform(0, 1, shape).astype(np.float32)
    case = Case(learner.rmsprop_step, f"shape {shape}, float32")
    w_new, v_new = expect_pair(case, case.call(w, g, v, learning_rate=0.01))
    case.expect_dtype("w_new", w_new, np.float32)
    case.expect_dtype("velocity_new", v_new, np.float32)
    (w_ref, v_ref), = dlpath_rmsprop(w, [g], v, learning_rate=0.01)
    case.expect_close("w_new", w_new, w_ref, rtol=1e-5, atol=1e-6)
