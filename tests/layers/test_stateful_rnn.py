"""stateful=True on SimpleRNN, LSTM and GRU: states carry across batches of a fixed size."""

import warnings

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import GRU, LSTM, Bidirectional, Dense, Embedding, SimpleRNN
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import load_model

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 6, 2)).astype(np.float32)
LAYERS = [LSTM, GRU, SimpleRNN]


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_two_halves_statefully_equal_the_whole_sequence(cls, return_sequences):
    whole = cls(4, return_sequences=return_sequences)
    expected = whole(X).data
    stateful = cls(4, return_sequences=return_sequences, stateful=True, batch_size=3)
    stateful(X[:, :3])
    stateful.set_weights(whole.get_weights())
    stateful.reset_states()
    first = stateful(X[:, :3]).data
    second = stateful(X[:, 3:]).data
    if return_sequences:
        np.testing.assert_allclose(np.concatenate([first, second], 1), expected, rtol=1e-5,
                                   atol=1e-6)
    else:
        np.testing.assert_allclose(second, expected, rtol=1e-5, atol=1e-6)
    stateful.reset_states()
    np.testing.assert_allclose(stateful(X[:, :3]).data, first, rtol=1e-6)


def _stateful_model(kind):
    if kind == "input_batch_size":
        return Sequential([Input((3, 2), batch_size=3), LSTM(4, stateful=True)])
    if kind == "input_batch_shape":
        x = Input(batch_shape=(3, 3, 2))
        return Model(x, Dense(1)(LSTM(4, stateful=True)(x)))
    if kind == "batch_input_shape":
        return Sequential([LSTM(4, stateful=True, batch_input_shape=(3, 3, 2))])
    return Sequential([Input((3, 2)), LSTM(4, stateful=True, batch_size=3)])


@pytest.mark.parametrize("kind", ["input_batch_size", "input_batch_shape",
                                  "batch_input_shape", "layer_batch_size"])
def test_batch_size_comes_from_input_or_first_layer(kind):
    with warnings.catch_warnings():  # batch_input_shape= warns (once per process)
        warnings.simplefilter("ignore")
        model = _stateful_model(kind)
    lstm = next(layer for layer in model.layers if isinstance(layer, LSTM))
    assert lstm.states is None  # building the model on placeholders keeps no state
    first = model.predict(X[:, :3], verbose=0, batch_size=3)
    again = model.predict(X[:, :3], verbose=0, batch_size=3)
    assert not np.allclose(first, again)  # the second call started from the first's states
    model.reset_states()
    np.testing.assert_allclose(model.predict(X[:, :3], verbose=0, batch_size=3), first,
                               rtol=1e-6)
    with pytest.raises(ValueError, match=r"'lstm.*' \(LSTM\): stateful=True with a batch "
                                         r"size of 3, got a batch of 2 samples"):
        model.predict(X[:2, :3], verbose=0)


def test_stateful_without_a_batch_size_says_how_to_give_one():
    model = Sequential([Input((3, 2)), GRU(2, stateful=True, name="g")])
    with pytest.raises(ValueError, match=r"'g' \(GRU\): stateful=True needs a fixed batch "
                                         r"size.*Input\(shape=\.\.\., batch_size=N\)"):
        model.predict(X, verbose=0)


def test_states_are_cut_from_the_graph_and_gradcheck_of_a_carried_batch():
    layer = LSTM(3, stateful=True, batch_size=3, dtype="float64")
    first = Tensor(X[:, :3], requires_grad=True, dtype="float64")
    layer(first)
    assert all(not state.requires_grad for state in layer.states)
    carried = [state.data.copy() for state in layer.states]

    def second_batch(inputs):
        layer.reset_states(carried)
        return layer(inputs)

    gradcheck(second_batch, X[:, 3:].astype(np.float64))
    second_batch(Tensor(X[:, 3:], dtype="float64"))
    with pytest.raises(ValueError, match=r"reset_states expected 2 array\(s\) of shapes "
                                         r"\[\(3, 3\), \(3, 3\)\]"):
        layer.reset_states([np.zeros((2, 3))])


def test_fit_carries_states_and_refuses_a_short_last_batch():
    model = Sequential([Input((3, 2), batch_size=2), SimpleRNN(3, stateful=True), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = RNG.standard_normal((4, 3, 2)).astype(np.float32), np.zeros((4, 1), np.float32)
    model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    rnn = model.layers[0]
    assert rnn.states is not None and np.abs(rnn.states[0].data).sum() > 0
    with pytest.raises(ValueError, match="batch size of 2, got a batch of 1 samples"):
        model.fit(x[:3], y[:3], batch_size=2, epochs=1, shuffle=False, verbose=0)


def test_stateful_model_saves_and_loads_with_its_batch_size(tmp_path):
    for model in (Sequential([Input((3, 2), batch_size=3), LSTM(4, stateful=True)]),
                  Sequential([Input((3, 2)), GRU(4, stateful=True, batch_size=3)])):
        model.save(tmp_path / "stateful.keras")
        loaded = load_model(tmp_path / "stateful.keras")
        rnn = loaded.layers[0]
        assert rnn.stateful and rnn.get_config()["batch_size"] == 3
        np.testing.assert_allclose(loaded.predict(X[:, :3], verbose=0),
                                   model.predict(X[:, :3], verbose=0), rtol=1e-6)
        np.testing.assert_allclose(loaded.predict(X[:, 3:], verbose=0),  # both carried on
                                   model.predict(X[:, 3:], verbose=0), rtol=1e-5, atol=1e-6)


def test_bidirectional_stateful_and_reset_states_on_non_stateful():
    layer = Bidirectional(LSTM(2, stateful=True, batch_size=3))
    first = layer(X).data
    assert not np.allclose(layer(X).data, first)
    layer.reset_states()
    np.testing.assert_allclose(layer(X).data, first, rtol=1e-6)
    with pytest.raises(AttributeError, match=r"reset_states\(\) needs stateful=True"):
        LSTM(2).reset_states()


def test_batch_input_shape_of_an_embedding_reaches_a_later_stateful_lstm():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Sequential([Embedding(10, 3, batch_input_shape=(2, 4)),
                            LSTM(2, stateful=True)])
    ids = RNG.integers(1, 10, (2, 4))
    first = model.predict(ids, verbose=0)
    assert not np.allclose(model.predict(ids, verbose=0), first)
    with pytest.raises(ValueError, match="batch size of 2, got a batch of 1"):
        model.predict(ids[:1], verbose=0)
