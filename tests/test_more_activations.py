"""Keras 3's newer activations (celu, glu, hard_shrink, hard_tanh, log_sigmoid, soft_shrink,
sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold): values and
gradients against PyTorch or the formula, finite differences, names and deserialize."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import activations, keras
from dlpath.engine import Tensor, gradcheck

# Away from every kink (0, +-0.5, +-1, the threshold 0.3), where one-sided derivatives
# differ and finite differences match neither side.
X = np.array([[-4.1, -2.3, -0.7, 0.4, 1.9, 2.6], [3.4, -0.2, 0.8, -1.3, 0.1, -5.0],
              [0.62, -0.35, 1.45, -0.9, 0.25, 7.5]])

TORCH = {
    "celu": (lambda x: activations.celu(x, 0.7), lambda t: F.celu(t, 0.7)),
    "glu": (activations.glu, F.glu),
    "glu_axis0": (lambda x: activations.glu(x[:2], axis=0), lambda t: F.glu(t[:2], dim=0)),
    "hard_shrink": (activations.hard_shrink, F.hardshrink),
    "hard_tanh": (activations.hard_tanh, F.hardtanh),
    "log_sigmoid": (activations.log_sigmoid, F.logsigmoid),
    "soft_shrink": (lambda x: activations.soft_shrink(x, 0.3),
                    lambda t: F.softshrink(t, 0.3)),
    "tanh_shrink": (activations.tanh_shrink, F.tanhshrink),
    "threshold": (lambda x: activations.threshold(x, 0.3, -2.0),
                  lambda t: F.threshold(t, 0.3, -2.0)),
}


FORMULAS = {
    "sparse_plus": (activations.sparse_plus, lambda t: torch.where(
        t <= -1, torch.zeros_like(t), torch.where(t >= 1, t, (t + 1) ** 2 / 4))),
    "sparse_sigmoid": (activations.sparse_sigmoid, lambda t: torch.where(
        t <= -1, torch.zeros_like(t), torch.where(t >= 1, torch.ones_like(t), (t + 1) / 2))),
    "squareplus": (activations.squareplus, lambda t: (t + torch.sqrt(t * t + 4)) / 2),
    "squareplus_b": (lambda x: activations.squareplus(x, b=0.5),
                     lambda t: (t + torch.sqrt(t * t + 0.5)) / 2),
}
CASES = {**TORCH, **FORMULAS}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_equal_torch(name):
    ours_fn, torch_fn = CASES[name]
    x = Tensor(X, requires_grad=True, dtype=np.float64)
    y = ours_fn(x)
    weights = np.random.default_rng(0).standard_normal(y.shape)
    (y * weights).sum().backward()
    t = torch.tensor(X, requires_grad=True)
    expected = torch_fn(t)
    (expected * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    # torch's celu backward rounds 1 / alpha to float32 (relative error ~1e-7), even in
    # float64; ours is the exact e^(x / alpha), which finite differences confirm below.
    rtol = 1e-6 if name == "celu" else 1e-12
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_pass_finite_differences(name):
    assert gradcheck(CASES[name][0], X) < 1e-6


def test_log_sigmoid_and_celu_are_stable_for_large_inputs():
    big = np.array([-1000.0, 1000.0])
    np.testing.assert_allclose(activations.log_sigmoid(big).data, [-1000.0, 0.0])
    x = Tensor(big, requires_grad=True, dtype=np.float64)
    activations.celu(x, 2.0).sum().backward()
    assert np.isfinite(x.grad).all()


# ---------------------------------------------------------------- sparsemax
def sparsemax_reference(z):
    """Martins & Astudillo 2016, Algorithm 1, one vector at a time."""
    out = np.empty_like(z)
    for i, row in enumerate(z):
        s = np.sort(row)[::-1]
        k = np.arange(1, len(s) + 1)
        cumulative = np.cumsum(s)
        k_z = k[1 + k * s > cumulative].max()
        tau = (cumulative[k_z - 1] - 1) / k_z
        out[i] = np.maximum(row - tau, 0)
    return out


def sparsemax_jacobian_reference(z, g):
    out = sparsemax_reference(z)
    result = np.zeros_like(z)
    for i in range(len(z)):
        s = out[i] > 0
        result[i] = s * (g[i] - g[i][s].sum() / s.sum())
    return result


def test_sparsemax_equals_the_paper_and_sums_to_one():
    z = 2.0 * np.random.default_rng(1).standard_normal((6, 7))
    x = Tensor(z, requires_grad=True, dtype=np.float64)
    y = activations.sparsemax(x)
    np.testing.assert_allclose(y.data, sparsemax_reference(z), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y.data.sum(axis=-1), 1.0)
    assert (y.data == 0).any()                         # it is sparse
    g = np.random.default_rng(2).standard_normal(z.shape)
    (y * g).sum().backward()
    np.testing.assert_allclose(x.grad, sparsemax_jacobian_reference(z, g), atol=1e-12)
    assert gradcheck(activations.sparsemax, z) < 1e-6


def test_fused_sparsemax_equals_its_composite_version():
    from dlpath.engine.activations import sparsemax_composite

    z = np.random.default_rng(4).standard_normal((5, 6))
    fused, composite = (Tensor(z, requires_grad=True, dtype=np.float64) for _ in range(2))
    g = np.random.default_rng(5).standard_normal(z.shape)
    y_fused, y_composite = activations.sparsemax(fused), sparsemax_composite(composite)
    (y_fused * g).sum().backward()
    (y_composite * g).sum().backward()
    np.testing.assert_allclose(y_fused.data, y_composite.data, atol=1e-14)
    np.testing.assert_allclose(fused.grad, composite.grad, atol=1e-14)


def test_sparsemax_along_another_axis_and_shift_invariance():
    z = np.random.default_rng(3).standard_normal((4, 3, 5))
    along_1 = activations.sparsemax(z, axis=1).data
    moved = activations.sparsemax(np.moveaxis(z, 1, -1)).data
    np.testing.assert_allclose(along_1, np.moveaxis(moved, -1, 1), atol=1e-6)
    np.testing.assert_allclose(activations.sparsemax(z + 10.0).data,
                               activations.sparsemax(z).data, atol=1e-5)


# ---------------------------------------------------------------- names, errors
NAMES = ["celu", "glu", "hard_shrink", "hard_tanh", "log_sigmoid", "soft_shrink",
         "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink",
         "threshold"]


@pytest.mark.parametrize("name", NAMES)
def test_names_resolve_and_serialize(name):
    fn = activations.get(name)
    assert fn is getattr(keras.activations, name)
    assert activations.serialize(fn) == name
    assert activations.deserialize(name) is fn
    keras_form = {"module": "keras.activations", "class_name": "function", "config": name,
                  "registered_name": name}
    assert keras.activations.deserialize(keras_form) is fn


def test_a_dense_layer_takes_them_by_name_and_round_trips():
    layer = keras.layers.Dense(4, activation="sparsemax")
    y = layer(np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32))
    np.testing.assert_allclose(y.data.sum(axis=-1), 1.0, rtol=1e-5)
    assert keras.layers.Dense.from_config(layer.get_config()).activation is activations.sparsemax


def test_deserialize_custom_objects_and_errors():
    def mine(x):
        return x
    assert activations.deserialize("mine", custom_objects={"mine": mine}) is mine
    with pytest.raises(ValueError, match="unknown activation 'nope'"):
        activations.deserialize("nope")
    with pytest.raises(ValueError, match="activations.deserialize"):
        activations.deserialize({"class_name": "Dense", "config": {}})
    with pytest.raises(ValueError, match="glu: axis -1 must have an even size"):
        activations.glu(np.ones((2, 3)))
    with pytest.raises(ValueError, match="squareplus: b must be >= 0"):
        activations.squareplus(np.ones(2), b=-1)
