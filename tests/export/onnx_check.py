"""Shared by the ONNX export tests: export, check, and compare onnxruntime with predict."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort

from dlpath import keras
from dlpath.export import to_onnx
from dlpath.export.graph import model_graph

ATOL, RTOL = 1e-5, 1e-4


def randomize(model, seed: int = 0, scale: float = 0.5) -> None:
    """Random weights everywhere (variances positive), so that no zero bias or unit
    statistic hides a mistake."""
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        shape = variable.data.shape
        if "variance" in variable.name:
            value = rng.uniform(0.5, 1.5, shape)
        else:
            value = rng.normal(0.0, scale, shape)
        variable.data[...] = value.astype(variable.data.dtype)


def model_inputs(model) -> list:
    """The symbolic inputs of a functional or Sequential model."""
    return model_graph(model).flat_inputs


def random_inputs(model, batch: int, seed: int = 1) -> list:
    rng = np.random.default_rng(seed + batch)
    arrays = []
    for tensor in model_inputs(model):
        shape = (batch,) + tuple(tensor.shape[1:])
        arrays.append(rng.normal(0.0, 1.0, shape).astype(tensor.dtype))
    return arrays


def run_onnx(path, arrays) -> list:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {i.name: a for i, a in zip(session.get_inputs(), arrays)}
    return session.run(None, feeds)


def as_list(outputs) -> list:
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def check_export(model, tmp_path, make_inputs=None, opset: int = 17, name="m.onnx"):
    """Export once; check it; at batch 1 and 7, onnxruntime equals ``predict``."""
    make_inputs = make_inputs or (lambda batch: random_inputs(model, batch))
    path = to_onnx(model, tmp_path / name, opset=opset)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert [i.name for i in proto.graph.input] == [t.name for t in model_inputs(model)]
    for batch in (1, 7):
        arrays = make_inputs(batch)
        expected = as_list(model.predict(arrays if len(arrays) > 1 else arrays[0],
                                         verbose=0))
        got = run_onnx(path, arrays)
        assert len(got) == len(expected)
        for want, have in zip(expected, got):
            assert have.shape == want.shape
            np.testing.assert_allclose(have, want, atol=ATOL, rtol=RTOL)
    return path


def layer_model(layer, shape, dtype="float32", seed: int = 0):
    """keras.Model(Input(shape), layer(Input)) with random weights."""
    inputs = keras.Input(shape=shape, dtype=dtype)
    model = keras.Model(inputs, layer(inputs))
    randomize(model, seed)
    return model
