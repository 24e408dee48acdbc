"""int8 ONNX: the QDQ graph onnxruntime runs equals dlpath's int8 model; the export
command quantizes a run's model; onnxruntime's dynamic quantization of text models."""

from __future__ import annotations

import dataclasses

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx_check import randomize

from dlpath import cli, keras
from dlpath.export import ExportError, to_onnx
from dlpath.export.quantization import quantize_dynamic, quantize_model
from dlpath.export.quantization.onnx_dynamic import quantize_onnx_dynamic
from dlpath.recipes import get_recipe
from dlpath.workflow import RunFolder, files


def run(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})[0]


def cnn():
    model = keras.Sequential([
        keras.Input((12, 12, 2)), keras.layers.Conv2D(8, 3, padding="same"),
        keras.layers.BatchNormalization(), keras.layers.Activation("relu"),
        keras.layers.MaxPooling2D(2), keras.layers.Conv2D(12, 3, activation="relu"),
        keras.layers.Flatten(), keras.layers.Dense(16, activation="relu"),
        keras.layers.Dropout(0.3), keras.layers.Dense(6, activation="softmax")])
    randomize(model, scale=0.3)
    return model


def test_one_int8_dense_equals_onnxruntime(tmp_path):
    inputs = keras.Input((40,))
    model = keras.Model(inputs, keras.layers.Dense(7, activation="relu")(inputs))
    randomize(model)
    x = np.random.default_rng(0).normal(0, 1, (64, 40)).astype(np.float32)
    q = quantize_model(model, x)
    path = to_onnx(q, tmp_path / "d.onnx")
    np.testing.assert_allclose(run(path, x), q.predict(x), rtol=1e-6, atol=1e-6)


def test_int8_cnn_in_onnxruntime_equals_dlpath_int8(tmp_path):
    model = cnn()
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, (300, 12, 12, 2)).astype(np.float32)
    q = quantize_model(model, x[:100])
    path = to_onnx(model, tmp_path / "m.onnx", quantize="int8", calibration_data=x[:100])
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    ops = [node.op_type for node in proto.graph.node]
    assert "BatchNormalization" not in ops and ops.count("QuantizeLinear") >= 4
    weights = {t.name: t for t in proto.graph.initializer}
    assert any(t.data_type == onnx.TensorProto.INT8 and len(t.dims) == 4
               for t in weights.values())
    axes = [a.i for n in proto.graph.node if n.op_type == "DequantizeLinear"
            for a in n.attribute if a.name == "axis"]
    assert 0 in axes and 1 in axes  # Conv (out, in, kh, kw) and MatMul (in, out) kernels
    ours, theirs = q.predict(x, batch_size=100), run(path, x)
    assert np.abs(ours - theirs).max() < 1e-2
    assert np.median(np.abs(ours - theirs)) < 1e-6  # equal but for a rare rounding step
    assert (ours.argmax(1) == theirs.argmax(1)).mean() >= 0.99
    float_size = to_onnx(model, tmp_path / "f.onnx").stat().st_size
    assert path.stat().st_size < 0.7 * float_size  # a small model: names weigh too


def test_int8_export_needs_calibration_data_and_a_static_model(tmp_path):
    model = cnn()
    with pytest.raises(ExportError, match="calibration_data"):
        to_onnx(model, tmp_path / "m.onnx", quantize="int8")
    with pytest.raises(ExportError, match="quantize must be"):
        to_onnx(model, tmp_path / "m.onnx", quantize="int4", calibration_data=np.zeros(1))
    text = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
    with pytest.raises(ExportError, match="dynamically"):
        to_onnx(quantize_dynamic(text), tmp_path / "t.onnx")


def test_dynamic_onnx_of_an_lstm_model_agrees_with_dlpath_dynamic(tmp_path):
    model = keras.Sequential([keras.Input((25,), dtype="int64"),
                              keras.layers.Embedding(400, 16), keras.layers.LSTM(10),
                              keras.layers.Dense(1, activation="sigmoid")])
    randomize(model, scale=0.4)
    x = np.random.default_rng(2).integers(0, 400, (50, 25))
    float_path = to_onnx(model, tmp_path / "f.onnx")
    path = quantize_onnx_dynamic(float_path, tmp_path / "q.onnx")
    ops = {node.op_type for node in onnx.load(str(path)).graph.node}
    assert "DynamicQuantizeLSTM" in ops and "MatMulInteger" in ops
    float_pred = model.predict(x, verbose=0)
    theirs, ours = run(path, x), quantize_dynamic(model).predict(x, batch_size=50)
    assert np.abs(theirs - float_pred).max() < 0.02
    assert np.abs(ours - float_pred).max() < 0.02
    assert path.stat().st_size < 0.5 * float_path.stat().st_size


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """A digits-mlp run folder (config.json and model.keras), without the training."""
    recipe = get_recipe("digits-mlp")
    config = recipe.make_config({"hidden_units": 16})
    folder = RunFolder.create(tmp_path_factory.mktemp("runs"), recipe.name)
    files.write_json(folder.config, {"recipe": recipe.name,
                                     "config": dataclasses.asdict(config)})
    model = recipe.build_model(config, None)
    randomize(model, scale=0.3)
    model.save(folder.model)
    return folder


def test_export_command_quantizes_a_run_on_its_training_data(digits_run, capsys):
    assert cli.main(["export", str(digits_run.path), "--quantize", "int8",
                     "--calibration-samples", "64"]) == 0
    out = capsys.readouterr().out
    path = digits_run.path / "model.int8.onnx"
    assert str(path) in out and "64 training samples" in out
    recipe = get_recipe("digits-mlp")
    config = recipe.make_config({"hidden_units": 16, "train_limit": 64, "eval_limit": 1})
    x_train = recipe.load_data(config).train[0]
    from dlpath.saving import load_model

    q = quantize_model(load_model(digits_run.model), x_train)
    x = np.random.default_rng(3).random((20, 8, 8)).astype(np.float32)
    np.testing.assert_allclose(run(path, x), q.predict(x), atol=1e-5)


def test_export_command_dynamic_and_its_errors(digits_run, tmp_path, capsys):
    out = tmp_path / "dyn.onnx"
    assert cli.main(["export", str(digits_run.path), "--quantize", "dynamic",
                     "--out", str(out)]) == 0
    assert out.is_file() and not list(tmp_path.glob(".*"))
    assert cli.main(["export", str(digits_run.model), "--quantize", "int8"]) == 2
    assert "run's training data" in capsys.readouterr().err
    assert cli.main(["export", str(digits_run.path), "--quantize", "int8",
                     "--calibration-samples", "0"]) == 2
