"""Checks of the nesterov lab: single updates from random states and runs of several updates
(with a changing learning rate) against dlpath's SGD(momentum=..., nesterov=True), Keras'
defaults, and float32."""

import numpy as np

from dlpath.path.labs.checks._optimizers import dlpath_sgd, expect_pair, random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["nesterov_step"]


@check("one-update")
def one_update(learner, rng):
    for first in (False, True, False):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        v = np.zeros(shape) if first else rng.standard_normal(shape)
        lr, mu = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.5, 0.95))
        what = "zero velocity" if first else "random velocity"
        case = Case(learner.nesterov_step,
                    f"{what}, shape {shape}, learning_rate={lr:.3g}, momentum={mu:.3g}")
        w_new, v_new = expect_pair(case, case.call(w, g, v, learning_rate=lr, momentum=mu))
        (w_ref, v_ref), = dlpath_sgd(w, [g], v, [lr], mu, nesterov=True)
        case.expect_close("velocity_new", v_new, v_ref, rtol=1e-10, atol=1e-12, mistakes={
            "pytorch_buffer": mu * v + g,
            "velocity_is_step": mu * v_ref - lr * g,
            "velocity_sign": mu * v + lr * g,
            "forgot_learning_rate": mu * v - g,
        })
        case.expect_close("w_new", w_new, w_ref, rtol=1e-10, atol=1e-12, mistakes={
            "plain_momentum": w + v_ref,
            "no_gradient_term": w + mu * v_ref,
            "double_momentum": w + mu * mu * v_ref - lr * g,
            "subtracted_step": w - mu * v_ref + lr * g,
            "plain_sgd": w - lr * g,
        })


@check("several-updates")
def several_updates(learner, rng):
    shape = random_shape(rng)
    steps = int(rng.integers(4, 9))
    w = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) for _ in range(steps)]
    rates = [float(r) for r in rng.uniform(0.02, 0.3, size=steps)]
    mu = float(rng.uniform(0.6, 0.99))
    reference = dlpath_sgd(w, grads, np.zeros(shape), rates, mu, nesterov=True)
    v = np.zeros(shape)
    for step, (g, lr) in enumerate(zip(grads, rates)):
        case = Case(learner.nesterov_step,
                    f"update {step + 1} of {steps}, the learning rate changing every update, "
                    f"momentum={mu:.3g}")
        w, v = expect_pair(case, case.call(w, g, v, learning_rate=lr, momentum=mu))
        case.expect_close("velocity_new", v, reference[step][1], rtol=1e-9, atol=1e-12)
        case.expect_close("w_new", w, reference[step][0], rtol=1e-9, atol=1e-12)


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g, v = (rng.standard_normal(shape) for _ in range(3))
    case = Case(learner.nesterov_step, f"nesterov_step(w, g, velocity), shape {shape}")
    w_new, v_new = expect_pair(case, case.call(w, g, v))
    (w_ref, v_ref), = dlpath_sgd(w, [g], v, None, nesterov=True)
    if not (np.shape(w_new) == shape and np.allclose(w_new, w_ref, rtol=1e-10, atol=1e-12)
            and np.shape(v_new) == shape and np.allclose(v_new, v_ref, rtol=1e-10,
                                                         atol=1e-12)):
        case.fail("defaults")


@check("no-momentum")
def no_momentum(learner, rng):
    shape = random_shape(rng)
    w, g, v = (rng.standard_normal(shape) for _ in range(3))
    case = Case(learner.nesterov_step, f"momentum=0.0, random velocity, shape {shape}")
    w_new, v_new = expect_pair(case, case.call(w, g, v, learning_rate=0.1, momentum=0.0))
    case.expect_close("w_new", w_new, w - 0.1 * g, rtol=1e-10, atol=1e-12)
    case.expect_close("velocity_new", v_new, -0.1 * g, rtol=1e-10, atol=1e-12)


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g, v = (rng.standard_normal(shape).astype(np.float32) for _ in range(3))
    case = Case(learner.nesterov_step, f"shape {shape}, float32")
    w_new, v_new = expect_pair(case, case.call(w, g, v, learning_rate=0.1, momentum=0.9))
    case.expect_dtype("w_new", w_new, np.float32)
    case.expect_dtype("velocity_new", v_new, np.float32)
    (w_ref, v_ref), = dlpath_sgd(w, [g], v, [0.1], 0.9, nesterov=True)
    case.expect_close("w_new", w_new, w_ref, rtol=1e-5, atol=1e-6)
