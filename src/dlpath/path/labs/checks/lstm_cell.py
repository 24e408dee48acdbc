"""Checks of the lstm-cell lab: the stable sigmoid against dlpath's engine, one LSTM step and
a whole sequence of steps against dlpath's fused LSTM op
(dlpath.engine.recurrent.lstm_sequence, Keras' layout), float32, large pre-activations and
edge cases; wrong gate orders and swapped activations are named."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import activations as engine_activations
from dlpath.engine.recurrent import lstm_sequence
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["sigmoid", "lstm_step"]


def _sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # the sigmoid, with no overflow


def _inputs(rng, dtype=np.float64, batch=None, units=None, scale=1.0):
    batch = int(rng.integers(2, 4)) if batch is None else batch
    u = int(rng.integers(2, 5)) if units is None else units
    d = int(rng.integers(2, 5))
    x = rng.standard_normal((batch, d)) * scale
    h = rng.standard_normal((batch, u)) * 0.5
    c = rng.standard_normal((batch, u))
    kernel = rng.standard_normal((d, 4 * u)) * 0.7
    recurrent = rng.standard_normal((u, 4 * u)) * 0.7
    bias = rng.standard_normal(4 * u) * 0.5
    return tuple(a.astype(dtype) for a in (x, h, c, kernel, recurrent, bias))


def _engine_steps(xs, h0, c0, kernel, recurrent, bias):
    """dlpath's [h_t, c_t] for xs (B, T, D): (B, T, 2, U)."""
    return lstm_sequence(*(Tensor(a, dtype=a.dtype) for a in (xs, kernel, recurrent, bias)),
                         h0=Tensor(h0, dtype=h0.dtype), c0=Tensor(c0, dtype=c0.dtype)).data


def _step(x, h, c, kernel, recurrent, bias, order="ifco", gate=_sig, candidate=np.tanh,
          cell_out=np.tanh, forget=True, old_cell=False):
    """A float64 LSTM step with the typical mistakes: ``order`` names the gate held by each
    block of columns, ``gate``/``candidate``/``cell_out`` the activations."""
    u = h.shape[1]
    a = x @ kernel + h @ recurrent + bias
    blocks = {name: a[:, k * u:(k + 1) * u] for k, name in enumerate(order)}
    i, f, o = gate(blocks["i"]), gate(blocks["f"]), gate(blocks["o"])
    g = candidate(blocks["c"])
    c_new = (f * c if forget else 0) + i * g
    h_new = o * cell_out(c if old_cell else c_new)
    return h_new, c_new


MISTAKES = {
    "gate_order_ifoc": dict(order="ifoc"),
    "gate_order_icfo": dict(order="icfo"),
    "gate_order_fico": dict(order="fico"),
    "candidate_sigmoid": dict(candidate=_sig),
    "activations_swapped": dict(gate=np.tanh, candidate=_sig, cell_out=_sig),
    "gates_tanh": dict(gate=np.tanh),
    "output_no_tanh": dict(cell_out=lambda c: c),
    "output_sigmoid": dict(cell_out=_sig),
    "forget_missing": dict(forget=False),
    "old_cell_in_output": dict(old_cell=True),
}


def _describe(x, h, kernel, note=""):
    text = f"x {x.shape}, h_prev {h.shape}, kernel {kernel.shape}, {x.dtype}"
    return text + (f", {note}" if note else "")


def _expect_step(learner, args, note="", rtol=1e-7, atol=1e-9):
    x, h, c, kernel, recurrent, bias = args
    case = Case(learner.lstm_step, _describe(x, h, kernel, note))
    result = case.call(*args)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("wrong_type", name="lstm_step(...)", expected="a tuple (h, c)",
                  type=type(result).__name__)
    h_new, c_new = result
    states = _engine_steps(x[:, None], h, c, kernel, recurrent, bias)[:, 0]
    wide = [a.astype(np.float64) for a in args]
    wrong = {key: _step(*wide, **options) for key, options in MISTAKES.items()}
    h_new = case.expect_array("h", h_new)
    c_new = case.expect_array("c", c_new)
    if h_new.shape == c_new.shape == h.shape and np.allclose(h_new, states[:, 1]) and \
            np.allclose(c_new, states[:, 0]):
        case.fail("h_c_swapped")
    case.expect_close("c", c_new, states[:, 1], rtol=rtol, atol=atol,
                      mistakes={key: value[1] for key, value in wrong.items()})
    case.expect_close("h", h_new, states[:, 0], rtol=rtol, atol=atol,
                      mistakes={key: value[0] for key, value in wrong.items()})
    return h_new, c_new


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
    # The cell applied step after step equals dlpath's LSTM layer over the sequence.
    x, h, c, kernel, recurrent, bias = _inputs(rng)
    steps = 5
    xs = rng.standard_normal((x.shape[0], steps, x.shape[1]))
    expected = _engine_steps(xs, h, c, kernel, recurrent, bias)
    case = Case(learner.lstm_step, _describe(x, h, kernel, f"{steps} steps in a row"))
    for t in range(steps):
        result = case.call(xs[:, t], h, c, kernel, recurrent, bias)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            case.fail("wrong_type", name="lstm_step(...)", expected="a tuple (h, c)",
                      type=type(result).__name__)
        h, c = (case.expect_array(name, v) for name, v in zip("hc", result))
    case.expect_close("c", c, expected[:, -1, 1], rtol=1e-7, atol=1e-9)
    case.expect_close("h", h, expected[:, -1, 0], rtol=1e-7, atol=1e-9)


@check("float32")
def float32(learner, rng):
    args = _inputs(rng, np.float32)
    h, c = _expect_step(learner, args, rtol=1e-5, atol=1e-6)
    case = Case(learner.lstm_step, _describe(args[0], args[1], args[3]))
    case.expect_dtype("h", h, np.float32)
    case.expect_dtype("c", c, np.float32)


@check("large-inputs")
def large_inputs(learner, rng):
    args = _inputs(rng, scale=300.0)  # pre-activations in the hundreds: saturated gates
    with np.errstate(all="ignore"):
        _expect_step(learner, args, "inputs x 300", rtol=1e-7, atol=1e-9)


@check("edge-cases")
def edge_cases(learner, rng):
    _expect_step(learner, _inputs(rng, batch=1), "batch 1")
    _expect_step(learner, _inputs(rng, units=1), "1 unit")
    x, h, c, kernel, recurrent, bias = _inputs(rng)
    zeros = (x, np.zeros_like(h), np.zeros_like(c), kernel, recurrent, bias)
    _expect_step(learner, zeros, "h_prev = c_prev = 0")
