"""Masking: padded steps are skipped by recurrent layers, as with Embedding(mask_zero=True)."""

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import GRU, LSTM, Bidirectional, Dense, Masking, SimpleRNN
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from harness import run_layer_test

RNG = np.random.default_rng(0)
LENGTHS = [5, 3, 1]


def _padded(mask_value=0.0):
    real = [RNG.standard_normal((n, 3)).astype(np.float32) for n in LENGTHS]
    padded = np.full((len(real), 5, 3), mask_value, np.float32)
    for i, sequence in enumerate(real):
        padded[i, :len(sequence)] = sequence
    return real, padded


@pytest.mark.parametrize("recurrent", [lambda: LSTM(4), lambda: GRU(4),
                                       lambda: SimpleRNN(4)])
@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_masking_then_rnn_equals_the_rnn_on_unpadded_sequences(recurrent, mask_value):
    real, padded = _padded(mask_value)
    inputs = Input((5, 3))
    rnn = recurrent()
    model = Model(inputs, rnn(Masking(mask_value)(inputs)))
    out = model.predict(padded, verbose=0)
    for i, sequence in enumerate(real):
        np.testing.assert_allclose(out[i], rnn(sequence[None]).data[0], rtol=1e-5, atol=1e-6)


def test_masking_in_sequential_with_return_sequences_and_bidirectional():
    real, padded = _padded()
    lstm = LSTM(2, return_sequences=True)
    model = Sequential([Input((5, 3)), Masking(), Bidirectional(LSTM(2)), Dense(1)])
    assert model.predict(padded, verbose=0).shape == (3, 1)
    seq = Sequential([Input((5, 3)), Masking(), lstm])
    out = seq.predict(padded, verbose=0)
    short = lstm(real[1][None]).data[0]
    np.testing.assert_allclose(out[1, :3], short, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[1, 3:], np.repeat(short[-1:], 2, axis=0), rtol=1e-5,
                               atol=1e-6)  # masked steps repeat the last output


def test_masking_output_mask_and_values():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]]], np.float32)
    out = Masking()(x)
    np.testing.assert_array_equal(np.asarray(out._mask.data), [[True, False, True]])
    np.testing.assert_array_equal(out.data, x)
    y = Masking(mask_value=1.0)(np.array([[[1.0, 1.0], [1.0, 2.0]]], np.float32))
    np.testing.assert_array_equal(y.data, [[[0.0, 0.0], [1.0, 2.0]]])
    np.testing.assert_array_equal(np.asarray(y._mask.data), [[False, True]])


def test_masking_harness_and_gradcheck():
    run_layer_test(Masking, {"mask_value": 0.5}, (2, 4, 3), (2, 4, 3), 0)
    x = RNG.standard_normal((2, 4, 3))
    # Finite differences only where the mask cannot flip (at a padded step, moving one
    # feature off mask_value makes the step real: the layer is not differentiable there).
    gradcheck(lambda t: Masking(dtype="float64")(t) * 2.0, x)
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    layer = Masking(dtype="float64")
    inputs = Tensor(x, requires_grad=True, dtype="float64")
    layer(inputs).backward(np.ones(x.shape))
    np.testing.assert_array_equal(inputs.grad[0, 1], 0.0)  # padding gets no gradient
    np.testing.assert_array_equal(inputs.grad[0, 0], 1.0)


def test_masking_bad_arguments():
    with pytest.raises(TypeError, match="Masking: mask_value must be a number"):
        Masking("zero")
    with pytest.raises(ValueError, match=r"\(Masking\).*rank >= 2"):
        Masking()(np.zeros((3,)))
