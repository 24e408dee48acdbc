"""Checks of the dropout lab: inference is the identity and training keeps x / (1 - rate) or
0 (both as dlpath's Dropout layer), the kept share is 1 - rate and the mean is preserved
(statistically, at 6 standard deviations), elements are dropped independently, the mask
comes from the rng passed in, and dtypes are kept."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import Dropout
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["dropout"]
SIGMAS = 6.0  # a correct dropout fails a statistical test with probability ~2e-9


def _shape(rng):
    return tuple(int(s) for s in rng.integers(2, 7, size=rng.integers(1, 4)))


def _x(rng, shape, dtype=np.float64):
    """Values away from 0, of both signs, so that dropped and kept units are told apart."""
    return (rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)).astype(dtype)


def _generator(rng):
    return np.random.default_rng(int(rng.integers(2**31)))


def _dlpath(x, rate, training, seed):
    layer = Dropout(rate, seed=seed, dtype=x.dtype.name)
    return layer(Tensor(x, dtype=x.dtype), training=training).data


def _call(case, x, rate, training, generator):
    """The learner's dropout(x, rate, training, generator) through ``case`` (which checks
    that x is not changed). The generator is passed past case.call: drawing from it changes
    its state, as it should, and a Generator cannot be compared with its copy."""
    function = case.function
    case.function = lambda x_, rate_, training_: function(x_, rate_, training_, generator)
    try:
        y = case.call(x, rate, training)
    finally:
        case.function = function
    return case.expect_shape("y", y, x.shape)


@check("inference")
def inference(learner, rng):
    for dtype in (np.float64, np.float32):
        shape = _shape(rng)
        x = _x(rng, shape, dtype)
        rate = float(rng.uniform(0.1, 0.8))
        case = Case(learner.dropout, f"training=False, rate={rate:.3g}, x of shape {shape}, "
                                     f"{np.dtype(dtype).name}")
        y = _call(case, x, rate, False, _generator(rng))
        expected = _dlpath(x, rate, False, 0)
        if np.any((y == 0) & (x != 0)):
            case.fail("dropped_at_inference")
        case.expect_close("y", y, expected, rtol=0, atol=0, mistakes={
            "scaled_at_inference": x * (1 - rate),
            "scaled_up_at_inference": x / (1 - rate)})
        case.expect_dtype("y", y, dtype)


def _kept_values(case, x, y, rate, factor):
    """Every element of y is 0 or x * factor; diagnose the usual wrong scales."""
    values = y.astype(np.float64)
    kept = values != 0
    if not kept.any():
        case.fail("everything_dropped", rate=rate)
    if kept.all():
        case.fail("nothing_dropped", rate=rate)
    ratio = values[kept] / x[kept]
    for key, wrong in (("no_scaling_in_training", 1.0), ("scaled_by_keep", 1 - rate),
                       ("scaled_by_rate", 1 / rate)):
        if np.allclose(ratio, wrong, rtol=1e-5):
            case.fail(key, rate=rate)
    bad = ~np.isclose(ratio, factor, rtol=1e-5)
    if bad.any():
        index = np.argwhere(kept)[int(bad.argmax())]
        case.fail("kept_value", index=str(list(int(i) for i in index)),
                  actual=float(values[tuple(index)]), expected=float(x[tuple(index)] * factor),
                  rate=rate)


@check("kept-values")
def kept_values(learner, rng):
    for dtype in (np.float64, np.float32):
        shape = (int(rng.integers(20, 40)), int(rng.integers(20, 40)))
        x = _x(rng, shape, dtype)
        rate = float(rng.uniform(0.2, 0.7))
        case = Case(learner.dropout, f"training=True, rate={rate:.3g}, x of shape {shape}, "
                                     f"{np.dtype(dtype).name}")
        y = _call(case, x, rate, True, _generator(rng))
        case.expect_dtype("y", y, dtype)
        reference = _dlpath(x.astype(np.float64), rate, True, int(rng.integers(2**31)))
        factor = float(np.max(reference / x))  # what dlpath's layer makes of a kept unit
        _kept_values(case, x.astype(np.float64), y, rate, factor)


@check("keep-probability")
def keep_probability(learner, rng):
    for rate in (float(rng.uniform(0.1, 0.3)), float(rng.uniform(0.65, 0.85))):
        n = 20000
        x = _x(rng, (n,))
        case = Case(learner.dropout, f"training=True, rate={rate:.3g}, {n} elements")
        y = _call(case, x, rate, True, _generator(rng))
        kept = float(np.mean(y != 0))
        sigma = np.sqrt(rate * (1 - rate) / n)
        if abs(kept - rate) < SIGMAS * sigma:
            case.fail("drop_probability_swapped", rate=rate, kept=kept)
        if abs(kept - (1 - rate)) > SIGMAS * sigma:
            case.fail("keep_fraction", rate=rate, kept=kept, expected=1 - rate)


@check("mean-preserved")
def mean_preserved(learner, rng):
    n = 20000
    rate = float(rng.uniform(0.3, 0.6))
    x = np.ones(n)
    case = Case(learner.dropout, f"training=True, rate={rate:.3g}, x = {n} ones")
    y = _call(case, x, rate, True, _generator(rng)).astype(np.float64)
    sigma = np.sqrt(rate / (1 - rate) / n)
    if abs(y.mean() - 1.0) > SIGMAS * sigma:
        case.fail("mean_not_preserved", rate=rate, mean=float(y.mean()))


@check("independent")
def independent(learner, rng):
    shape = (int(rng.integers(100, 200)), int(rng.integers(40, 80)))
    rate = float(rng.uniform(0.3, 0.6))
    x = _x(rng, shape)
    case = Case(learner.dropout, f"training=True, rate={rate:.3g}, x of shape {shape}")
    mask = _call(case, x, rate, True, _generator(rng)) != 0
    if (mask == mask[:1]).all():
        case.fail("mask_shared", axis="the first axis (every row gets the same mask)")
    if (mask == mask[:, :1]).all():
        case.fail("mask_shared", axis="the last axis (every column gets the same mask)")
    # neighbours are independent: P(both kept) = (1 - rate)^2
    both = float(np.mean(mask[:, 1:] & mask[:, :-1]))
    n = mask[:, 1:].size
    p = (1 - rate) ** 2
    if abs(both - p) > SIGMAS * np.sqrt(p * (1 - p) / n):
        case.fail("mask_correlated", rate=rate)


@check("uses-the-rng")
def uses_the_rng(learner, rng):
    shape = (int(rng.integers(30, 60)), 16)
    x = _x(rng, shape)
    rate = float(rng.uniform(0.3, 0.6))
    seed = int(rng.integers(2**31))
    case = Case(learner.dropout, f"training=True, rate={rate:.3g}, x of shape {shape}, "
                                 f"rng = np.random.default_rng(seed)")
    first = _call(case, x, rate, True, np.random.default_rng(seed))
    np.random.seed(int(rng.integers(2**31)))  # the global state must not matter
    second = _call(case, x, rate, True, np.random.default_rng(seed))
    if not np.array_equal(first, second):
        case.fail("ignores_rng")
    other = _call(case, x, rate, True, np.random.default_rng(seed + 1))
    if np.array_equal(first, other):
        case.fail("fixed_seed")
    generator = np.random.default_rng(seed)
    again = _call(case, x, rate, True, generator)
    if np.array_equal(again, _call(case, x, rate, True, generator)):
        case.fail("same_mask_every_call")


@check("rate-zero")
def rate_zero(learner, rng):
    shape = _shape(rng)
    x = _x(rng, shape)
    case = Case(learner.dropout, f"training=True, rate=0, x of shape {shape}")
    y = _call(case, x, 0.0, True, _generator(rng))
    case.expect_close("y", y, _dlpath(x, 0.0, True, 0), rtol=0, atol=0)
