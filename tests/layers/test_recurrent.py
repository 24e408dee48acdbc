"""Recurrent layers against PyTorch (weights copied across), Keras semantics, configs, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from harness import run_layer_test
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from dlpath.engine import Tensor, gradcheck, ops
from dlpath.layers import (
    GRU, LSTM, RNN, Bidirectional, Embedding, GRUCell, Layer, LSTMCell, SimpleRNN,
    SimpleRNNCell,
)

torch.set_num_threads(1)

LAYERS = {"SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU}
TORCH = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}
ATOL, RTOL = 2e-5, 2e-4


# ---------------------------------------------------------------------- weights across
def _gru_order(units):
    """Keras' GRU columns z, r, h <-> PyTorch's rows r, z, n (the swap is its own inverse)."""
    return np.r_[units:2 * units, 0:units, 2 * units:3 * units]


def _randomize(layer, seed=0):
    """Random weights (biases included) so every parameter matters."""
    rng = np.random.default_rng(seed)
    layer.set_weights([0.5 * rng.standard_normal(w.shape) for w in layer.get_weights()])


def _copy_to_torch(module, cell, kind, suffix=""):
    """Put a cell's Keras weights into ``module``'s layer-0 parameters (``suffix``:
    '_reverse' for the backward direction)."""
    w, r = cell.kernel.data, cell.recurrent_kernel.data
    if kind == "GRU":
        order = _gru_order(cell.units)
        w, r = w[:, order], r[:, order]
        b_ih, b_hh = cell.bias.data[0][order], cell.bias.data[1][order]
    else:
        b_ih, b_hh = cell.bias.data, np.zeros_like(cell.bias.data)
    with torch.no_grad():
        for name, value in (("weight_ih", w.T), ("weight_hh", r.T), ("bias_ih", b_ih),
                            ("bias_hh", b_hh)):
            getattr(module, f"{name}_l0{suffix}").copy_(torch.tensor(value))


def _torch_grads(module, cell, kind, suffix=""):
    """PyTorch's parameter gradients in Keras' layout: [kernel, recurrent_kernel, bias]."""
    grad = {name: getattr(module, f"{name}_l0{suffix}").grad.numpy()
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    if kind == "GRU":
        order = _gru_order(cell.units)
        return [grad["weight_ih"].T[:, order], grad["weight_hh"].T[:, order],
                np.stack([grad["bias_ih"][order], grad["bias_hh"][order]])]
    return [grad["weight_ih"].T, grad["weight_hh"].T, grad["bias_ih"]]


def _close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs, atol=ATOL, rtol=RTOL, err_msg=what)


def _project(outputs, seed=1):
    """A scalar loss touching every output: sum_k <out_k, r_k> for fixed random r_k."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(o.shape).astype(np.float32) for o in outputs]


def _ours_loss(outputs, weights):
    return sum(((o * Tensor(w)).sum() for o, w in zip(outputs, weights)), Tensor(0.0))


def _theirs_loss(outputs, weights):
    return sum((o * torch.tensor(w)).sum() for o, w in zip(outputs, weights))


# ---------------------------------------------------------------------- PyTorch parity
@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("initial_state", [False, True])
def test_matches_torch_values_and_gradients(kind, return_sequences, go_backwards,
                                            initial_state):
    batch, steps, dim, units = 3, 6, 5, 4
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, steps, dim)).astype(np.float32)
    num_states = 2 if kind == "LSTM" else 1
    h0 = [rng.standard_normal((batch, units)).astype(np.float32) for _ in range(num_states)]
    layer = LAYERS[kind](units, return_sequences=return_sequences, return_state=True,
                         go_backwards=go_backwards)
    layer(Tensor(x))
    _randomize(layer)
    module = TORCH[kind](dim, units, batch_first=True)
    _copy_to_torch(module, layer.cell, kind)

    ours_x = Tensor(x, requires_grad=True)
    ours_h0 = [Tensor(h, requires_grad=True) for h in h0]
    ours = layer(ours_x, initial_state=ours_h0 if initial_state else None)
    theirs_x = torch.tensor(x, requires_grad=True)
    theirs_h0 = [torch.tensor(h[None], requires_grad=True) for h in h0]
    state_arg = (tuple(theirs_h0) if kind == "LSTM" else theirs_h0[0]) if initial_state \
        else None
    # Keras' go_backwards runs over the reversed sequence and returns outputs in that order.
    seq, final = module(theirs_x.flip(1) if go_backwards else theirs_x, state_arg)
    final = list(final) if kind == "LSTM" else [final]
    theirs = [seq if return_sequences else seq[:, -1]] + [s[0] for s in final]

    assert len(ours) == 1 + num_states
    for k, (o, t) in enumerate(zip(ours, theirs)):
        _close(o.data, t.detach().numpy(), f"output {k}")
    weights = _project(ours)
    _ours_loss(ours, weights).backward()
    _theirs_loss(theirs, weights).backward()
    _close(ours_x.grad, theirs_x.grad.numpy(), "input gradient")
    for ours_w, theirs_w, name in zip(layer.cell.weights, _torch_grads(module, layer.cell, kind),
                                      ("kernel", "recurrent_kernel", "bias")):
        _close(ours_w.grad, theirs_w, f"{name} gradient")
    if initial_state:
        for k, (o, t) in enumerate(zip(ours_h0, theirs_h0)):
            _close(o.grad, t.grad.numpy()[0], f"initial state {k} gradient")


def _padded_batch(seed=0, batch=4, steps=7, dim=5):
    rng = np.random.default_rng(seed)
    lengths = np.array([7, 3, 1, 5])[:batch]
    x = rng.standard_normal((batch, steps, dim)).astype(np.float32)
    return x, lengths, np.arange(steps)[None, :] < lengths[:, None]


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_mask_matches_torch_packed_sequences(kind):
    """Right-padded sequences with a mask equal PyTorch on packed sequences: outputs
    (zeros at the padding with zero_output_for_mask), final states and all gradients."""
    x, lengths, mask = _padded_batch()
    units, dim = 4, x.shape[2]
    layer = LAYERS[kind](units, return_sequences=True, return_state=True,
                         zero_output_for_mask=True)
    layer(Tensor(x))
    _randomize(layer, seed=3)
    module = TORCH[kind](dim, units, batch_first=True)
    _copy_to_torch(module, layer.cell, kind)

    ours_x = Tensor(x, requires_grad=True)
    ours = layer(ours_x, mask=mask)
    theirs_x = torch.tensor(x, requires_grad=True)
    packed = pack_padded_sequence(theirs_x, torch.tensor(lengths), batch_first=True,
                                  enforce_sorted=False)
    seq, final = module(packed)
    seq, _ = pad_packed_sequence(seq, batch_first=True, total_length=x.shape[1])
    theirs = [seq] + ([s[0] for s in final] if kind == "LSTM" else [final[0]])
    for k, (o, t) in enumerate(zip(ours, theirs)):
        _close(o.data, t.detach().numpy(), f"output {k}")
    weights = _project(ours)
    _ours_loss(ours, weights).backward()
    _theirs_loss(theirs, weights).backward()
    _close(ours_x.grad, theirs_x.grad.numpy(), "input gradient")
    assert not ours_x.grad[~mask].any(), "padding received a gradient"
    for ours_w, theirs_w in zip(layer.cell.weights, _torch_grads(module, layer.cell, kind)):
        _close(ours_w.grad, theirs_w, f"{ours_w.name} gradient")


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_masked_steps_repeat_the_previous_output(kind):
    """Keras' default (zero_output_for_mask=False): a masked step outputs the last output."""
    x, lengths, mask = _padded_batch()
    layer = LAYERS[kind](3, return_sequences=True)
    out = layer(Tensor(x), mask=mask).data
    for b, length in enumerate(lengths):
        np.testing.assert_array_equal(out[b, length:], np.broadcast_to(
            out[b, length - 1], out[b, length:].shape))
    unmasked = layer(Tensor(x)).data  # right padding: the real steps are unaffected
    np.testing.assert_allclose(out[mask], unmasked[mask], rtol=1e-6)


def test_embedding_mask_zero_reaches_the_lstm():
    ids = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 0, 0], [5, 0, 0, 0, 0]])
    embedding = Embedding(10, 6, mask_zero=True)
    lstm = LSTM(4, return_sequences=True)
    vectors = embedding(ids)
    out = lstm(vectors)
    np.testing.assert_array_equal(out._mask.data, ids != 0)
    explicit = lstm(Tensor(vectors.data), mask=ids != 0)
    np.testing.assert_array_equal(out.data, explicit.data)
    last = LSTM(4)(vectors)
    assert last._mask is None


# ---------------------------------------------------------------------- Bidirectional
def _bidirectional_torch(layer, kind, dim, units):
    module = TORCH[kind](dim, units, batch_first=True, bidirectional=True)
    _copy_to_torch(module, layer.forward_layer.cell, kind)
    _copy_to_torch(module, layer.backward_layer.cell, kind, "_reverse")
    return module


def _merge(mode, forward, backward):
    if mode == "concat":
        return torch.cat([forward, backward], dim=-1)
    return {"sum": forward + backward, "mul": forward * backward,
            "ave": (forward + backward) / 2}[mode]


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_bidirectional_matches_torch(merge_mode, return_sequences, masked):
    kind, units = "LSTM", 4
    x, lengths, mask = _padded_batch(seed=5)
    lengths = lengths if masked else np.full(len(lengths), x.shape[1])
    layer = Bidirectional(LSTM(units, return_sequences=return_sequences, return_state=True),
                          merge_mode=merge_mode)
    layer(Tensor(x))
    _randomize(layer, seed=2)
    module = _bidirectional_torch(layer, kind, x.shape[2], units)

    ours_x = Tensor(x, requires_grad=True)
    ours = layer(ours_x, mask=mask if masked else None)
    theirs_x = torch.tensor(x, requires_grad=True)
    packed = pack_padded_sequence(theirs_x, torch.tensor(lengths), batch_first=True,
                                  enforce_sorted=False)
    seq, (h_n, c_n) = module(packed)
    seq, _ = pad_packed_sequence(seq, batch_first=True, total_length=x.shape[1])
    forward, backward = (seq[..., :units], seq[..., units:]) if return_sequences else (
        h_n[0], h_n[1])
    merged = [forward, backward] if merge_mode is None else [_merge(merge_mode, forward,
                                                                    backward)]
    theirs = merged + [h_n[0], c_n[0], h_n[1], c_n[1]]
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        _close(o.data, t.detach().numpy(), f"output {k}")
    weights = _project(ours)
    _ours_loss(ours, weights).backward()
    _theirs_loss(theirs, weights).backward()
    _close(ours_x.grad, theirs_x.grad.numpy(), "input gradient")
    for sublayer, suffix in ((layer.forward_layer, ""), (layer.backward_layer, "_reverse")):
        for ours_w, theirs_w in zip(sublayer.cell.weights,
                                    _torch_grads(module, sublayer.cell, kind, suffix)):
            _close(ours_w.grad, theirs_w, f"{ours_w.name} gradient")


def test_bidirectional_initial_state_and_gru():
    x, _, _ = _padded_batch(seed=7)
    batch, units = x.shape[0], 3
    rng = np.random.default_rng(1)
    h0 = rng.standard_normal((2, batch, units)).astype(np.float32)
    layer = Bidirectional(GRU(units, return_sequences=True))
    layer(Tensor(x))
    _randomize(layer)
    module = _bidirectional_torch(layer, "GRU", x.shape[2], units)
    ours = layer(Tensor(x), initial_state=[Tensor(h0[0]), Tensor(h0[1])])
    theirs, _ = module(torch.tensor(x), torch.tensor(h0))
    _close(ours.data, theirs.detach().numpy(), "bidirectional GRU output")


# ---------------------------------------------------------------------- float64 gradcheck
@pytest.mark.parametrize("layer_cls", [SimpleRNN, LSTM, GRU])
def test_gradcheck_through_the_layer(layer_cls):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3))
    mask = np.array([[True, True, False, True], [False, True, True, True]])
    layer = layer_cls(3, return_sequences=True, go_backwards=True, dtype="float64")
    layer(Tensor(x, dtype="float64"))
    _randomize(layer)
    gradcheck(lambda inputs: layer(inputs, mask=mask), x)


# ---------------------------------------------------------------------- Keras details
def test_lstm_weights_layout_and_initialization():
    layer = LSTM(5)
    layer(Tensor(np.zeros((2, 3, 4))))
    kernel, recurrent, bias = layer.cell.weights
    assert kernel.shape == (4, 20) and recurrent.shape == (5, 20) and bias.shape == (20,)
    np.testing.assert_array_equal(bias.data, np.r_[np.zeros(5), np.ones(5), np.zeros(10)])
    np.testing.assert_allclose(recurrent.data @ recurrent.data.T, np.eye(5), atol=1e-5)
    assert [w.name for w in layer.weights] == [  # Keras 3's paths: lstm/lstm_cell/kernel
        f"{layer.name}/lstm_cell/{name}" for name in ("kernel", "recurrent_kernel", "bias")]
    no_forget = LSTM(5, unit_forget_bias=False)
    no_forget(Tensor(np.zeros((2, 3, 4))))
    assert not no_forget.cell.bias.data.any()


@pytest.mark.parametrize("reset_after, bias_shape", [(True, (2, 9)), (False, (9,))])
def test_gru_bias_shape(reset_after, bias_shape):
    layer = GRU(3, reset_after=reset_after)
    layer(Tensor(np.zeros((2, 3, 4))))
    assert layer.cell.bias.shape == bias_shape
    assert layer.cell.kernel.shape == (4, 9) and layer.cell.recurrent_kernel.shape == (3, 9)


def test_dropout_uses_the_fused_op_and_matches_the_step_loop():
    x = np.random.default_rng(0).standard_normal((3, 5, 4)).astype(np.float32)
    layer = LSTM(4, dropout=0.5, return_sequences=True, seed=1)
    assert layer(Tensor(x)).shape == (3, 5, 4)
    assert layer._uses_fused_op(training=True)
    layer.cell._generator = np.random.default_rng(7)
    fused = layer(Tensor(x), training=True).data
    layer.cell._generator = np.random.default_rng(7)
    layer._uses_fused_op = lambda training: False
    steps = layer(Tensor(x), training=True).data
    np.testing.assert_allclose(fused, steps, atol=1e-6)
    del layer._uses_fused_op
    assert not np.allclose(fused, layer(Tensor(x)).data)


@pytest.mark.parametrize("layer_cls", [SimpleRNN, LSTM, GRU])
def test_recurrent_dropout_trains_through_the_step_loop(layer_cls):
    x = Tensor(np.random.default_rng(0).standard_normal((3, 5, 4)), requires_grad=True)
    layer = layer_cls(4, dropout=0.2, recurrent_dropout=0.5, seed=0)
    assert not layer._uses_fused_op(training=True) and layer._uses_fused_op(training=False)
    out = layer(x, training=True)
    out.sum().backward()
    assert x.grad is not None and all(w.grad is not None for w in layer.weights)
    inference = layer(x).data
    plain = layer_cls(4)
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(inference, plain(x).data, rtol=1e-6)


def test_other_activations_use_the_step_loop():
    layer = SimpleRNN(3, activation="relu")
    assert not layer._uses_fused_op(training=False)
    out = layer(Tensor(np.random.default_rng(0).standard_normal((2, 4, 3))))
    assert (out.data >= 0).all()


# ---------------------------------------------------------------------- harness
@pytest.mark.parametrize("layer_cls, kwargs, expected_shape", [
    (SimpleRNN, {"units": 4}, (2, 4)),
    (LSTM, {"units": 4, "return_sequences": True}, (2, 5, 4)),
    (GRU, {"units": 4, "go_backwards": True}, (2, 4)),
    (GRU, {"units": 4, "reset_after": False}, (2, 4)),
    (LSTM, {"units": 4, "dropout": 0.1, "recurrent_dropout": 0.1, "seed": 3}, (2, 4)),
])
def test_run_layer_test(layer_cls, kwargs, expected_shape):
    run_layer_test(layer_cls, kwargs, (2, 5, 3), expected_shape, 3)


@pytest.mark.parametrize("cell", [SimpleRNNCell(4), LSTMCell(4), GRUCell(4)])
def test_rnn_wrapping_a_cell(cell):
    run_layer_test(RNN, {"cell": cell}, (2, 5, 3), (2, 4), 3)


class MinimalRNNCell(Layer):
    """Keras' example of a custom cell: output = x W + h R, one state."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units, self.state_size = units, units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units))
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, self.units))

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]


def test_rnn_drives_a_custom_cell_with_the_step_loop():
    x = np.random.default_rng(0).standard_normal((2, 4, 3))
    layer = RNN(MinimalRNNCell(5), return_sequences=True, go_backwards=True)
    out = layer(Tensor(x, dtype="float64"))
    kernel, recurrent = (w.data for w in layer.weights)
    h, expected = np.zeros((2, 5)), []
    for t in reversed(range(4)):
        h = x[:, t] @ kernel + h @ recurrent
        expected.append(h)
    np.testing.assert_allclose(out.data, np.stack(expected, axis=1), rtol=1e-5, atol=1e-6)


def test_bidirectional_run_layer_test():
    run_layer_test(Bidirectional, {"layer": LSTM(4, return_sequences=True)}, (2, 5, 3),
                   (2, 5, 8), 6)
    run_layer_test(Bidirectional, {"layer": GRU(4), "merge_mode": "sum"}, (2, 5, 3), (2, 4),
                   6)


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("layer", [LSTM(4), GRU(4), SimpleRNN(4), Bidirectional(LSTM(4))])
def test_wrong_rank_names_the_layer_and_the_shapes(layer):
    with pytest.raises(ValueError, match=rf"'{layer.name}'.*rank 3.*\(2, 3\)"):
        layer(np.zeros((2, 3)))


def test_wrong_feature_count_and_states_and_mask():
    layer = LSTM(4)
    layer(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"'lstm.*'.*size 3.*\(2, 5, 7\)"):
        layer(np.zeros((2, 5, 7)))
    with pytest.raises(ValueError, match=r"initial_state.*\(2, 4\)"):
        layer(np.zeros((2, 5, 3)), initial_state=[np.zeros((2, 4))])
    with pytest.raises(ValueError, match=r"mask.*\(2, 5\)"):
        layer(np.zeros((2, 5, 3)), mask=np.ones((2, 4), dtype=bool))


def test_unsupported_options_raise():
    with pytest.raises(ValueError, match="stateful=True needs a fixed batch size"):
        LSTM(4, stateful=True)(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="unknown constraint 'maxnorm2'"):
        GRU(4, kernel_constraint="maxnorm2")
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(4), merge_mode="max")
    with pytest.raises(ValueError, match="units"):
        SimpleRNN(0)
