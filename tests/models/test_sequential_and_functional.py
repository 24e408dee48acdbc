"""Building models: Sequential, functional and subclassed; summary; weights; freezing."""

import numpy as np
import pytest

import dlpath as tf
from dlpath.keras import Input, Model, Sequential
from dlpath.keras.layers import Concatenate, Dense, Dropout, Embedding, Flatten


def mlp():
    return Sequential([Flatten(input_shape=(28, 28)), Dense(128, activation="relu"),
                       Dense(10, activation="softmax")])


def test_sequential_with_input_shape_is_built_at_once_and_summarised_like_keras(capsys):
    model = mlp()
    assert model.built and model.count_params() == 101_770
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential' in text
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "(None, 784)" in text and "(None, 128)" in text and "100480" in text
    assert "Total params: 101,770" in text
    assert "Trainable params: 101,770" in text and "Non-trainable params: 0" in text


def test_sequential_accepts_input_and_add_and_pop():
    model = Sequential()
    model.add(Input(shape=(4,)))
    model.add(Dense(3))
    model.add(Dense(2))
    assert [w.shape for w in model.weights] == [(4, 3), (3,), (3, 2), (2,)]
    model.pop()
    assert len(model.layers) == 1
    with pytest.raises(TypeError, match="expected a Layer"):
        model.add("dense")


def test_sequential_without_input_shape_builds_on_first_call():
    model = Sequential([Dense(3), Dense(1)])
    assert not model.built
    out = model(np.ones((2, 5)))
    assert out.shape == (2, 1) and model.built


def test_sequential_reports_a_wrong_input_shape_with_the_layer_name():
    model = mlp()
    with pytest.raises(ValueError, match=r"Dense.*axis -1.*size 784"):
        model.predict(np.ones((2, 27, 28)), verbose=0)


def test_functional_model_with_two_inputs_and_two_outputs():
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    joined = Concatenate()([Dense(4, activation="relu")(a), b])
    out1 = Dense(1, name="regression")(joined)
    out2 = Dense(3, activation="softmax", name="classes")(joined)
    model = Model(inputs=[a, b], outputs=[out1, out2])
    assert model.output_names == ["regression", "classes"]
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((64, 3)), rng.standard_normal((64, 2))
    y1, y2 = xa.sum(1, keepdims=True), (xa[:, 0] > 0).astype(int) + (xb[:, 0] > 0)
    model.compile("adam", loss={"regression": "mse",
                                "classes": "sparse_categorical_crossentropy"},
                  loss_weights={"regression": 0.5, "classes": 1.0},
                  metrics={"classes": ["accuracy"]})
    history = model.fit([xa, xb], {"regression": y1, "classes": y2}, epochs=3, verbose=0)
    assert set(history.history) == {"loss", "regression_loss", "classes_loss",
                                     "classes_accuracy"}
    first = history.history
    assert first["loss"][-1] == pytest.approx(0.5 * first["regression_loss"][-1]
                                              + first["classes_loss"][-1], rel=1e-4)
    pred1, pred2 = model.predict({"a": xa, "b": xb}, verbose=0)
    assert pred1.shape == (64, 1) and pred2.shape == (64, 3)


def test_functional_model_must_start_from_its_inputs():
    a, b = Input(shape=(3,)), Input(shape=(3,))
    out = Dense(1)(Concatenate()([a, b]))
    with pytest.raises(ValueError, match="not among the model's inputs"):
        Model(inputs=a, outputs=out)


def test_subclassed_model_trains():
    class TwoLayer(Model):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(8, activation="relu")
            self.drop = Dropout(0.1)
            self.out = Dense(1)

        def call(self, x, training=False):
            return self.out(self.drop(self.hidden(x), training=training))

    rng = np.random.default_rng(1)
    x = rng.standard_normal((128, 4))
    y = x @ np.array([[1.0], [-2.0], [0.5], [0.0]])
    model = TwoLayer()
    model.compile(tf.keras.optimizers.Adam(0.01), "mse")
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    assert len(model.trainable_weights) == 4


def test_freezing_a_layer_keeps_its_weights_during_fit():
    model = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
    model.layers[0].trainable = False
    frozen = model.layers[0].get_weights()
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3)), np.ones((8, 1)), verbose=0)
    for before, after in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(before, after)
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2


def test_get_and_set_weights_round_trip():
    a, b = mlp(), mlp()
    b.set_weights(a.get_weights())
    x = np.random.default_rng(2).integers(0, 255, (4, 28, 28)).astype(np.uint8)
    np.testing.assert_array_equal(a.predict(x, verbose=0), b.predict(x, verbose=0))


def test_embedding_model_keeps_integer_ids():
    model = Sequential([Embedding(20, 4, input_length=5), Flatten(), Dense(1)])
    out = model.predict(np.arange(10).reshape(2, 5), verbose=0)
    assert out.shape == (2, 1)


def test_sequential_and_functional_configs_rebuild_the_model():
    model = mlp()
    clone = Sequential.from_config(model.get_config())
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    assert clone.count_params() == model.count_params()
    a = Input(shape=(3,))
    functional = Model(a, Dense(2)(Dense(4, activation="relu")(a)))
    rebuilt = Model.from_config(functional.get_config())
    assert rebuilt.count_params() == functional.count_params() == 26
