"""Checks of the adagrad lab: the starting accumulator (Keras' 0.1), single updates from the
start and from random states, epsilon's place (inside the square root), several updates
with a changing learning rate, Keras' defaults and float32, against dlpath's Adagrad."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import Adagrad
from dlpath.path.labs.checks._optimizers import expect_pair, random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["adagrad_init", "adagrad_step"]
SLOT = "adagrad/accumulator/0"


def _optimizer(w, **hyper):
    variable = Tensor(w.copy(), dtype=w.dtype)
    optimizer = Adagrad(**hyper)
    optimizer.build([variable])
    return optimizer, variable


def dlpath_adagrad(w, grads, accumulator, rates=None, **hyper):
    """dlpath's Adagrad from (w, accumulator): (w, accumulator) after each update."""
    if rates is not None:
        hyper["learning_rate"] = rates[0]
    optimizer, variable = _optimizer(w, **hyper)
    state = optimizer.get_state()
    state[SLOT] = accumulator
    optimizer.set_state(state)
    out = []
    for step, g in enumerate(grads):
        if rates is not None:
            optimizer.learning_rate = rates[step]
        optimizer.apply([g], [variable])
        out.append((variable.data.copy(), optimizer.get_state()[SLOT]))
    return out


@check("init")
def init(learner, rng):
    for dtype in (np.float64, np.float32):
        shape = random_shape(rng)
        w = rng.standard_normal(shape).astype(dtype)
        case = Case(learner.adagrad_init, f"adagrad_init(w), w of shape {shape}, "
                                          f"{np.dtype(dtype).name}")
        a0 = case.call(w)
        expected = _optimizer(w)[0].get_state()[SLOT]
        case.expect_close("accumulator", a0, expected, rtol=1e-7, atol=0, mistakes={
            "init_zero": np.zeros(shape), "init_one": np.ones(shape),
            "init_from_w": np.full(shape, 0.1) * w})
        case.expect_dtype("accumulator", a0, dtype)
    value = float(rng.uniform(0.2, 2.0))
    case = Case(learner.adagrad_init, f"initial_accumulator_value={value:.3g}")
    expected = _optimizer(w, initial_accumulator_value=value)[0].get_state()[SLOT]
    case.expect_close("accumulator", case.call(w, initial_accumulator_value=value), expected,
                      rtol=1e-7, atol=0)


def _one(learner, w, g, a, lr, eps, what):
    case = Case(learner.adagrad_step,
                f"{what}, shape {w.shape}, learning_rate={lr:.3g}, epsilon={eps:.3g}")
    w_new, a_new = expect_pair(case, case.call(w, g, a, learning_rate=lr, epsilon=eps))
    (w_ref, a_ref), = dlpath_adagrad(w, [g], a, learning_rate=lr, epsilon=eps)
    case.expect_close("accumulator_new", a_new, a_ref, rtol=1e-9, atol=1e-14, mistakes={
        "accumulator_not_squared": a + g,
        "accumulator_abs": a + np.abs(g),
        "accumulator_decays": 0.9 * a + 0.1 * g * g,
        "accumulator_replaced": g * g,
    })
    case.expect_close("w_new", w_new, w_ref, rtol=1e-8, atol=1e-12, mistakes={
        "epsilon_outside": w - lr * g / (np.sqrt(a_ref) + eps),
        "stale_accumulator": w - lr * g / np.sqrt(a + eps),
        "no_sqrt": w - lr * g / (a_ref + eps),
        "gradient_ascent": w + lr * g / np.sqrt(a_ref + eps),
    })
    case.expect_close("the step w_new - w", w_new - w, w_ref - w, rtol=1e-7, atol=1e-15)


@check("one-update")
def one_update(learner, rng):
    for what in ("random accumulator", "Keras' starting accumulator 0.1"):
        shape = random_shape(rng)
        w, g = rng.standard_normal(shape), rng.standard_normal(shape)
        a = rng.uniform(0.1, 3.0, shape) if what == "random accumulator" \
            else np.full(shape, 0.1)
        _one(learner, w, g, a, float(rng.uniform(0.001, 0.5)), 1e-7, what)


@check("epsilon")
def epsilon(learner, rng):
    shape = random_shape(rng)
    w, g, a = rng.standard_normal(shape), rng.standard_normal(shape), rng.uniform(0, 1, shape)
    _one(learner, w, g, a, 0.01, float(rng.uniform(0.05, 0.5)), "a large epsilon")
    g = rng.standard_normal(shape) * 1e-4
    _one(learner, w, g, np.zeros(shape), 0.01, 1e-7,
         "gradients of about 1e-4 from a zero accumulator")


@check("several-updates")
def several_updates(learner, rng):
    shape = random_shape(rng)
    steps = int(rng.integers(4, 9))
    w = rng.standard_normal(shape)
    grads = [rng.standard_normal(shape) * rng.uniform(0.1, 3) for _ in range(steps)]
    rates = [float(r) for r in rng.uniform(0.01, 0.5, size=steps)]
    init_case = Case(learner.adagrad_init, f"w of shape {shape}")
    a = init_case.call(w)
    reference = dlpath_adagrad(w, grads, np.full(shape, 0.1), rates)
    for step, (g, lr) in enumerate(zip(grads, rates)):
        case = Case(learner.adagrad_step, f"update {step + 1} of {steps} from adagrad_init(w), "
                                          f"the learning rate changing every update")
        w, a = expect_pair(case, case.call(w, g, a, learning_rate=lr))
        case.expect_close("accumulator_new", a, reference[step][1], rtol=1e-9, atol=1e-14)
        case.expect_close("w_new", w, reference[step][0], rtol=1e-8, atol=1e-12)


@check("defaults")
def defaults(learner, rng):
    shape = random_shape(rng)
    w, g = rng.standard_normal(shape), rng.standard_normal(shape) * 1e-3
    a = np.zeros(shape)
    case = Case(learner.adagrad_step, f"adagrad_step(w, g, accumulator), shape {shape}")
    w_new, a_new = expect_pair(case, case.call(w, g, a))
    (w_ref, a_ref), = dlpath_adagrad(w, [g], a)
    if not (np.shape(w_new) == shape and np.allclose(w_new, w_ref, rtol=1e-9, atol=1e-12)
            and np.shape(a_new) == shape and np.allclose(a_new, a_ref, rtol=1e-9,
                                                         atol=1e-14)):
        case.fail("defaults")


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    w, g = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    a = rng.uniform(0.1, 1, shape).astype(np.float32)
    case = Case(learner.adagrad_step, f"shape {shape}, float32")
    w_new, a_new = expect_pair(case, case.call(w, g, a, learning_rate=0.01))
    case.expect_dtype("w_new", w_new, np.float32)
    case.expect_dtype("accumulator_new", a_new, np.float32)
    (w_ref, a_ref), = dlpath_adagrad(w, [g], a, learning_rate=0.01)
    case.expect_close("w_new", w_new, w_ref, rtol=1e-5, atol=1e-6)
