"""Whole models: every recipe's model, functional models with several inputs and outputs,
nested models, and ``Model.export``."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx_check import check_export, model_inputs, randomize, run_onnx

from dlpath import keras
from dlpath.export import ExportError
from dlpath.recipes import all_recipes
from dlpath.recipes.base import DataSplits

L = keras.layers

# Small settings where a recipe has them, so that the test stays quick.
SMALL = {"imdb-lstm": {"maxlen": 12, "num_words": 50, "embedding_dim": 8, "units": 4},
         "imdb-bilstm": {"maxlen": 12, "num_words": 50, "embedding_dim": 8, "units": 4},
         "imdb-transformer": {"maxlen": 12, "num_words": 50, "embed_dim": 8, "ff_dim": 8},
         "cifar10-resnet": {"blocks_per_stage": 1}}


def _fake_data(kind="image"):
    x = np.zeros((8, 2), np.float32)
    y = np.zeros(8, np.int64)
    return DataSplits(train=(x, y), validation=(x, y), test=(x, y), kind=kind)


def _recipe_inputs(model, config):
    def make(batch):
        rng = np.random.default_rng(batch)
        arrays = []
        for tensor in model_inputs(model):
            shape = (batch,) + tuple(tensor.shape[1:])
            if tensor.dtype.kind == "i":
                ids = rng.integers(1, config.num_words, shape)
                ids[0, :shape[1] // 3] = 0  # pre-padded, as pad_sequences does
                arrays.append(ids.astype(tensor.dtype))
            else:
                arrays.append(rng.normal(size=shape).astype(tensor.dtype))
        return arrays
    return make


@pytest.mark.parametrize("recipe", all_recipes(), ids=lambda recipe: recipe.name)
def test_every_recipe_model_exports_with_the_same_outputs(recipe, tmp_path):
    overrides = {k: v for k, v in SMALL.get(recipe.name, {}).items()
                 if hasattr(recipe.Config(), k)}
    config = recipe.make_config(overrides)
    model = recipe.build_model(config, _fake_data())
    randomize(model, scale=0.2)
    check_export(model, tmp_path, _recipe_inputs(model, config))


def test_functional_model_with_several_inputs_and_outputs_keeps_their_names(tmp_path):
    image = keras.Input((6, 6, 1), name="image")
    meta = keras.Input((3,), name="meta")
    x = L.Flatten()(L.Conv2D(2, 3, activation="relu")(image))
    x = L.Concatenate()([x, L.Dense(4)(meta)])
    label = L.Dense(3, activation="softmax", name="label")(x)
    score = L.Dense(1, name="score")(x)
    model = keras.Model([image, meta], [label, score])
    randomize(model)
    path = check_export(model, tmp_path)
    graph = onnx.load(str(path)).graph
    assert [v.name for v in graph.input] == ["image", "meta"]
    assert [v.name for v in graph.output] == ["label", "score"]


def test_a_sequential_model_inside_a_functional_one(tmp_path):
    base = keras.Sequential([keras.Input((5,)), L.Dense(4, activation="relu"), L.Dense(3)],
                            name="base")
    inputs = keras.Input((5,))
    model = keras.Model(inputs, L.Dense(2)(base(inputs)))
    randomize(model)
    check_export(model, tmp_path)


def test_model_export_writes_onnx_and_refuses_other_formats(tmp_path):
    model = keras.Sequential([keras.Input((3,)), L.Dense(2, activation="softmax")])
    randomize(model)
    written = model.export(str(tmp_path / "m.onnx"))
    assert str(written).endswith("m.onnx")
    again = model.export(tmp_path / "k.onnx", format="onnx")
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    for path in (written, again):
        np.testing.assert_allclose(run_onnx(path, [x])[0], model.predict(x, verbose=0),
                                   atol=1e-5, rtol=1e-4)
    with pytest.raises(ExportError, match="only format='onnx'"):
        model.export(tmp_path / "saved", format="tf_saved_model")


def test_export_replaces_a_file_only_when_finished(tmp_path, monkeypatch):
    model = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    target = tmp_path / "m.onnx"
    target.write_bytes(b"old")
    import os

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        model.export(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no temporary left


def test_a_subclassed_model_or_an_unbuilt_sequential_is_refused(tmp_path):
    class Custom(keras.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(ExportError, match="subclassed"):
        Custom().export(tmp_path / "m.onnx")
    with pytest.raises(ExportError, match="input shape"):
        keras.Sequential([L.Dense(2)]).export(tmp_path / "m.onnx")


def test_importing_dlpath_and_its_export_package_does_not_import_onnx():
    import subprocess
    import sys

    code = ("import sys, dlpath, dlpath.keras, dlpath.export; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('onnx', 'onnxruntime')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
