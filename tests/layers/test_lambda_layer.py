"""Lambda: functions and lambdas in Sequential and functional models, output_shape, masks,
gradients, and saving by registered name only (never code)."""

import json
import zipfile

import numpy as np
import pytest

from dlpath.engine import gradcheck, ops
from dlpath.keras.utils import register_keras_serializable
from dlpath.layers import Dense, Embedding, Lambda
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import load_model, register_serializable
from harness import run_layer_test


@register_keras_serializable(package="lambda_tests")
def double(x):
    return x * 2


@register_serializable(package="lambda_tests")
def scaled_sum(x, factor=1.0):
    return ops.sum(x, axis=-1, keepdims=True) * factor


square = register_keras_serializable(package="lambda_tests", name="square")(lambda x: x * x)


def halve(x):  # not registered
    return x * 0.5


X = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)


def _edit_config(path, edit):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _lambda_entry(config):
    return next(e for e in config["config"]["layers"] if e["class_name"] == "Lambda")


def test_lambda_in_sequential_and_functional_models():
    seq = Sequential([Input((3,)), Lambda(lambda x: x + 1.0), Dense(2)])
    assert seq.predict(X, verbose=0).shape == (4, 2)
    inputs = Input((3,))
    outputs = Lambda(double)(Lambda(lambda x: x - 1.0)(inputs))
    np.testing.assert_allclose(Model(inputs, outputs).predict(X, verbose=0), (X - 1) * 2,
                               rtol=1e-6)
    a, b = Input((3,)), Input((3,))
    merged = Lambda(lambda pair: pair[0] * pair[1])([a, b])
    np.testing.assert_allclose(Model([a, b], merged).predict([X, X], verbose=0), X * X,
                               rtol=1e-6)


def test_lambda_harness_arguments_and_gradients():
    layer, _ = run_layer_test(Lambda, {"function": scaled_sum, "arguments": {"factor": 3.0}},
                              (4, 3), (4, 1), 0)
    np.testing.assert_allclose(layer(X).data, X.sum(-1, keepdims=True) * 3, rtol=1e-5)
    tanh_sum = Lambda(lambda x: ops.sum(x.tanh() * x, axis=-1), dtype="float64")
    gradcheck(lambda t: tanh_sum(t), np.random.default_rng(1).standard_normal((3, 4)))


def test_output_shape_is_honoured_and_checked():
    layer = Lambda(lambda x: ops.concatenate([x, x], axis=-1), output_shape=(6,))
    assert layer.compute_output_shape((None, 3)) == (None, 6)
    assert layer(X).shape == (4, 6)
    wrong = Lambda(lambda x: x, output_shape=(5,), name="wrong")
    with pytest.raises(ValueError, match=r"'wrong' \(Lambda\).*\(4, 3\).*output_shape.*\(5,\)"):
        wrong(X)
    by_function = Lambda(lambda x: x[:, :2], output_shape=lambda s: (s[0], 2))
    assert by_function.compute_output_shape((None, 3)) == (None, 2)


def test_function_receives_mask_and_training_when_it_takes_them():
    seen = {}

    def spy(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    ids = np.array([[1, 2, 0]])
    inputs = Input((3,), dtype="int64")
    x = Embedding(5, 2, mask_zero=True)(inputs)
    Model(inputs, Lambda(spy)(x)).predict(ids, verbose=0)
    np.testing.assert_array_equal(np.asarray(seen["mask"].data), [[True, True, False]])
    assert seen["training"] is False
    passes = Lambda(lambda x: x, mask=lambda inputs, mask: mask)
    emb = Embedding(5, 2, mask_zero=True)(ids)
    assert passes(emb)._mask is not None
    assert Lambda(lambda x: x)(emb)._mask is None  # by default the mask stops here


def test_lambda_with_registered_functions_round_trips(tmp_path):
    inputs = Input((3,))
    x = Lambda(double)(inputs)
    x = Lambda(square, output_shape=(3,))(x)
    x = Lambda(scaled_sum, arguments={"factor": 0.5})(x)
    model = Model(inputs, x)
    path = tmp_path / "lambda.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        saved = archive.read("config.json").decode()
    assert "lambda_tests>double" in saved and "lambda_tests>square" in saved
    loaded = load_model(path)
    expected = (X * 2) ** 2
    np.testing.assert_allclose(loaded.predict(X, verbose=0),
                               expected.sum(-1, keepdims=True) * 0.5, rtol=1e-5)
    functions = [layer.function for layer in loaded.layers if isinstance(layer, Lambda)]
    assert functions == [double, square, scaled_sum]


def test_sequential_lambda_round_trips(tmp_path):
    model = Sequential([Input((3,)), Dense(2), Lambda(double)])
    model.save(tmp_path / "seq.keras")
    loaded = load_model(tmp_path / "seq.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_saving_an_unregistered_function_fails_at_save_time(tmp_path):
    for function, name in [(halve, "halve"), (lambda x: x, "<lambda>")]:
        model = Sequential([Input((3,)), Lambda(function)])
        path = tmp_path / "model.keras"
        with pytest.raises(ValueError, match=rf"Lambda layer '.*': its function {name} is "
                                             rf"not registered.*register_keras_serializable"):
            model.save(path)
        assert not path.exists()
    # In memory (clone_model, from_config) an unregistered function still works.
    layer = Lambda(halve)
    clone = Lambda.from_config(layer.get_config())
    np.testing.assert_allclose(clone(X).data, X * 0.5)


def test_loading_an_unregistered_name_fails_clearly_unless_given(tmp_path):
    path = tmp_path / "model.keras"
    Sequential([Input((3,)), Lambda(double)]).save(path)

    def rename(config):
        function = _lambda_entry(config)["config"]["function"]
        function.update(config="halve", registered_name="other>halve")

    _edit_config(path, rename)
    with pytest.raises(ValueError, match=r"unknown function 'other>halve'.*never runs code.*"
                                         r"register_keras_serializable.*custom_objects"):
        load_model(path)
    loaded = load_model(path, custom_objects={"halve": halve})
    np.testing.assert_allclose(loaded.predict(X, verbose=0), X * 0.5, rtol=1e-6)


@pytest.mark.parametrize("function", [
    "print",
    ["4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA",
     None, None],
    {"class_name": "__lambda__", "config": {"code": "4wEAAAAA", "defaults": None}},
    {"class_name": "function", "config": "system", "registered_name": "os>system"},
    {"class_name": "function", "config": "eval", "registered_name": "function",
     "module": "builtins"},
])
def test_code_and_importable_names_are_refused(tmp_path, function):
    path = tmp_path / "model.keras"
    Sequential([Input((3,)), Lambda(double)]).save(path)
    _edit_config(path, lambda config: _lambda_entry(config)["config"].update(
        function=function, function_type="lambda" if isinstance(function, list) else None))
    if not isinstance(function, list):
        _edit_config(path, lambda config: _lambda_entry(config)["config"].pop("function_type"))
    with pytest.raises(ValueError, match="never runs code"):
        load_model(path)


def test_lambda_from_config_refuses_code_directly():
    with pytest.raises(TypeError, match="Lambda: function must be a function.*never runs code"):
        Lambda.from_config({"function": ["4wEAAAAA", None, None], "function_type": "lambda"})
    with pytest.raises(TypeError, match="Lambda: function must be a function"):
        Lambda("print")
    with pytest.raises(TypeError, match="Lambda: arguments must be a dict"):
        Lambda(double, arguments=[1])
