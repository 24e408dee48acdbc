"""Checks of the softmax lab: softmax and log-softmax along the last axis against dlpath's
engine, on random shapes, 1-D inputs, float32, and logits of +-1000."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import activations as engine
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["softmax", "log_softmax"]


def _engine(name, z):
    return getattr(engine, name)(Tensor(z, dtype=z.dtype)).data


def _plain_softmax(z, axis=-1, keepdims=True):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=keepdims)


def _mistakes(z):
    """What the usual wrong softmaxes give on z (finite inputs)."""
    rows = np.exp(z - z.max(axis=-1, keepdims=True))
    whole = np.exp(z - z.max())
    mistakes = {"global_normalization": rows / rows.sum(),
                "whole_array_softmax": whole / whole.sum()}
    if z.ndim == 2 and z.shape[0] > 1:
        mistakes["wrong_axis"] = _plain_softmax(z, axis=0)
    if z.ndim == 2 and z.shape[0] == z.shape[1]:
        wrong = np.exp(z - z.max(axis=-1))  # a row maximum subtracted from each column
        mistakes["max_without_keepdims"] = wrong / wrong.sum(axis=-1, keepdims=True)
    return mistakes


def _cases(rng):
    batch, classes = (int(n) for n in rng.choice(np.arange(2, 7), size=2, replace=False))
    n = int(rng.integers(3, 6))
    return [rng.normal(0, 3, size=(n, n)),          # square: a missing keepdims still runs
            rng.normal(0, 3, size=(batch, classes)),
            rng.normal(0, 3, size=classes),          # one distribution, 1-D
            rng.normal(0, 3, size=(1, classes)),     # a batch of one
            rng.normal(0, 3, size=(batch, 1))]       # one class: every probability is 1


@check("softmax-values")
def softmax_values(learner, rng):
    for z in _cases(rng):
        case = Case(learner.softmax, f"z of shape {z.shape}")
        p = case.call(z)
        case.expect_close("softmax(z)", p, _engine("softmax", z), rtol=1e-7, atol=1e-12,
                          mistakes=_mistakes(z))


@check("large-logits")
def large_logits(learner, rng):
    z = np.array([1000.0, 0.0])
    case = Case(learner.softmax, "z = [1000, 0]")
    p = case.expect_array("softmax(z)", case.call(z))
    if p.shape == z.shape and not np.isfinite(p).all():
        case.fail("subtract_max_first")
    case.expect_close("softmax(z)", p, [1.0, 0.0], rtol=1e-7, atol=1e-12)
    # Rows far apart: one global maximum leaves the lower row at exp(-1000) = 0, and 0 / 0.
    shift = float(rng.integers(800, 1200))
    z = np.array([[0.0, 1.0, 2.0], [shift, shift + 1.0, shift + 3.0]])
    case = Case(learner.softmax, f"z = [[0, 1, 2], [{shift:g}, {shift + 1:g}, {shift + 3:g}]]")
    p = case.expect_array("softmax(z)", case.call(z))
    if p.shape == z.shape and not np.isfinite(p).all():
        case.fail("global_max")
    case.expect_close("softmax(z)", p, _engine("softmax", z), rtol=1e-7, atol=1e-12)
    z = np.array([[1000.0, 0.0], [-1000.0, 0.0], [1000.0, 1000.0]])
    case = Case(learner.softmax, "z = [[1000, 0], [-1000, 0], [1000, 1000]]")
    p = case.expect_array("softmax(z)", case.call(z))
    if p.shape == z.shape and not np.isfinite(p).all():
        case.fail("subtract_max_first")
    case.expect_close("softmax(z)", p, _engine("softmax", z), rtol=1e-7, atol=1e-12)


@check("log-softmax-values")
def log_softmax_values(learner, rng):
    for z in _cases(rng):
        case = Case(learner.log_softmax, f"z of shape {z.shape}")
        mistakes = {key: np.log(value) for key, value in _mistakes(z).items()}
        mistakes["softmax_not_log"] = _engine("softmax", z)
        case.expect_close("log_softmax(z)", case.call(z), _engine("log_softmax", z),
                          rtol=1e-7, atol=1e-10, mistakes=mistakes)


@check("log-softmax-large-logits")
def log_softmax_large_logits(learner, rng):
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    case = Case(learner.log_softmax, "z = [[1000, 0, -1000], [0, 0, 0]]")
    result = case.expect_array("log_softmax(z)", case.call(z))
    if result.shape == z.shape and not np.isfinite(result).all():
        case.fail("log_of_softmax")
    case.expect_close("log_softmax(z)", result, _engine("log_softmax", z), rtol=1e-7,
                      atol=1e-10)


@check("dtype")
def dtype(learner, rng):
    z = rng.normal(0, 3, size=(int(rng.integers(2, 5)), 4)).astype(np.float32)
    for name in FUNCTIONS:
        case = Case(getattr(learner, name), f"z of shape {z.shape}, float32")
        result = case.call(z)
        case.expect_dtype(f"{name}(z)", result, np.float32)
        case.expect_close(f"{name}(z)", result, _engine(name, z), rtol=1e-5, atol=1e-6)
