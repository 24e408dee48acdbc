"""Checks of the gru-cell lab: the stable sigmoid against dlpath's engine, one GRU step and a
whole sequence of steps against dlpath's fused GRU op
(dlpath.engine.recurrent.gru_sequence, Keras' reset_after=True layout), float32, large
pre-activations and edge cases; the other GRU variants and gate orders are named."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import activations as engine_activations
from dlpath.engine.recurrent import gru_sequence
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["sigmoid", "gru_step"]


def _sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # the sigmoid, with no overflow


def _inputs(rng, dtype=np.float64, batch=None, units=None, scale=1.0):
    batch = int(rng.integers(2, 4)) if batch is None else batch
    u = int(rng.integers(2, 5)) if units is None else units
    d = int(rng.integers(2, 5))
    x = rng.standard_normal((batch, d)) * scale
    h = rng.standard_normal((batch, u)) * 0.7
    kernel = rng.standard_normal((d, 3 * u)) * 0.7
    recurrent = rng.standard_normal((u, 3 * u)) * 0.7
    bias = rng.standard_normal((2, 3 * u)) * 0.5
    return tuple(a.astype(dtype) for a in (x, h, kernel, recurrent, bias))


def _engine_steps(xs, h0, kernel, recurrent, bias):
    """dlpath's h_t for xs (B, T, D): (B, T, U)."""
    states = gru_sequence(*(Tensor(a, dtype=a.dtype) for a in (xs, kernel, recurrent, bias)),
                          h0=Tensor(h0, dtype=h0.dtype), reset_after=True)
    return states.data[:, :, 0]


def _step(x, h, kernel, recurrent, bias, order="zrh", reset_before=False, swap_update=False,
          recurrent_bias=True, bias_outside_reset=False, candidate=np.tanh, gate=_sig):
    """A float64 GRU step with the typical mistakes switched on."""
    u = h.shape[1]
    xs = x @ kernel + bias[0]
    b_h = bias[1] if recurrent_bias else np.zeros_like(bias[1])
    hs = h @ recurrent + b_h
    block = {name: slice(k * u, (k + 1) * u) for k, name in enumerate(order)}
    z = gate(xs[:, block["z"]] + hs[:, block["z"]])
    r = gate(xs[:, block["r"]] + hs[:, block["r"]])
    if reset_before:
        inner = (r * h) @ recurrent[:, block["h"]] + b_h[block["h"]]
    elif bias_outside_reset:
        inner = r * (h @ recurrent[:, block["h"]]) + b_h[block["h"]]
    else:
        inner = r * hs[:, block["h"]]
    n = candidate(xs[:, block["h"]] + inner)
    return (1 - z) * h + z * n if swap_update else z * h + (1 - z) * n


MISTAKES = {
    "gate_order_rzh": dict(order="rzh"),
    "update_swapped": dict(swap_update=True),
    "reset_before": dict(reset_before=True),
    "bias_outside_reset": dict(bias_outside_reset=True),
    "recurrent_bias_missing": dict(recurrent_bias=False),
    "candidate_sigmoid": dict(candidate=_sig),
    "gates_tanh": dict(gate=np.tanh),
}


def _describe(x, h, kernel, note=""):
    text = f"x {x.shape}, h_prev {h.shape}, kernel {kernel.shape}, {x.dtype}"
    return text + (f", {note}" if note else "")


def _expect_step(learner, args, note="", rtol=1e-7, atol=1e-9):
    x, h, kernel, recurrent, bias = args
    case = Case(learner.gru_step, _describe(x, h, kernel, note))
    h_new = case.call(*args)
    expected = _engine_steps(x[:, None], h, kernel, recurrent, bias)[:, 0]
    wide = [a.astype(np.float64) for a in args]
    mistakes = {key: _step(*wide, **options) for key, options in MISTAKES.items()}
    return case.expect_close("h", h_new, expected, rtol=rtol, atol=atol, mistakes=mistakes)


@check("sigmoid")
def sigmoid(learner, rng):
    z = rng.normal(0, 4, size=(3, 5))
    case = Case(learner.sigmoid, f"z of shape {z.shape}, float64")
    expected = engine_activations.sigmoid(Tensor(z, dtype=z.dtype)).data
    case.expect_close("sigmoid(z)", case.call(z), expected, rtol=1e-10, atol=1e-12)
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    case = Case(learner.sigmoid, "z = [-1000, -30, 0, 30, 1000]")
    with np.errstate(all="ignore"):
        result = case.expect_array("sigmoid(z)", case.call(z))
    if result.shape == z.shape and not np.isfinite(result).all():
        case.fail("sigmoid_overflow")
    tail = np.exp(-30.0)
    case.expect_close("sigmoid(z)", result, [0.0, tail / (1 + tail), 0.5, 1 / (1 + tail), 1.0],
                      rtol=1e-10, atol=1e-300)
    z32 = rng.standard_normal(4).astype(np.float32)
    case = Case(learner.sigmoid, "z of shape (4,), float32")
    case.expect_dtype("sigmoid(z)", case.call(z32), np.float32)


@check("step")
def step(learner, rng):
    for _ in range(2):
        _expect_step(learner, _inputs(rng))


@check("sequence")
def sequence(learner, rng):
    # The cell applied step after step equals dlpath's GRU layer over the sequence.
    x, h, kernel, recurrent, bias = _inputs(rng)
    steps = 5
    xs = rng.standard_normal((x.shape[0], steps, x.shape[1]))
    expected = _engine_steps(xs, h, kernel, recurrent, bias)
    case = Case(learner.gru_step, _describe(x, h, kernel, f"{steps} steps in a row"))
    for t in range(steps):
        h = case.expect_array("h", case.call(xs[:, t], h, kernel, recurrent, bias))
    case.expect_close("h", h, expected[:, -1], rtol=1e-7, atol=1e-9)


@check("float32")
def float32(learner, rng):
    args = _inputs(rng, np.float32)
    h = _expect_step(learner, args, rtol=1e-5, atol=1e-6)
    Case(learner.gru_step, _describe(args[0], args[1], args[2])).expect_dtype(
        "h", h, np.float32)


@check("large-inputs")
def large_inputs(learner, rng):
    with np.errstate(all="ignore"):
        _expect_step(learner, _inputs(rng, scale=300.0), "inputs x 300")


@check("edge-cases")
def edge_cases(learner, rng):
    _expect_step(learner, _inputs(rng, batch=1), "batch 1")
    _expect_step(learner, _inputs(rng, units=1), "1 unit")
    x, h, kernel, recurrent, bias = _inputs(rng)
    _expect_step(learner, (x, np.zeros_like(h), kernel, recurrent, bias), "h_prev = 0")
