"""The fused sequence ops (LSTMSequence, GRUSequence, SimpleRNNSequence): finite differences
in float64, and equality with the step loop composed from primitives (the cells)."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.recurrent import gru_sequence, lstm_sequence, simple_rnn_sequence
from dlpath.layers import GRU, LSTM, SimpleRNN

BATCH, STEPS, DIM, UNITS = 3, 5, 4, 3
# Sample 0: holes in the middle; 1: left padding; 2: every step masked.
MASK = np.array([[True, False, True, True, False],
                 [False, False, True, True, True],
                 [False, False, False, False, False]])


def _arrays(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [0.7 * rng.standard_normal(shape) for shape in shapes]


# ---------------------------------------------------------------------- finite differences
@pytest.mark.parametrize("mask", [None, MASK], ids=["no-mask", "mask"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_lstm_sequence_gradcheck(mask, go_backwards, return_sequences):
    u = UNITS
    arrays = _arrays([(BATCH, STEPS, DIM), (DIM, 4 * u), (u, 4 * u), (4 * u,), (BATCH, u),
                      (BATCH, u)])
    gradcheck(lambda *t: lstm_sequence(*t, mask=mask, go_backwards=go_backwards,
                                       return_sequences=return_sequences), *arrays)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("mask", [None, MASK], ids=["no-mask", "mask"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_sequence_gradcheck(reset_after, mask, go_backwards):
    u = UNITS
    bias = (2, 3 * u) if reset_after else (3 * u,)
    arrays = _arrays([(BATCH, STEPS, DIM), (DIM, 3 * u), (u, 3 * u), bias, (BATCH, u)])
    gradcheck(lambda *t: gru_sequence(*t, mask=mask, go_backwards=go_backwards,
                                      reset_after=reset_after), *arrays)


@pytest.mark.parametrize("mask", [None, MASK], ids=["no-mask", "mask"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_simple_rnn_sequence_gradcheck(mask, go_backwards):
    u = UNITS
    arrays = _arrays([(BATCH, STEPS, DIM), (DIM, u), (u, u), (u,), (BATCH, u)])
    gradcheck(lambda *t: simple_rnn_sequence(*t, mask=mask, go_backwards=go_backwards),
              *arrays)


def test_states_layout_and_defaults():
    x, w, r = _arrays([(BATCH, STEPS, DIM), (DIM, 4 * UNITS), (UNITS, 4 * UNITS)])
    states = lstm_sequence(Tensor(x, dtype="float64"), w, r)
    assert states.shape == (BATCH, STEPS, 2, UNITS) and states.dtype == np.float64
    final = lstm_sequence(Tensor(x, dtype="float64"), w, r, return_sequences=False)
    np.testing.assert_array_equal(final.data, states.data[:, -1])
    with_zeros = lstm_sequence(Tensor(x, dtype="float64"), w, r, np.zeros(4 * UNITS),
                               np.zeros((BATCH, UNITS)), np.zeros((BATCH, UNITS)))
    np.testing.assert_allclose(states.data, with_zeros.data, rtol=1e-6)


def test_shape_errors_name_the_op_and_shapes():
    x, w, r = _arrays([(BATCH, STEPS, DIM), (DIM, 3 * UNITS), (UNITS, 3 * UNITS)])
    with pytest.raises(ValueError, match=r"lstm_sequence: kernel must have shape \(4, 12\)"):
        lstm_sequence(x, w, r)
    with pytest.raises(ValueError, match=r"gru_sequence: expected .*shape \(3, 4\)"):
        gru_sequence(x[:, 0], w, r)
    with pytest.raises(ValueError, match=r"initial states must have shape \(3, 3\)"):
        gru_sequence(x, w, r, h0=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"mask must have shape \(3, 5\)"):
        gru_sequence(x, w, r, mask=np.ones((3, 4), dtype=bool))


# ---------------------------------------------------------------------- fused == composite
def _run(layer, x, states, mask, fused):
    """Outputs and every gradient (input, weights, initial states) of one path."""
    if not fused:
        layer._uses_fused_op = lambda training: False
    x = Tensor(x, dtype="float64", requires_grad=True)
    states = [Tensor(s, dtype="float64", requires_grad=True) for s in states]
    outputs = layer(x, initial_state=states or None, mask=mask)
    rng = np.random.default_rng(5)
    loss = sum((o * Tensor(rng.standard_normal(o.shape), dtype="float64")).sum()
               for o in outputs)
    for weight in layer.weights:
        weight.grad = None
    loss.backward()
    grads = [x.grad] + [w.grad for w in layer.weights] + [s.grad for s in states]
    layer.__dict__.pop("_uses_fused_op", None)
    return [o.data for o in outputs], grads


@pytest.mark.parametrize("make_layer, num_states", [
    (lambda **kw: SimpleRNN(UNITS, **kw), 1),
    (lambda **kw: LSTM(UNITS, **kw), 2),
    (lambda **kw: GRU(UNITS, **kw), 1),
    (lambda **kw: GRU(UNITS, reset_after=False, **kw), 1),
], ids=["SimpleRNN", "LSTM", "GRU", "GRU-reset-before"])
@pytest.mark.parametrize("mask", [None, MASK], ids=["no-mask", "mask"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("initial_state", [False, True])
@pytest.mark.parametrize("return_sequences, zero_output_for_mask",
                         [(False, False), (True, False), (True, True)])
def test_fused_op_equals_the_step_loop(make_layer, num_states, mask, go_backwards,
                                       initial_state, return_sequences, zero_output_for_mask):
    layer = make_layer(return_sequences=return_sequences, return_state=True,
                       go_backwards=go_backwards, zero_output_for_mask=zero_output_for_mask,
                       dtype="float64")
    x, *states = _arrays([(BATCH, STEPS, DIM)] + [(BATCH, UNITS)] * num_states, seed=1)
    layer(Tensor(x, dtype="float64"))
    rng = np.random.default_rng(2)
    layer.set_weights([0.7 * rng.standard_normal(w.shape) for w in layer.get_weights()])
    states = states if initial_state else []
    assert layer._uses_fused_op(training=False)
    fused_out, fused_grads = _run(layer, x, states, mask, fused=True)
    loop_out, loop_grads = _run(layer, x, states, mask, fused=False)
    for k, (a, b) in enumerate(zip(fused_out, loop_out)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=f"output {k}")
    assert len(fused_grads) == len(loop_grads) == 4 + len(states)
    for k, (a, b) in enumerate(zip(fused_grads, loop_grads)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=f"gradient {k}")


# ---------------------------------------------------------------------- vanishing gradients
def test_bptt_stops_once_the_gradient_has_vanished():
    """Carried gradients below finfo.tiny * 2^32 are flushed; once nothing is carried and
    no earlier output has a gradient, the earlier steps' gradients are exactly zero."""
    rng = np.random.default_rng(0)
    x, w, r = rng.standard_normal((2, 120, 3)), rng.standard_normal((3, 4)), \
        0.05 * rng.standard_normal((4, 4))
    grads = {}
    for dtype in ("float32", "float64"):
        inputs = Tensor(x, dtype=dtype, requires_grad=True)
        states = simple_rnn_sequence(inputs, Tensor(w, dtype=dtype), Tensor(r, dtype=dtype))
        states[:, -1, 0].sum().backward(retain_graph=True)
        grads[dtype], first = inputs.grad, states._op.first
        if dtype == "float32":
            assert first > 0 and not grads[dtype][:, :first].any()
        else:
            assert first == 0
    scale = np.abs(grads["float64"]).max()
    np.testing.assert_allclose(grads["float32"], grads["float64"], rtol=1e-3, atol=1e-6 * scale)


def test_a_second_backward_with_retain_graph_uses_its_own_gradient():
    x, w, r = _arrays([(BATCH, STEPS, DIM), (DIM, 4 * UNITS), (UNITS, 4 * UNITS)])
    inputs = Tensor(x, dtype="float64", requires_grad=True)
    states = lstm_sequence(inputs, w, r)
    states[:, -1, 0].sum().backward(retain_graph=True)
    inputs.grad = None
    states.sum().backward()
    expected = Tensor(x, dtype="float64", requires_grad=True)
    lstm_sequence(expected, w, r).sum().backward()
    np.testing.assert_allclose(inputs.grad, expected.grad, rtol=1e-12)
