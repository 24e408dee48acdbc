"""``dlpath export``: a run (by folder, name or recipe) or a model file to ONNX."""

from __future__ import annotations

import numpy as np
import pytest
from onnx_check import run_onnx

from dlpath import cli, keras
from dlpath.saving import load_model
from dlpath.workflow import RunFolder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    parent = tmp_path_factory.mktemp("runs")
    assert cli.main(["train", "digits-mlp", "--epochs", "1", "--out", str(parent),
                     "--set", "train_limit=128", "--verbose", "0"]) == 0
    return RunFolder(next(parent.iterdir()))


def _same_as_the_run(path, run_folder):
    model = load_model(run_folder.model)
    x = np.random.default_rng(0).random((7, 8, 8)).astype(np.float32) * 16
    np.testing.assert_allclose(run_onnx(path, [x])[0], model.predict(x, verbose=0),
                               atol=1e-5, rtol=1e-4)


def test_export_writes_model_onnx_in_the_run_folder(run, capsys):
    assert cli.main(["export", str(run.path)]) == 0
    path = run.path / "model.onnx"
    assert str(path) in capsys.readouterr().out
    _same_as_the_run(path, run)


def test_export_finds_a_run_by_recipe_name_and_writes_to_out(run, tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_RUNS", str(run.path.parent))
    out = tmp_path / "sub" / "digits.onnx"
    assert cli.main(["export", "digits-mlp", "--format", "onnx", "--out", str(out)]) == 0
    _same_as_the_run(out, run)


def test_export_of_a_model_file_goes_beside_it(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.save(tmp_path / "small.keras")
    assert cli.main(["export", str(tmp_path / "small.keras")]) == 0
    assert (tmp_path / "small.onnx").is_file()


def test_export_errors_are_one_line(tmp_path, capsys):
    class Doubling(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2

    assert cli.main(["export", str(tmp_path / "nowhere")]) == 1
    assert "no run" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path), "--format", "tflite"]) == 2
