"""StackedRNNCells equals stacked recurrent layers with the same weights (values and
gradients), gradcheck in float64, config and save/load round trips; AbstractRNNCell and
Wrapper as bases of custom cells and wrappers."""

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck, ops
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import (
    GRU, LSTM, RNN, AbstractRNNCell, Dense, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
    StackedRNNCells, Wrapper,
)

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype(np.float32)


def _pair(return_sequences):
    stacked = RNN(StackedRNNCells([LSTMCell(6), GRUCell(3), SimpleRNNCell(2)]),
                  return_sequences=return_sequences, return_state=True)
    stacked(X)  # builds the cells
    first, second = LSTM(6, return_sequences=True), GRU(3, return_sequences=True)
    third = SimpleRNN(2, return_sequences=return_sequences, return_state=True)
    first(X)
    second(np.zeros((3, 5, 6), np.float32))
    third(np.zeros((3, 5, 3), np.float32))
    weights = stacked.get_weights()
    first.set_weights(weights[:3])
    second.set_weights(weights[3:6])
    third.set_weights(weights[6:])
    return stacked, (first, second, third)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_stacked_cells_equal_stacked_layers(return_sequences):
    stacked, (first, second, third) = _pair(return_sequences)
    inputs = Tensor(X, requires_grad=True)
    out, h1, c1, h2, h3 = stacked(inputs)
    reference = Tensor(X, requires_grad=True)
    expected, h3_ref = third(second(first(reference)))
    np.testing.assert_allclose(out.data, expected.data, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h3.data, h3_ref.data, rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(1).standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(g)
    np.testing.assert_allclose(inputs.grad, reference.grad, rtol=1e-4, atol=1e-5)
    assert [h1.shape, c1.shape, h2.shape, h3.shape] == [(3, 6), (3, 6), (3, 3), (3, 2)]
    assert stacked.cell.state_size == [6, 6, 3, 2] and stacked.cell.output_size == 2


def test_gradcheck_in_float64():
    layer = RNN(StackedRNNCells([GRUCell(2, dtype="float64"), LSTMCell(3, dtype="float64")],
                                dtype="float64"), dtype="float64")
    gradcheck(lambda v: layer(v), np.random.default_rng(2).standard_normal((2, 3, 2)))


def test_config_round_trip_and_save_load(tmp_path):
    cell = StackedRNNCells([LSTMCell(4, dropout=0.1), GRUCell(3)], name="stack")
    clone = StackedRNNCells.from_config(cell.get_config())
    assert [type(c).__name__ for c in clone.cells] == ["LSTMCell", "GRUCell"]
    assert clone.get_config() == cell.get_config()
    inputs = Input((5, 4))
    h = RNN(StackedRNNCells([LSTMCell(4), GRUCell(3)]), return_sequences=True)(inputs)
    model = Model(inputs, Dense(2)(h))
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)
    assert len(loaded.weights) == len(model.weights) == 8


def test_training_with_dropout_in_the_cells_runs_and_resets_masks():
    layer = RNN(StackedRNNCells([LSTMCell(4, dropout=0.5, recurrent_dropout=0.5, seed=1),
                                 GRUCell(2, dropout=0.5, seed=2)]))
    a = layer(X, training=True).data
    assert layer.cell.cells[0]._dropout_mask is None  # reset after the sequence
    np.testing.assert_array_equal(layer(X).data, layer(X).data)
    assert a.shape == (3, 2)


class MinimalCell(AbstractRNNCell):
    """h_t = tanh(x_t W + h_{t-1}): a custom cell on the abstract base."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units))

    def call(self, inputs, states):
        h = ops.matmul(inputs, self.kernel) + states[0]
        h = h.tanh()
        return h, [h]


class Doubled(Wrapper):
    def call(self, inputs):
        return self.layer(inputs) * 2


def test_abstract_cell_and_wrapper_bases():
    layer = RNN(StackedRNNCells([MinimalCell(3), MinimalCell(2)]))
    out = layer(X)
    kernel1, kernel2 = layer.get_weights()
    h1 = np.zeros((3, 3))
    h2 = np.zeros((3, 2))
    for t in range(5):
        h1 = np.tanh(X[:, t] @ kernel1 + h1)
        h2 = np.tanh(h1 @ kernel2 + h2)
    np.testing.assert_allclose(out.data, h2, rtol=1e-5, atol=1e-6)
    with pytest.raises(NotImplementedError, match="must define state_size"):
        AbstractRNNCell().state_size
    wrapped = Doubled(Dense(3))
    y = wrapped(X[:, 0])
    np.testing.assert_allclose(y.data, 2 * wrapped.layer(X[:, 0]).data, rtol=1e-6)
    clone = Doubled.from_config(wrapped.get_config())
    assert type(clone.layer) is Dense and clone.layer.units == 3


def test_errors_name_the_layer_and_argument():
    with pytest.raises(TypeError, match=r"StackedRNNCells: cells must be a non-empty list"):
        StackedRNNCells([])
    with pytest.raises(TypeError, match=r"StackedRNNCells: cells\[1\] must be an RNN cell"):
        StackedRNNCells([LSTMCell(2), Dense(3)])
    with pytest.raises(TypeError, match=r"Wrapper: layer must be a Layer instance"):
        Wrapper("dense")
    cell = StackedRNNCells([LSTMCell(2)], name="st")
    cell.build((1, 3))
    with pytest.raises(ValueError, match=r"'st' \(StackedRNNCells\): expected 2 states"):
        cell(np.zeros((1, 3), np.float32), [np.zeros((1, 2), np.float32)])


def test_rnn_given_a_list_of_cells_stacks_them_as_keras_does():
    import numpy as np

    from dlpath import keras

    cells = [keras.layers.LSTMCell(3), keras.layers.GRUCell(2)]
    layer = keras.layers.RNN(cells, return_sequences=True)
    x = np.random.default_rng(0).normal(size=(2, 4, 5)).astype("float32")
    y = np.asarray(layer(x))
    assert y.shape == (2, 4, 2)
    stacked = keras.layers.RNN(keras.layers.StackedRNNCells(
        [keras.layers.LSTMCell(3), keras.layers.GRUCell(2)]), return_sequences=True)
    stacked(x)
    stacked.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(stacked(x)), y, rtol=1e-6)
