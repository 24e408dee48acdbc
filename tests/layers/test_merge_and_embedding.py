"""Merge layers and Embedding against PyTorch, with masks and clear errors."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor
from dlpath.layers import (
    Add, Average, Concatenate, Embedding, Maximum, Minimum, Multiply, Subtract,
)


@pytest.mark.parametrize("layer_cls, torch_fn", [
    (Add, lambda a, b, c: a + b + c),
    (Multiply, lambda a, b, c: a * b * c),
    (Average, lambda a, b, c: (a + b + c) / 3),
    (Maximum, lambda a, b, c: torch.maximum(torch.maximum(a, b), c)),
    (Minimum, lambda a, b, c: torch.minimum(torch.minimum(a, b), c)),
    (Concatenate, lambda a, b, c: torch.cat([a, b, c], -1)),
])
def test_merge_layers_match_torch(layer_cls, torch_fn):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 3)).astype(np.float32) for _ in range(3)]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = layer_cls()(ours)
    expected = torch_fn(*theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-6)
    out.backward(np.ones(out.shape, np.float32))
    expected.backward(torch.ones(expected.shape))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-6)


def test_subtract_and_concatenate_axis():
    a, b = np.ones((2, 3)), np.full((2, 3), 2.0)
    np.testing.assert_array_equal(Subtract()([a, b]).data, -np.ones((2, 3)))
    assert Concatenate(axis=0)([a, b]).shape == (4, 3)


@pytest.mark.parametrize("layer_cls, torch_fn", [
    (Add, lambda a, b, c: a + b + c),
    (Subtract, lambda a, b: a - b),
    (Multiply, lambda a, b, c: a * b * c),
    (Average, lambda a, b, c: (a + b + c) / 3),
    (Maximum, lambda a, b, c: torch.maximum(torch.maximum(a, b), c)),
    (Minimum, lambda a, b, c: torch.minimum(torch.minimum(a, b), c)),
])
def test_merge_layers_broadcast_as_keras_does(layer_cls, torch_fn):
    """(B, 4, 3), (B, 1, 3) and (B, 3): the rank-2 input is read as (B, 1, 3)."""
    from dlpath.engine import gradcheck

    rng = np.random.default_rng(1)
    shapes = [(4, 4, 3), (4, 1, 3), (4, 3)][:2 if layer_cls is Subtract else 3]
    arrays = [rng.standard_normal(shape) for shape in shapes]
    ours = [Tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    out = layer_cls()(ours)
    expected = torch_fn(*[t if t.ndim == 3 else t[:, None, :] for t in theirs])
    assert out.shape == (4, 4, 3) == layer_cls().compute_output_shape(shapes)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-6)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    for a, b in zip(ours, theirs):
        assert a.grad.shape == a.shape
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-5, atol=1e-6)
    gradcheck(lambda *xs: layer_cls(dtype="float64")(list(xs)), *arrays)


def test_merge_broadcasting_in_a_saved_functional_model(tmp_path):
    from dlpath import keras

    a, b = keras.Input((4, 3)), keras.Input((3,))
    model = keras.Model([a, b], keras.layers.Multiply()([a, b]))
    assert model.output_shape == (None, 4, 3)
    x, z = np.ones((2, 4, 3), np.float32), np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(model.predict([x, z], verbose=0), x * z[:, None, :])
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again.predict([x, z], verbose=0), x * z[:, None, :])


def test_merge_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"'m' \(Add\).*same shape.*\(2, 3\), \(2, 4\)"):
        Add(name="m")([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match=r"size 1 where they differ.*\(2, 4, 3\), \(2, 3, 3\)"):
        Multiply()([np.ones((2, 4, 3)), np.ones((2, 3, 3))])
    with pytest.raises(ValueError, match="list of at least 2"):
        Add()([np.ones((2, 3))])
    with pytest.raises(ValueError, match=r"except along axis -1.*\(2, 3\), \(3, 3\)"):
        Concatenate()([np.ones((2, 3)), np.ones((3, 3))])


def test_embedding_matches_torch_including_repeated_ids():
    ids = np.array([[1, 2, 2, 0], [3, 3, 3, 1]])
    layer = Embedding(5, 3)
    out = layer(ids)
    table = torch.tensor(layer.embeddings.data, requires_grad=True)
    expected = torch.nn.functional.embedding(torch.tensor(ids), table)
    np.testing.assert_allclose(out.data, expected.detach().numpy())
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(layer.embeddings.grad, table.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_embedding_mask_zero_and_default_initializer():
    layer = Embedding(10, 4, mask_zero=True)
    out = layer(np.array([[0, 3, 4], [5, 0, 0]]))
    np.testing.assert_array_equal(out._mask.data, [[False, True, True], [True, False, False]])
    assert np.all(np.abs(layer.embeddings.data) <= 0.05)  # Keras 'uniform': +-0.05


def test_embedding_rejects_bad_ids_and_checks_legacy_input_length(monkeypatch):
    from dlpath.layers import layer as layer_module

    monkeypatch.setattr(layer_module, "_warned", set())  # warned once per process: anew
    layer = Embedding(5, 2, name="emb")
    with pytest.raises(ValueError, match=r"'emb' \(Embedding\).*\[0, 4\].*from 0 to 5"):
        layer(np.array([[0, 5]]))
    with pytest.raises(TypeError, match=r"'emb' \(Embedding\).*dtype object"):
        layer(np.array([["a"]], dtype=object))
    with pytest.warns(UserWarning, match="input_length"):
        legacy = Embedding(5, 2, input_length=3)
    legacy(np.array([[1, 2, 3]]))
    with pytest.raises(ValueError, match="input_length=3"):
        legacy(np.array([[1, 2]]))
