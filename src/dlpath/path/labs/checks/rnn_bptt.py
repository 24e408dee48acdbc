"""Checks of the rnn-bptt lab: the forward pass and every gradient of BPTT against dlpath's
fused SimpleRNN op (dlpath.engine.recurrent.simple_rnn_sequence) and finite differences,
a loss on the last step only, float32, and short sequences."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.recurrent import simple_rnn_sequence
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["rnn_forward", "rnn_backward"]
NAMES = ("dx", "dh0", "dWx", "dWh", "db")


def _inputs(rng, dtype=np.float64, batch=None, steps=None):
    batch = int(rng.integers(2, 4)) if batch is None else batch
    steps = int(rng.integers(3, 6)) if steps is None else steps
    d, u = int(rng.integers(2, 4)), int(rng.integers(3, 5))
    x = rng.standard_normal((batch, steps, d))
    h0 = rng.standard_normal((batch, u)) * 0.5
    wx = rng.standard_normal((d, u)) * 0.6
    wh = rng.standard_normal((u, u)) * 0.6
    b = rng.standard_normal(u) * 0.3
    return tuple(a.astype(dtype) for a in (x, h0, wx, wh, b))


def _engine(x, h0, wx, wh, b, dh=None):
    """dlpath's states h (B, T, U) and, given dh, the gradients (dx, dh0, dWx, dWh, db)."""
    tensors = {name: Tensor(a, requires_grad=True, dtype=a.dtype)
               for name, a in zip(("x", "h0", "wx", "wh", "b"), (x, h0, wx, wh, b))}
    states = simple_rnn_sequence(tensors["x"], tensors["wx"], tensors["wh"], tensors["b"],
                                 tensors["h0"])  # (B, T, 1, U)
    if dh is None:
        return states.data[:, :, 0]
    states.backward(dh[:, :, None, :])
    return tuple(tensors[name].grad for name in ("x", "h0", "wx", "wh", "b"))


def _bptt(dh, x, h0, wx, wh, h, carry=True, dwh_current=False, carry_skips_tanh=False,
          slope_of_previous=False):
    """A float64 BPTT with the typical mistakes switched on by the flags."""
    dx, dwx, dwh = np.zeros(x.shape), np.zeros(wx.shape), np.zeros(wh.shape)
    db, back = np.zeros(wh.shape[0]), np.zeros(h0.shape)
    for t in reversed(range(x.shape[1])):
        g = dh[:, t] + (back if carry else 0)
        h_prev = h[:, t - 1] if t > 0 else h0
        a = g * (1 - (h_prev if slope_of_previous else h[:, t]) ** 2)
        dx[:, t] = a @ wx.T
        dwx += x[:, t].T @ a
        dwh += (h[:, t] if dwh_current else h_prev).T @ a
        db += a.sum(axis=0)
        back = (g if carry_skips_tanh else a) @ wh.T
    return dx, back, dwx, dwh, db


def _describe(x, h0, wx, note=""):
    return (f"x {x.shape}, h0 {h0.shape}, Wx {wx.shape}, {x.dtype}" + (f", {note}" if note
                                                                        else ""))


def _forward_mistakes(x, h0, wx, wh, b):
    steps = x.shape[1]
    linear, fresh, sigmoid = [], [], []
    prev_l = prev_s = h0
    for t in range(steps):
        prev_l = x[:, t] @ wx + prev_l @ wh + b
        linear.append(prev_l)
        fresh.append(np.tanh(x[:, t] @ wx + h0 @ wh + b))
        prev_s = 1 / (1 + np.exp(-(x[:, t] @ wx + prev_s @ wh + b)))
        sigmoid.append(prev_s)
    return {"no_tanh": np.stack(linear, 1), "h0_every_step": np.stack(fresh, 1),
            "sigmoid_instead_of_tanh": np.stack(sigmoid, 1)}


def _expect_forward(learner, args, rtol=1e-7, atol=1e-9):
    case = Case(learner.rnn_forward, _describe(*args[:3]))
    h = case.call(*args)
    case.expect_close("h", h, _engine(*args), rtol=rtol, atol=atol,
                      mistakes=_forward_mistakes(*(a.astype(np.float64) for a in args)))
    return case.expect_array("h", h)


def _expect_backward(learner, args, dh, note="", finite_differences=True, rtol=1e-7,
                     atol=1e-9):
    x, h0, wx, wh, b = args
    h = _engine(*args)
    case = Case(learner.rnn_backward, _describe(x, h0, wx, note))
    grads = case.call(dh, x, h0, wx, wh, h)
    if not isinstance(grads, (tuple, list)) or len(grads) != 5:
        case.fail("wrong_type", name="rnn_backward(...)",
                  expected="a tuple (dx, dh0, dWx, dWh, db)", type=type(grads).__name__)
    grads = [case.expect_array(name, g) for name, g in zip(NAMES, grads)]
    shapes = [a.shape for a in (x, h0, wx, wh, b)]
    if [g.shape for g in grads] != shapes and sorted(map(str, (g.shape for g in grads))) == \
            sorted(map(str, shapes)):
        case.fail("gradient_order", actual=[g.shape for g in grads], expected=shapes)
    for name, g, shape in zip(NAMES, grads, shapes):
        case.expect_shape(name, g, shape)
    expected = _engine(*args, dh=dh)
    wide = [a.astype(np.float64) for a in (dh, x, h0, wx, wh, h)]
    mistakes = {"no_carry": _bptt(*wide, carry=False),
                "carry_skips_tanh": _bptt(*wide, carry_skips_tanh=True),
                "slope_of_previous": _bptt(*wide, slope_of_previous=True),
                "dwh_current": _bptt(*wide, dwh_current=True)}
    if finite_differences:
        numeric = _numeric(args, dh)
        for name, g, n in zip(NAMES, grads, numeric):
            if g.shape == n.shape and not np.allclose(g, n, rtol=1e-5, atol=1e-7):
                _diagnose(case, name, g, mistakes, expected)
                wrong = ~np.isclose(g, n, rtol=1e-5, atol=1e-7)
                at = np.unravel_index(wrong.argmax(), wrong.shape)
                case.fail("gradient_mismatch", name=name, index=str(list(map(int, at))),
                          actual=float(g[at]), expected=float(n[at]))
    for name, g, e in zip(NAMES, grads, expected):
        if g.shape == e.shape and not np.allclose(g, e, rtol=rtol, atol=atol):
            _diagnose(case, name, g, mistakes, expected)
        case.expect_close(name, g, e, rtol=rtol, atol=atol)
    return grads


def _diagnose(case, name, g, mistakes, expected):
    index = NAMES.index(name)
    if name == "dh0" and not np.any(g) and np.any(expected[index]):
        case.fail("dh0_zero")
    for key, wrong in mistakes.items():
        w = wrong[index]
        if w.shape == g.shape and np.allclose(g, w, rtol=1e-6, atol=1e-8) and not \
                np.allclose(w, expected[index], rtol=1e-6, atol=1e-8):
            case.fail(key, name=name)


def _numeric(args, dh):
    """Finite differences of L = sum(h * dh) with respect to x, h0, Wx, Wh, b."""
    wide = [a.astype(np.float64) for a in args]
    out = []
    for i in range(5):
        def loss(value, i=i):
            values = list(wide)
            values[i] = value
            return float(np.sum(_engine(*values) * dh))
        out.append(numerical_gradient(loss, wide[i]))
    return out


@check("forward")
def forward(learner, rng):
    for _ in range(2):
        _expect_forward(learner, _inputs(rng))


@check("backward")
def backward(learner, rng):
    args = _inputs(rng)
    dh = rng.standard_normal(args[0].shape[:2] + (args[1].shape[1],))
    _expect_backward(learner, args, dh, "dL/dh_t random at every step")


@check("last-step-loss")
def last_step_loss(learner, rng):
    # Many-to-one: only the last state reaches the loss, so every earlier gradient has
    # to travel back through the recurrence.
    args = _inputs(rng, steps=5)
    dh = np.zeros(args[0].shape[:2] + (args[1].shape[1],))
    dh[:, -1] = rng.standard_normal(dh[:, -1].shape)
    _expect_backward(learner, args, dh, "dL/dh_t = 0 except at the last step")


@check("float32")
def float32(learner, rng):
    args = _inputs(rng, np.float32)
    h = _expect_forward(learner, args, rtol=1e-5, atol=1e-6)
    Case(learner.rnn_forward, _describe(*args[:3])).expect_dtype("h", h, np.float32)
    dh = rng.standard_normal(args[0].shape[:2] + (args[1].shape[1],)).astype(np.float32)
    grads = _expect_backward(learner, args, dh, finite_differences=False, rtol=1e-4,
                             atol=1e-5)
    case = Case(learner.rnn_backward, _describe(*args[:3]))
    for name, g in zip(NAMES, grads):
        case.expect_dtype(name, g, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # One step (no recurrence at all), and batch 1.
    for batch, steps in ((3, 1), (1, 4)):
        args = _inputs(rng, batch=batch, steps=steps)
        _expect_forward(learner, args)
        dh = rng.standard_normal(args[0].shape[:2] + (args[1].shape[1],))
        _expect_backward(learner, args, dh, f"{steps} step(s)")
