"""Whole models through model.save / load_model: Sequential, functional (several inputs and
outputs, shared layers, nested models, call arguments), registered subclassed models."""

import json
import zipfile

import numpy as np
import pytest

from dlpath.layers import (
    LSTM, BatchNormalization, Bidirectional, Concatenate, Conv2D, Dense, Dropout, Embedding,
    Flatten, GlobalAveragePooling1D, Layer, MaxPooling2D, MultiHeadAttention,
)
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import load_model, register_serializable

RNG = np.random.default_rng(1)


def _same_predictions(model, loaded, x):
    expected, actual = model.predict(x, verbose=0), loaded.predict(x, verbose=0)
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected)
        for e, a in zip(expected, actual):
            np.testing.assert_array_equal(a, e)
    else:
        np.testing.assert_array_equal(actual, expected)


def _round_trip(model, tmp_path, name="model.keras", **kwargs):
    path = tmp_path / name
    model.save(path)
    return load_model(path, **kwargs)


@pytest.mark.filterwarnings("ignore:Passing input_shape")
def test_sequential_mlp_with_tf_keras_2_input_shape(tmp_path):
    model = Sequential([Flatten(input_shape=(4, 3)), Dense(8, activation="relu"),
                        Dropout(0.2), Dense(3, activation="softmax")], name="mlp")
    x = RNG.standard_normal((5, 4, 3)).astype("float32")
    loaded = _round_trip(model, tmp_path)
    assert type(loaded) is Sequential and loaded.name == "mlp"
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    _same_predictions(model, loaded, x)


def test_sequential_cnn(tmp_path):
    model = Sequential([Input((8, 8, 1)), Conv2D(4, 3, activation="relu", padding="same"),
                        BatchNormalization(), MaxPooling2D(), Flatten(), Dense(2)])
    x = RNG.standard_normal((3, 8, 8, 1)).astype("float32")
    model.predict(x, verbose=0)
    _same_predictions(model, _round_trip(model, tmp_path), x)


def test_sequential_text_model_with_integer_input(tmp_path):
    model = Sequential([Input((6,), dtype="int32"), Embedding(20, 4, mask_zero=True),
                        Bidirectional(LSTM(3, return_sequences=True)),
                        GlobalAveragePooling1D(), Dense(1, activation="sigmoid")])
    x = RNG.integers(0, 20, size=(4, 6)).astype("int32")
    loaded = _round_trip(model, tmp_path)
    assert loaded.layers[0].get_config()["mask_zero"] is True
    _same_predictions(model, loaded, x)


def test_sequential_built_by_calling_it(tmp_path):
    model = Sequential([Dense(4), Dense(1)])
    x = RNG.standard_normal((2, 3)).astype("float32")
    model.predict(x, verbose=0)
    _same_predictions(model, _round_trip(model, tmp_path), x)


def test_functional_two_inputs_two_outputs(tmp_path):
    image, meta = Input((4, 4, 1), name="image"), Input((3,), name="meta")
    features = Flatten()(Conv2D(2, 2, activation="relu")(image))
    merged = Concatenate()([features, Dense(4)(meta)])
    score = Dense(1, name="score")(merged)
    label = Dense(3, activation="softmax", name="label")(merged)
    model = Model(inputs=[image, meta], outputs=[score, label], name="two_by_two")
    x = [RNG.standard_normal((5, 4, 4, 1)).astype("float32"),
         RNG.standard_normal((5, 3)).astype("float32")]
    loaded = _round_trip(model, tmp_path)
    assert loaded.name == "two_by_two"
    assert [t.name for t in loaded.inputs] == ["image", "meta"]
    assert loaded.output_names == ["score", "label"]
    _same_predictions(model, loaded, x)


def test_functional_dict_inputs(tmp_path):
    a, b = Input((2,), name="a"), Input((2,), name="b")
    model = Model({"a": a, "b": b}, Dense(1)(Concatenate()([a, b])))
    x = {"a": np.ones((2, 2), "float32"), "b": np.zeros((2, 2), "float32")}
    _same_predictions(model, _round_trip(model, tmp_path), x)


def test_functional_shared_layer_and_multi_output_layer(tmp_path):
    a, b = Input((3,)), Input((3,))
    shared = Dense(4, name="shared")
    sequence = Input((5, 4))
    outputs, state_h, _ = LSTM(4, return_sequences=True, return_state=True)(sequence)
    pooled = GlobalAveragePooling1D()(outputs)
    total = Concatenate()([shared(a), shared(b), state_h, pooled])
    model = Model([a, b, sequence], Dense(1)(total))
    x = [RNG.standard_normal((2, 3)).astype("float32"),
         RNG.standard_normal((2, 3)).astype("float32"),
         RNG.standard_normal((2, 5, 4)).astype("float32")]
    loaded = _round_trip(model, tmp_path)
    assert sum(layer.name == "shared" for layer in loaded.layers) == 1
    _same_predictions(model, loaded, x)


def test_functional_keeps_non_tensor_call_arguments(tmp_path):
    tokens = Input((5, 4))
    attended, scores = MultiHeadAttention(num_heads=2, key_dim=2)(
        tokens, tokens, use_causal_mask=True, return_attention_scores=True)
    model = Model(tokens, [attended, scores])
    x = RNG.standard_normal((2, 5, 4)).astype("float32")
    loaded = _round_trip(model, tmp_path)
    config = json.loads(zipfile.ZipFile(tmp_path / "model.keras").read("config.json"))
    attention = [e for e in config["config"]["layers"] if e["class_name"] == "MultiHeadAttention"]
    kwargs = attention[0]["inbound_nodes"][0]["kwargs"]
    assert kwargs["use_causal_mask"] is True and kwargs["return_attention_scores"] is True
    assert config["config"]["output_layers"][1][2] == 1  # the second output of the call
    _same_predictions(model, loaded, x)


def test_nested_sequential_inside_functional(tmp_path):
    inner = Sequential([Input((3,)), Dense(4, activation="relu"), Dense(2)], name="inner")
    x_in = Input((3,))
    model = Model(x_in, Dense(1)(inner(x_in)))
    x = RNG.standard_normal((4, 3)).astype("float32")
    loaded = _round_trip(model, tmp_path)
    assert type(loaded.get_layer("inner")) is Sequential
    _same_predictions(model, loaded, x)


def test_frozen_layer_stays_frozen(tmp_path):
    model = Sequential([Input((3,)), Dense(4, name="frozen"), Dense(1)])
    model.get_layer("frozen").trainable = False
    loaded = _round_trip(model, tmp_path)
    assert loaded.get_layer("frozen").trainable is False
    assert len(loaded.trainable_weights) == len(model.trainable_weights) == 2


@register_serializable(package="saving_tests")
class TinyResidual(Model):
    """A subclassed model with a constructor argument and a get_config that returns it."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = Dense(units, activation="tanh")
        self.head = Dense(2)

    def call(self, inputs, training=False):
        return self.head(self.hidden(inputs) + inputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_registered_subclassed_model(tmp_path):
    model = TinyResidual(units=3, name="residual")
    x = RNG.standard_normal((4, 3)).astype("float32")
    model.predict(x, verbose=0)
    loaded = _round_trip(model, tmp_path)
    assert type(loaded) is TinyResidual and loaded.units == 3 and loaded.name == "residual"
    _same_predictions(model, loaded, x)


def test_subclassed_model_through_custom_objects(tmp_path):
    model = TinyResidual(units=3)
    x = RNG.standard_normal((2, 3)).astype("float32")
    model.predict(x, verbose=0)
    loaded = _round_trip(model, tmp_path, custom_objects={"TinyResidual": TinyResidual})
    _same_predictions(model, loaded, x)


class Unregistered(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = Dense(2)

    def call(self, inputs, training=False):
        return self.dense(inputs)


def test_unregistered_subclassed_model_is_refused_at_save_time(tmp_path):
    model = Unregistered()
    model.predict(np.ones((1, 3), "float32"), verbose=0)
    with pytest.raises(ValueError, match="register_serializable.*save_weights"):
        model.save(tmp_path / "model.keras")
    assert not (tmp_path / "model.keras").exists()
    model.save_weights(tmp_path / "model.weights.npz")  # weights alone are fine


@register_serializable(package="saving_tests")
class Scale(Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_custom_layer_in_a_sequential_model(tmp_path):
    model = Sequential([Input((3,)), Scale(3.0), Dense(2)])
    x = RNG.standard_normal((2, 3)).astype("float32")
    loaded = _round_trip(model, tmp_path)
    assert type(loaded.layers[0]) is Scale and loaded.layers[0].factor == 3.0
    _same_predictions(model, loaded, x)


class Offset(Layer):
    """A custom layer that is not registered: loading needs custom_objects."""

    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def test_unregistered_custom_layer_loads_through_custom_objects(tmp_path):
    model = Sequential([Input((3,)), Offset(0.5), Dense(2)])
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match="unknown class 'Offset'.*custom_objects"):
        load_model(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras", custom_objects={"Offset": Offset})
    x = RNG.standard_normal((2, 3)).astype("float32")
    assert loaded.layers[0].offset == 0.5
    _same_predictions(model, loaded, x)
