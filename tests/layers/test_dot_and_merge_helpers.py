"""Dot (axes, normalize) against torch, and the functional merge helpers add ... dot."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    Add, Concatenate, Dense, Dot, add, average, concatenate, dot, maximum, minimum,
    multiply, subtract,
)
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("shapes, axes, normalize, torch_fn", [
    (((4, 3), (4, 3)), 1, False, lambda a, b: (a * b).sum(-1, keepdim=True)),
    (((4, 3), (4, 3)), -1, True, lambda a, b: F.cosine_similarity(a, b, -1, 1e-6)[:, None]),
    (((2, 3, 5), (2, 5, 4)), (2, 1), False, torch.bmm),
    (((2, 3, 5), (2, 3, 4)), (1, 1), False, lambda a, b: torch.bmm(a.transpose(1, 2), b)),
    (((2, 3, 5), (2, 4, 5)), 2, False, lambda a, b: torch.bmm(a, b.transpose(1, 2))),
    (((2, 3, 5), (2, 4, 5)), 2, True,
     lambda a, b: torch.bmm(F.normalize(a, dim=2), F.normalize(b, dim=2).transpose(1, 2))),
    (((2, 3, 5), (2, 5)), (2, 1), False, lambda a, b: torch.bmm(a, b[:, :, None])[:, :, 0]),
])
def test_dot_matches_torch(shapes, axes, normalize, torch_fn):
    arrays = [RNG.standard_normal(s).astype(np.float32) for s in shapes]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    layer = Dot(axes=axes, normalize=normalize)
    out, expected = layer(ours), torch_fn(*theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape([(None,) + s[1:] for s in shapes])[1:] == out.shape[1:]
    upstream = RNG.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-4, atol=1e-5)
    gradcheck(lambda x, z: Dot(axes=axes, normalize=normalize, dtype="float64")([x, z]),
              *[a.astype(np.float64) for a in arrays])


def test_dot_config_round_trip_and_save(tmp_path):
    layer = Dot(axes=(1, 2), normalize=True, name="d")
    config = layer.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    assert Dot.from_config(config).get_config() == config
    a, b = Input((3, 4)), Input((2, 3))
    model = Model([a, b], Dot(axes=(1, 2))([a, b]))
    x = [RNG.standard_normal((2, 3, 4)).astype(np.float32),
         RNG.standard_normal((2, 2, 3)).astype(np.float32)]
    model.save(tmp_path / "dot.keras")
    np.testing.assert_array_equal(load_model(tmp_path / "dot.keras").predict(x, verbose=0),
                                  model.predict(x, verbose=0))


def test_dot_errors_name_layer_axes_and_shapes():
    with pytest.raises(ValueError, match=r"'d' \(Dot\): axis 1 .* axis 1 .* same size.*"
                                         r"\(2, 3\), \(2, 4\)"):
        Dot(1, name="d")([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match=r"\(Dot\): axes \(0, 0\) must name non-batch axes"):
        Dot(0)([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(ValueError, match=r"\(Dot\): expected exactly 2 inputs, got 3"):
        Dot(1)([np.ones((2, 3))] * 3)
    with pytest.raises(TypeError, match="Dot: axes must be an int or a pair of ints"):
        Dot("last")


def test_functional_helpers_match_the_layers():
    x, y, z = (RNG.standard_normal((2, 3)).astype(np.float32) for _ in range(3))
    np.testing.assert_allclose(add([x, y, z]).data, x + y + z, rtol=1e-6)
    np.testing.assert_allclose(subtract([x, y]).data, x - y, rtol=1e-6)
    np.testing.assert_allclose(multiply([x, y]).data, x * y, rtol=1e-6)
    np.testing.assert_allclose(average([x, y]).data, (x + y) / 2, rtol=1e-6)
    np.testing.assert_allclose(maximum([x, y]).data, np.maximum(x, y))
    np.testing.assert_allclose(minimum([x, y]).data, np.minimum(x, y))
    np.testing.assert_allclose(concatenate([x, y], axis=0).data, np.concatenate([x, y], 0))
    np.testing.assert_allclose(dot([x, y], axes=1).data, (x * y).sum(1, keepdims=True),
                               rtol=1e-5)
    named = add([x, y], name="my_add")
    assert named.shape == (2, 3)


def test_functional_helpers_build_functional_models():
    a, b = Input((3,)), Input((3,))
    hidden = concatenate([add([a, b]), multiply([a, b])])
    out = Dense(1)(concatenate([hidden, dot([a, b], axes=1, normalize=True)], axis=-1))
    model = Model([a, b], out)
    kinds = [type(layer) for layer in model.layers]
    assert kinds.count(Concatenate) == 2 and Add in kinds and Dot in kinds
    x = [RNG.standard_normal((4, 3)).astype(np.float32) for _ in range(2)]
    assert model.predict(x, verbose=0).shape == (4, 1)
    with pytest.raises(ValueError, match=r"'s' \(Subtract\): expected exactly 2 inputs"):
        subtract([x[0], x[0], x[0]], name="s")
