"""``dlpath export``: a run (by folder, name or recipe) or a model file to ONNX."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from onnx_check import randomize, run_onnx

from dlpath import cli, keras
from dlpath.recipes import get_recipe
from dlpath.saving import load_model
from dlpath.workflow import RunFolder
from dlpath.workflow import files


def _tiny_run(parent, final: bool) -> RunFolder:
    """A digits-mlp run folder as `dlpath train` leaves it (config.json and model.keras),
    or as an interrupted run does (only its checkpoint), without the training."""
    recipe = get_recipe("digits-mlp")
    config = recipe.make_config({"hidden_units": 8})
    folder = RunFolder.create(parent, recipe.name)
    files.write_json(folder.config, {"recipe": recipe.name,
                                     "config": dataclasses.asdict(config)})
    model = recipe.build_model(config, None)
    randomize(model)
    model.save(folder.model if final else folder.checkpoint)
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return _tiny_run(tmp_path_factory.mktemp("runs"), final=True)


def _same_as_the_run(path, run_folder):
    saved = run_folder.model if run_folder.model.is_file() else run_folder.checkpoint
    model = load_model(saved)
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


def test_a_run_without_final_model_exports_its_checkpoint(tmp_path, capsys):
    folder = _tiny_run(tmp_path, final=False)
    assert cli.main(["export", str(folder.path)]) == 0
    assert "checkpoint" in capsys.readouterr().err
    _same_as_the_run(folder.path / "model.onnx", folder)


def test_export_of_a_model_file_goes_beside_it(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.save(tmp_path / "small.keras")
    assert cli.main(["export", str(tmp_path / "small.keras")]) == 0
    assert (tmp_path / "small.onnx").is_file()


def test_export_errors_are_one_line(tmp_path, capsys):
    assert cli.main(["export", str(tmp_path / "nowhere")]) == 1
    assert "no run" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path), "--format", "tflite"]) == 2

    class Doubling(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2

    inputs = keras.Input((3,))
    model = keras.Model(inputs, Doubling(name="doubling")(inputs))
    with pytest.raises(ValueError, match="'doubling' of class Doubling"):
        model.export(tmp_path / "m.onnx")
