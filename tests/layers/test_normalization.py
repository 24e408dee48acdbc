"""BatchNormalization and LayerNormalization against PyTorch and Keras' rules."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import BatchNormalization, Embedding, LayerNormalization
from harness import run_layer_test

# (input shape, PyTorch module, permutation NHWC-like -> PyTorch's channels-first)
BATCH_NORM_CASES = {
    "dense": ((8, 3), torch.nn.BatchNorm1d, (0, 1)),
    "sequence": ((4, 5, 3), torch.nn.BatchNorm1d, (0, 2, 1)),
    "image": ((3, 4, 5, 3), torch.nn.BatchNorm2d, (0, 3, 1, 2)),
}


def _torch_batch_norm(layer, module_cls, channels, momentum):
    module = module_cls(channels, eps=layer.epsilon, momentum=1 - momentum)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(layer.gamma.data))
        module.bias.copy_(torch.tensor(layer.beta.data))
        module.running_mean.copy_(torch.tensor(layer.moving_mean.data))
        module.running_var.copy_(torch.tensor(layer.moving_variance.data))
    return module


def _randomize(layer, rng):
    for weight in layer.weights:
        values = rng.standard_normal(weight.shape)
        if "variance" in weight.name:
            values = np.abs(values) + 0.5
        weight.assign(values.astype(np.float32))


@pytest.mark.parametrize("case", sorted(BATCH_NORM_CASES))
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_torch(case, training):
    shape, module_cls, perm = BATCH_NORM_CASES[case]
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 2 + 0.5).astype(np.float32)
    momentum = 0.9
    layer = BatchNormalization(momentum=momentum)
    layer.build(shape)
    layer.built = True
    _randomize(layer, rng)
    before_mean = layer.moving_mean.data.copy()
    before_var = layer.moving_variance.data.copy()
    module = _torch_batch_norm(layer, module_cls, shape[-1], momentum)
    module.train(training)

    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs, training=training)
    theirs_in = torch.tensor(x, requires_grad=True)
    inverse = tuple(np.argsort(perm))
    theirs = module(theirs_in.permute(*perm)).permute(*inverse)
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-4, atol=1e-5)

    upstream = rng.standard_normal(shape).astype(np.float32)
    out.backward(upstream)
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, theirs_in.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.gamma.grad, module.weight.grad.numpy(), rtol=1e-4,
                               atol=1e-4)
    np.testing.assert_allclose(layer.beta.grad, module.bias.grad.numpy(), rtol=1e-4,
                               atol=1e-4)

    axes = tuple(range(len(shape) - 1))
    if training:
        # Moving mean: the same rule as PyTorch's running mean with momentum 1 - m.
        np.testing.assert_allclose(layer.moving_mean.data, module.running_mean.numpy(),
                                   rtol=1e-5, atol=1e-6)
        # Moving variance: Keras uses the biased batch variance (PyTorch the unbiased one).
        expected = before_var * momentum + x.var(axis=axes) * (1 - momentum)
        np.testing.assert_allclose(layer.moving_variance.data, expected, rtol=1e-5)
        count = x.size // shape[-1]
        unbiased = before_var * momentum + x.var(axis=axes) * count / (count - 1) * (
            1 - momentum)
        np.testing.assert_allclose(module.running_var.numpy(), unbiased, rtol=1e-5)
    else:
        np.testing.assert_array_equal(layer.moving_mean.data, before_mean)
        np.testing.assert_array_equal(layer.moving_variance.data, before_var)


def test_batch_norm_moving_statistics_converge_to_the_data_statistics():
    rng = np.random.default_rng(1)
    layer = BatchNormalization(momentum=0.5)
    for _ in range(40):
        layer(Tensor(rng.normal(3.0, 2.0, (256, 2))), training=True)
    np.testing.assert_allclose(layer.moving_mean.data, 3.0, atol=0.3)
    np.testing.assert_allclose(layer.moving_variance.data, 4.0, rtol=0.2)
    # Inference now normalizes with them.
    out = layer(Tensor(np.full((1, 2), 3.0, np.float32)), training=False)
    np.testing.assert_allclose(out.data, 0.0, atol=0.2)


def test_frozen_batch_norm_uses_moving_statistics_even_when_training():
    rng = np.random.default_rng(2)
    layer = BatchNormalization()
    x = Tensor(rng.standard_normal((6, 3)) * 5 + 2)
    expected = layer(x, training=False).data
    layer.trainable = False
    np.testing.assert_array_equal(layer(x, training=True).data, expected)
    np.testing.assert_array_equal(layer.moving_mean.data, 0.0)
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 4


def test_batch_norm_with_mask_leaves_masked_steps_out_of_the_statistics():
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 0, 0, 0]])
    embedded = Embedding(10, 4, mask_zero=True)(Tensor(ids))
    layer = BatchNormalization(momentum=0.0)
    out = layer(embedded, training=True)
    kept = embedded.data[ids != 0]  # (5, 4)
    np.testing.assert_allclose(layer.moving_mean.data, kept.mean(0), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(layer.moving_variance.data, kept.var(0), rtol=1e-4)
    normalized = (embedded.data - kept.mean(0)) / np.sqrt(kept.var(0) + 1e-3)
    np.testing.assert_allclose(out.data, normalized, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(out._mask.data, ids != 0)


def test_batch_norm_channels_first_axis_matches_torch():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 3, 5, 5)).astype(np.float32)
    layer = BatchNormalization(axis=1, gamma_initializer="random_normal")
    out = layer(Tensor(x), training=True)
    module = torch.nn.BatchNorm2d(3, eps=1e-3)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(layer.gamma.data))
    np.testing.assert_allclose(out.data, module(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)
    assert layer.gamma.shape == (3,)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_input_gradient_passes_finite_differences(training):
    rng = np.random.default_rng(5)
    layer = BatchNormalization(dtype="float64", momentum=0.8)
    layer.build((4, 3))
    layer.built = True
    _randomize(layer, rng)
    gradcheck(lambda x: layer(x, training=training), rng.standard_normal((4, 3)))


@pytest.mark.parametrize("kwargs, trainable, non_trainable", [
    ({}, 2, 2), ({"center": False}, 1, 2), ({"scale": False, "center": False}, 0, 2)])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4, 3)])
def test_batch_norm_layer_contract(kwargs, trainable, non_trainable, shape):
    layer, _ = run_layer_test(BatchNormalization, {"momentum": 0.9, **kwargs}, shape, shape,
                              trainable, non_trainable, training=True)
    assert [w.name.split("/")[-1] for w in layer.weights][-2:] == [
        "moving_mean", "moving_variance"]


def test_batch_norm_errors_name_the_layer_and_shapes():
    layer = BatchNormalization(name="bn")
    layer(Tensor(np.zeros((2, 5, 3))))
    with pytest.raises(ValueError, match=r"'bn'.*size 3.*\(2, 5, 4\)"):
        layer(Tensor(np.zeros((2, 5, 4))))
    with pytest.raises(ValueError, match=r"'bn'.*rank 3.*\(2, 3\)"):
        layer(Tensor(np.zeros((2, 3))))
    with pytest.raises(ValueError, match=r"axis 3 is out of range.*\(2, 3\)"):
        BatchNormalization(axis=3)(Tensor(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="momentum"):
        BatchNormalization(momentum=1.5)


@pytest.mark.parametrize("shape, axis", [((5, 6), -1), ((2, 4, 6), -1), ((2, 4, 6), [-2, -1]),
                                         ((2, 3, 3, 4), -1)])
def test_layer_norm_matches_torch(shape, axis):
    rng = np.random.default_rng(6)
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
    layer = LayerNormalization(axis=axis, epsilon=1e-5, gamma_initializer="random_normal",
                               beta_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    normalized_shape = layer.gamma.shape
    module = torch.nn.LayerNorm(normalized_shape, eps=1e-5)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(layer.gamma.data))
        module.bias.copy_(torch.tensor(layer.beta.data))
    theirs_in = torch.tensor(x, requires_grad=True)
    theirs = module(theirs_in)
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = rng.standard_normal(shape).astype(np.float32)
    out.backward(upstream)
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, theirs_in.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.gamma.grad, module.weight.grad.numpy(), rtol=1e-4,
                               atol=1e-4)
    np.testing.assert_allclose(layer.beta.grad, module.bias.grad.numpy(), rtol=1e-4,
                               atol=1e-4)


def test_layer_norm_gradcheck_and_same_in_training_and_inference():
    rng = np.random.default_rng(7)
    layer = LayerNormalization(dtype="float64", gamma_initializer="random_normal")
    x = rng.standard_normal((3, 2, 4))
    gradcheck(lambda t: layer(t), x)
    np.testing.assert_array_equal(layer(Tensor(x), training=True).data,
                                  layer(Tensor(x), training=False).data)


@pytest.mark.parametrize("kwargs, trainable", [({}, 2), ({"scale": False}, 1),
                                               ({"axis": [1, 2]}, 2)])
def test_layer_norm_layer_contract(kwargs, trainable):
    run_layer_test(LayerNormalization, kwargs, (2, 3, 4), (2, 3, 4), trainable)


def test_layer_norm_defaults_and_errors():
    layer = LayerNormalization(name="ln")
    assert layer.epsilon == 1e-3 and layer.axis == -1
    layer(Tensor(np.zeros((2, 4))))
    with pytest.raises(ValueError, match=r"'ln'.*size 4.*\(2, 5\)"):
        layer(Tensor(np.zeros((2, 5))))
    mask_holder = Embedding(5, 4, mask_zero=True)(Tensor(np.array([[1, 0]])))
    assert LayerNormalization()(mask_holder)._mask is not None


def test_unset_keras_only_arguments_are_accepted_and_set_ones_refused():
    BatchNormalization(fused=True, beta_constraint=None, renorm=False)
    LayerNormalization(gamma_constraint=None, rms_scaling=False)
    with pytest.raises(ValueError, match="renorm"):
        BatchNormalization(renorm=True)


def test_float64_batch_norm_inference_keeps_float64_precision():
    rng = np.random.default_rng(0)
    layer = BatchNormalization(dtype="float64", epsilon=1e-3)
    x = rng.normal(2.0, 3.0, size=(16, 5))
    layer(Tensor(x, dtype="float64"), training=True)
    layer.moving_variance.data[:] = rng.uniform(0.5, 2.0, size=5)
    y = layer(Tensor(x, dtype="float64"), training=False).data
    expected = (x - layer.moving_mean.data) / np.sqrt(layer.moving_variance.data + 1e-3)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, expected, rtol=1e-13, atol=1e-13)
