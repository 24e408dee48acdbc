"""LeakyReLU, ELU, PReLU, ReLU, Softmax, ThresholdedReLU against PyTorch and their formulas."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import ELU, PReLU, ReLU, LeakyReLU, Softmax, ThresholdedReLU
from harness import run_layer_test


def _compare(layer, torch_fn, x, atol=1e-6):
    ours = Tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    out, expected = layer(ours), torch_fn(theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=atol, rtol=1e-5)
    upstream = np.random.default_rng(1).standard_normal(x.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), atol=atol, rtol=1e-5)


X = np.random.default_rng(0).standard_normal((3, 4, 5)).astype(np.float32) * 3


@pytest.mark.parametrize("layer, torch_fn", [
    (LeakyReLU(), lambda t: F.leaky_relu(t, 0.3)),
    (LeakyReLU(negative_slope=0.1), lambda t: F.leaky_relu(t, 0.1)),
    (LeakyReLU(alpha=0.2), lambda t: F.leaky_relu(t, 0.2)),
    (ELU(), F.elu),
    (ELU(alpha=0.5), lambda t: F.elu(t, 0.5)),
    (ReLU(), F.relu),
    (ReLU(max_value=6.0), F.relu6),
    (ReLU(max_value=2.0, negative_slope=0.1, threshold=0.5),
     lambda t: torch.clamp(torch.where(t >= 0.5, t, 0.1 * (t - 0.5)), max=2.0)),
    (ThresholdedReLU(theta=1.0), lambda t: torch.where(t > 1.0, t, torch.zeros_like(t))),
    (Softmax(), lambda t: F.softmax(t, -1)),
    (Softmax(axis=1), lambda t: F.softmax(t, 1)),
    (Softmax(axis=(1, 2)), lambda t: F.softmax(t.reshape(3, -1), -1).reshape(3, 4, 5)),
])
def test_activation_layers_match_torch(layer, torch_fn):
    _compare(layer, torch_fn, X)


@pytest.mark.parametrize("layer", [
    LeakyReLU(0.1, dtype="float64"), ELU(0.7, dtype="float64"),
    ReLU(1.5, 0.2, 0.3, dtype="float64"), Softmax(1, dtype="float64"),
    ThresholdedReLU(0.4, dtype="float64"), Softmax((1, 2), dtype="float64"),
])
def test_activation_layers_gradcheck(layer):
    x = np.random.default_rng(2).standard_normal((2, 3, 4))
    x[np.abs(x) < 0.05] += 0.2  # away from the kinks at 0
    x[np.abs(x - 0.3) < 0.05] += 0.2
    x[np.abs(x - 0.4) < 0.05] += 0.2
    x[np.abs(x - 1.5) < 0.05] += 0.2
    gradcheck(lambda t: layer(t), x)


def test_prelu_matches_torch_with_shared_axes():
    x = np.random.default_rng(3).standard_normal((2, 4, 4, 3)).astype(np.float32)
    alpha = np.array([0.1, 0.25, -0.3], np.float32)
    layer = PReLU(shared_axes=[1, 2])
    layer(x)
    assert len(layer.weights) == 1
    layer.set_weights([alpha.reshape(1, 1, 3)])
    assert layer.alpha.shape == (1, 1, 3)
    torch_prelu = torch.nn.PReLU(3)
    with torch.no_grad():
        torch_prelu.weight.copy_(torch.tensor(alpha))
    ours = Tensor(x, requires_grad=True)
    theirs = torch.tensor(x.transpose(0, 3, 1, 2), requires_grad=True)  # torch is NCHW
    out = layer(ours)
    expected = torch_prelu(theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy().transpose(0, 2, 3, 1),
                               rtol=1e-6, atol=1e-7)
    upstream = np.random.default_rng(4).standard_normal(x.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.alpha.grad.ravel(), torch_prelu.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-5)


def test_prelu_gradcheck_of_input_and_alpha():
    layer = PReLU(dtype="float64")
    x = np.random.default_rng(5).standard_normal((3, 4))
    x[np.abs(x) < 0.05] = 0.3
    layer(x)

    def fn(inputs, alpha):
        layer.alpha = alpha  # the weight as an input of the checked function
        return layer(inputs)

    gradcheck(fn, x, np.random.default_rng(6).standard_normal((4,)))


@pytest.mark.parametrize("cls, kwargs, weights", [
    (LeakyReLU, {"negative_slope": 0.2}, 0), (ELU, {"alpha": 0.5}, 0),
    (ReLU, {"max_value": 3.0, "threshold": 0.1}, 0), (Softmax, {"axis": 1}, 0),
    (ThresholdedReLU, {"theta": 0.5}, 0),
    (PReLU, {"alpha_initializer": "random_normal", "shared_axes": [1]}, 1),
])
def test_activation_layers_harness(cls, kwargs, weights):
    layer, _ = run_layer_test(cls, kwargs, (2, 3, 4), (2, 3, 4), weights)
    if cls is PReLU:
        assert layer.alpha.shape == (1, 4)


def test_softmax_mask_gives_masked_entries_zero_probability():
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    out = Softmax()(x, mask=np.array([[True, False, True]]))
    np.testing.assert_allclose(out.data, [[np.exp(1) / (np.exp(1) + np.exp(3)), 0,
                                           np.exp(3) / (np.exp(1) + np.exp(3))]], rtol=1e-6)


def test_leaky_relu_accepts_both_keras_names_and_saves_keras3_name():
    assert LeakyReLU().negative_slope == 0.3
    assert LeakyReLU(alpha=0.1).alpha == 0.1
    assert LeakyReLU(alpha=0.1).get_config()["negative_slope"] == 0.1
    with pytest.raises(ValueError, match="LeakyReLU: give negative_slope or"):
        LeakyReLU(negative_slope=0.1, alpha=0.2)


@pytest.mark.parametrize("make, message", [
    (lambda: ReLU(max_value=-1.0), r"ReLU: max_value must be >= 0"),
    (lambda: ReLU(negative_slope="a"), r"ReLU: negative_slope must be a number"),
    (lambda: ThresholdedReLU(theta=-1), r"ThresholdedReLU: theta must be >= 0"),
    (lambda: Softmax(axis="last"), r"Softmax: axis must be an int"),
    (lambda: PReLU(shared_axes=[0]), r"PReLU: shared_axes must be a positive int"),
])
def test_bad_arguments_name_layer_and_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_prelu_shared_axis_out_of_range_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"'p' \(PReLU\): shared_axes \(3,\).*\(2, 3\)"):
        PReLU(shared_axes=3, name="p")(np.zeros((2, 3)))
