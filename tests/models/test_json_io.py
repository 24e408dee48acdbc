"""to_json / model_from_json: architecture only, validated like a saved file."""

import json

import numpy as np
import pytest

from dlpath.keras import Input, Model, layers, models
from dlpath.saving import SaveFileError, register_serializable


def functional():
    x = Input(shape=(6,), name="features")
    h = layers.Dense(5, activation="relu", name="hidden")(x)
    a = layers.Dense(3, name="a")(h)
    b = layers.Dense(2, activation="softmax", name="b")(h)
    return Model(x, [a, b], name="two_heads")


def test_to_json_holds_the_saved_architecture_and_round_trips():
    model = functional()
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Functional" and "weights" not in config
    rebuilt = models.model_from_json(text)
    assert rebuilt.to_json() == text
    assert [l.name for l in rebuilt.layers] == [l.name for l in model.layers]
    assert rebuilt.count_params() == model.count_params()
    out = rebuilt.predict(np.ones((4, 6), "float32"), verbose=0)
    assert [o.shape for o in out] == [(4, 3), (4, 2)]


def test_sequential_round_trip_and_json_kwargs():
    model = models.Sequential([Input((4,)), layers.Dense(3), layers.Dense(1)])
    text = model.to_json(indent=2)
    assert "\n  " in text
    rebuilt = models.model_from_json(text)
    assert isinstance(rebuilt, models.Sequential)
    assert [w.shape for w in rebuilt.weights] == [w.shape for w in model.weights]


def test_custom_layer_needs_custom_objects():
    class Scale(layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    x = Input((3,))
    model = Model(x, Scale(name="scale")(x))
    register_serializable("JsonIoTest")(Scale)
    text = model.to_json()
    assert models.model_from_json(text, custom_objects={"Scale": Scale}).layers[-1].name \
        == "scale"


@pytest.mark.parametrize("text, words", [
    ("not json", "not valid JSON"),
    ("[1, 2]", "does not describe a model"),
    (json.dumps({"class_name": "Lambda", "config": {"function": "x"}}), "code"),
    (json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"units": 1 << 40}}]}}), "units"),
    (json.dumps({"class_name": "NoSuchModel", "config": {}}), "NoSuchModel"),
    (json.dumps({"class_name": "Dense", "config": {"units": 2}}), "not a model"),
])
def test_bad_json_is_refused_with_a_clear_error(text, words):
    with pytest.raises(SaveFileError, match=words):
        models.model_from_json(text)


def test_model_from_json_argument_types():
    with pytest.raises(TypeError, match="json_string"):
        models.model_from_json({"class_name": "Sequential"})
    with pytest.raises(TypeError, match="custom_objects"):
        models.model_from_json("{}", custom_objects=[1])


def test_yaml_is_removed_as_in_tf_keras():
    with pytest.raises(RuntimeError, match="security risk"):
        functional().to_yaml()
    with pytest.raises(RuntimeError, match="model_from_json"):
        models.model_from_yaml("a: 1")
