"""Functional models whose outputs are a dict, as Keras 3 writes them:
``Model(x, {"digit": ..., "odd": ...})`` — names, losses by key, predict's dict, saving,
ONNX export and serving under the same names."""

import numpy as np
import pytest

from dlpath import keras
from dlpath.random import set_seed


def two_heads():
    set_seed(0)
    x = keras.Input((4,), name="features")
    hidden = keras.layers.Dense(8, activation="relu")(x)
    return keras.Model(x, {"digit": keras.layers.Dense(3, activation="softmax")(hidden),
                           "odd": keras.layers.Dense(1, activation="sigmoid")(hidden)})


def data(n=32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    return x, {"digit": rng.integers(0, 3, n), "odd": rng.integers(0, 2, (n, 1))}


def test_names_losses_and_metrics_follow_the_keys():
    model = two_heads()
    assert model.output_names == ["digit", "odd"]
    model.compile("adam", {"digit": "sparse_categorical_crossentropy",
                           "odd": "binary_crossentropy"}, metrics={"odd": ["accuracy"]})
    x, y = data()
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "digit_loss", "odd_loss", "odd_accuracy"}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["digit_loss"] + logs["odd_loss"], rel=1e-5)


def test_predict_returns_a_dict_equal_to_the_call(tmp_path):
    model = two_heads()
    x, _ = data(5)
    direct = model(x)
    predicted = model.predict(x, batch_size=2, verbose=0)
    assert set(predicted) == {"digit", "odd"}
    for name in predicted:
        np.testing.assert_allclose(predicted[name], direct[name].data, rtol=1e-6)
        np.testing.assert_allclose(model.predict_on_batch(x)[name], direct[name].data,
                                   rtol=1e-6)
    model.save(tmp_path / "heads.keras")
    again = keras.models.load_model(tmp_path / "heads.keras")
    assert again.output_names == ["digit", "odd"]
    for name, value in again.predict(x, verbose=0).items():
        np.testing.assert_allclose(value, predicted[name], rtol=1e-6)


def test_onnx_export_and_both_serving_backends_use_the_keys(tmp_path):
    import onnxruntime

    from dlpath.export import to_onnx
    from dlpath.serve.predictor import DlpathPredictor, OnnxPredictor

    model = two_heads()
    x, _ = data(7)
    expected = model.predict(x, verbose=0)
    session = onnxruntime.InferenceSession(str(to_onnx(model, tmp_path / "heads.onnx")))
    assert [o.name for o in session.get_outputs()] == ["digit", "odd"]
    for name, value in zip(["digit", "odd"], session.run(None, {"features": x})):
        np.testing.assert_allclose(value, expected[name], rtol=1e-4, atol=1e-5)
    for predictor in (DlpathPredictor(model), OnnxPredictor.from_model(model)):
        assert predictor.output_names == ["digit", "odd"]
        for name, value in zip(predictor.output_names, predictor.predict((x,))):
            np.testing.assert_allclose(value, expected[name], rtol=1e-4, atol=1e-5)
