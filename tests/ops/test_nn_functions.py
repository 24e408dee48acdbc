"""keras.ops / keras.ops.nn functions (dlpath.ops.nn_more): convolutions and pooling against
torch with layouts converted, normalization, losses, attention and the rest against torch or
their formulas, gradients by finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import gradcheck
from dlpath.keras import ops as kops

RNG = np.random.default_rng(7)


def nchw(x):
    return torch.tensor(np.moveaxis(x, -1, 1))


def nhwc(t):
    return np.moveaxis(t.detach().numpy(), 1, -1)


def hwio_to_oihw(k):
    return torch.tensor(np.moveaxis(np.moveaxis(k, -1, 0), -1, 1))


# ------------------------------------------------------------------------------ convolutions
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_matches_torch_for_every_rank(rank):
    x = RNG.standard_normal((2,) + (6,) * rank + (3,))
    k = RNG.standard_normal((3,) * rank + (3, 4))
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[rank]
    expected = nhwc(fn(nchw(x), hwio_to_oihw(k), stride=2, dilation=1))
    np.testing.assert_allclose(kops.conv(x, k, strides=2).data, expected, atol=1e-10)
    expected = nhwc(fn(nchw(x), hwio_to_oihw(k), dilation=2, padding=2))
    np.testing.assert_allclose(kops.conv(x, k, padding="same", dilation_rate=2).data,
                               expected, atol=1e-10)


def test_conv_channels_first_and_gradients():
    x = RNG.standard_normal((1, 2, 5, 5))
    k = RNG.standard_normal((3, 3, 2, 2))
    expected = F.conv2d(torch.tensor(x), hwio_to_oihw(k), padding=1).numpy()
    out = kops.conv(x, k, padding="same", data_format="channels_first")
    np.testing.assert_allclose(out.data, expected, atol=1e-10)
    gradcheck(lambda a, b: kops.conv(a, b, 2, "same"), RNG.standard_normal((1, 5, 5, 2)), k)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_transpose_matches_torch(rank):
    x = RNG.standard_normal((2,) + (4,) * rank + (3,))
    k = RNG.standard_normal((3,) * rank + (2, 3))  # (spatial..., out, in)
    weight = torch.tensor(np.transpose(k, (rank + 1, rank) + tuple(range(rank))))
    fn = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[rank]
    expected = nhwc(fn(nchw(x), weight, stride=2))
    np.testing.assert_allclose(kops.conv_transpose(x, k, 2).data, expected, atol=1e-10)
    if rank < 3:
        gradcheck(lambda a: kops.conv_transpose(a, k, 2, "same"), x[:1])


def test_depthwise_and_separable_conv_match_torch():
    x = RNG.standard_normal((2, 6, 6, 3))
    dk = RNG.standard_normal((3, 3, 3, 2))  # (kh, kw, in, multiplier)
    pk = RNG.standard_normal((1, 1, 6, 4))
    weight = torch.tensor(np.transpose(dk.reshape(3, 3, 6), (2, 0, 1))[:, None])
    depth = F.conv2d(nchw(x), weight, groups=3)
    np.testing.assert_allclose(kops.depthwise_conv(x, dk).data, nhwc(depth), atol=1e-10)
    expected = nhwc(F.conv2d(depth, hwio_to_oihw(pk)))
    np.testing.assert_allclose(kops.separable_conv(x, dk, pk).data, expected, atol=1e-10)
    gradcheck(lambda a, b: kops.nn.separable_conv(a, b, pk), x[:1], dk)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_pools_match_torch(rank):
    x = RNG.standard_normal((2,) + (6,) * rank + (3,))
    tmax = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
    tavg = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[rank]
    np.testing.assert_allclose(kops.max_pool(x, 2).data, nhwc(tmax(nchw(x), 2)))
    np.testing.assert_allclose(kops.average_pool(x, 3, 2).data, nhwc(tavg(nchw(x), 3, 2)),
                               atol=1e-12)
    gradcheck(lambda a: kops.average_pool(a, 2, 1, "same"), x[:1])


def test_conv_errors_name_the_function_and_argument():
    with pytest.raises(ValueError, match="conv: inputs must have rank"):
        kops.conv(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="conv: padding must be 'valid' or 'same'"):
        kops.conv(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), padding="full")
    with pytest.raises(ValueError, match="data_format"):
        kops.max_pool(np.zeros((1, 4, 4, 1)), 2, data_format="NHCW")
    with pytest.raises(ValueError, match="depthwise_conv: inputs must have rank 3, 4"):
        kops.depthwise_conv(np.zeros((1, 4, 4, 4, 1)), np.zeros((2, 2, 2, 1, 1)))


# ------------------------------------------------------------------------------ normalization
def test_batch_layer_and_rms_normalization_match_torch():
    x = RNG.standard_normal((3, 4, 5))
    mean, var = RNG.standard_normal(5), RNG.random(5) + 0.5
    gamma, beta = RNG.standard_normal(5), RNG.standard_normal(5)
    t = lambda a: torch.tensor(a)  # noqa: E731
    expected = F.batch_norm(t(x).permute(0, 2, 1), t(mean), t(var), t(gamma), t(beta),
                            eps=1e-3).permute(0, 2, 1).numpy()
    np.testing.assert_allclose(kops.batch_normalization(x, mean, var, -1, beta, gamma).data,
                               expected, atol=1e-12)
    expected = F.layer_norm(t(x), (5,), t(gamma), t(beta), 1e-3).numpy()
    np.testing.assert_allclose(kops.layer_normalization(x, gamma, beta, epsilon=1e-3).data,
                               expected, atol=1e-7)
    expected = F.layer_norm(t(x), (5,), eps=1e-7).numpy()  # Keras' default: epsilon()
    np.testing.assert_allclose(kops.layer_normalization(x).data, expected, atol=1e-6)
    expected = F.rms_norm(t(x), (5,), t(gamma), 1e-6).numpy()
    np.testing.assert_allclose(kops.rms_normalization(x, gamma, epsilon=1e-6).data, expected,
                               atol=1e-12)
    gradcheck(lambda a: kops.rms_normalization(a, gamma), x)
    gradcheck(lambda a: kops.layer_normalization(a, gamma, beta), x)
    with pytest.raises(ValueError, match="batch_normalization: mean has shape"):
        kops.batch_normalization(x, np.zeros(4), var, -1)


# ------------------------------------------------------------------------------------ losses
def test_cross_entropies_are_element_wise_and_match_torch():
    p = RNG.random((4, 5)) * 0.9 + 0.05
    y = RNG.random((4, 5))
    expected = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y), reduction="none")
    np.testing.assert_allclose(kops.binary_crossentropy(y, p).data, expected.numpy())
    logits = RNG.standard_normal((4, 5))
    expected = F.binary_cross_entropy_with_logits(torch.tensor(logits), torch.tensor(y),
                                                  reduction="none")
    np.testing.assert_allclose(kops.binary_crossentropy(y, logits, from_logits=True).data,
                               expected.numpy(), atol=1e-12)
    labels = np.array([0, 3, 4, 1])
    expected = F.cross_entropy(torch.tensor(logits), torch.tensor(labels), reduction="none")
    np.testing.assert_allclose(
        kops.sparse_categorical_crossentropy(labels, logits, from_logits=True).data,
        expected.numpy(), atol=1e-12)
    onehot = np.eye(5)[labels]
    probs = torch.softmax(torch.tensor(logits), -1).numpy()
    np.testing.assert_allclose(kops.categorical_crossentropy(onehot, probs).data,
                               expected.numpy(), atol=1e-7)
    gradcheck(lambda a: kops.categorical_crossentropy(onehot, a, from_logits=True), logits)
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy: targets must"):
        kops.sparse_categorical_crossentropy(np.array([0, 5, 0, 0]), logits)


# ---------------------------------------------------------------------------------- attention
def test_dot_product_attention_matches_torch_with_causal_mask_and_bias():
    q, k, v = (RNG.standard_normal((2, n, 3, 4)) for n in (5, 7, 7))
    tq, tk, tv = (torch.tensor(a).permute(0, 2, 1, 3) for a in (q, k, v))
    expected = F.scaled_dot_product_attention(tq, tk, tv, is_causal=True)
    np.testing.assert_allclose(kops.dot_product_attention(q, k, v, is_causal=True).data,
                               expected.permute(0, 2, 1, 3).numpy(), atol=1e-12)
    bias = RNG.standard_normal((1, 3, 5, 7))
    expected = F.scaled_dot_product_attention(tq, tk, tv, attn_mask=torch.tensor(bias),
                                              scale=0.3)
    np.testing.assert_allclose(kops.dot_product_attention(q, k, v, bias, scale=0.3).data,
                               expected.permute(0, 2, 1, 3).numpy(), atol=1e-12)
    gradcheck(lambda a, b, c: kops.dot_product_attention(a, b, c, is_causal=True), q, k, v)
    with pytest.raises(ValueError, match="dot_product_attention: query, key and value"):
        kops.dot_product_attention(q[0], k[0], v[0])


# --------------------------------------------------------------------------------------- misc
def test_depth_to_space_follows_tf_order_and_inverts():
    x = RNG.standard_normal((2, 3, 3, 8))
    y = kops.depth_to_space(x, 2).data
    assert y.shape == (2, 6, 6, 2)
    for i, j, c in [(0, 0, 0), (0, 1, 1), (1, 0, 0), (1, 1, 1)]:  # TF: channel (i b + j) C + c
        np.testing.assert_array_equal(y[:, i::2, j::2, c], x[..., (i * 2 + j) * 2 + c])
    np.testing.assert_array_equal(kops.space_to_depth(y, 2).data, x)
    gradcheck(lambda a: kops.depth_to_space(a, 2), x[:1])
    with pytest.raises(ValueError, match="depth_to_space: block_size"):
        kops.depth_to_space(x, 3)


def test_misc_functions_against_their_formulas():
    frames = kops.extract_sequences(np.arange(10.0), 4, 3).data
    np.testing.assert_array_equal(frames, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    np.testing.assert_array_equal(kops.multi_hot(np.array([[0, 2], [1, 1]]), 4).data,
                                  [[1, 0, 1, 0], [0, 1, 0, 0]])
    np.testing.assert_array_equal(
        kops.in_top_k([1, 0, 2], [[0.1, 0.5, 0.5], [0.2, 0.3, 0.1], [3, 2, 1]], 1).data,
        [True, False, False])  # ties at the boundary count as in (TF)
    a, b = RNG.random((3, 4)), RNG.random((3, 4))
    expected = 20 * np.log10(1.0) - 10 * np.log10(np.mean((a - b) ** 2))
    np.testing.assert_allclose(kops.psnr(a, b, 1.0).data, expected)
    x = RNG.standard_normal((3, 4))
    t = torch.tensor(x)
    for ours, theirs in [(kops.nn.celu, F.celu), (kops.hard_tanh, F.hardtanh),
                         (kops.log_sigmoid, F.logsigmoid), (kops.softsign, F.softsign)]:
        np.testing.assert_allclose(ours(x).data, theirs(t).numpy(), rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="multi_hot: ids must lie"):
        kops.multi_hot(np.array([[5]]), 4)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adaptive_pools_match_torch(rank):
    x = RNG.standard_normal((2,) + (7, 5, 6)[:rank] + (3,))
    size = (3, 2, 4)[:rank]
    tavg = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[rank]
    tmax = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}[rank]
    np.testing.assert_allclose(kops.nn.adaptive_average_pool(x, size).data,
                               nhwc(tavg(nchw(x), size)), atol=1e-12)
    np.testing.assert_allclose(kops.nn.adaptive_max_pool(x, size).data,
                               nhwc(tmax(nchw(x), size)))
    gradcheck(lambda a: kops.nn.adaptive_average_pool(a, size), x[:1])
    with pytest.raises(ValueError, match="adaptive_max_pool: output_size must be positive"):
        kops.nn.adaptive_max_pool(x, 0)


def test_nn_and_linalg_import_as_submodules_of_keras_ops():
    import importlib

    assert importlib.import_module("dlpath.keras.ops.nn").conv is kops.conv
    assert importlib.import_module("dlpath.keras.ops.linalg").solve is kops.solve
    with pytest.raises(AttributeError, match="not_a_function"):
        kops.nn.not_a_function  # noqa: B018


def test_convolutions_compute_in_the_inputs_precision():
    x = np.ones((1, 4, 4, 2), np.float32)
    assert kops.conv(x, np.ones((3, 3, 2, 1))).dtype == np.float32
    assert kops.depthwise_conv(x, np.ones((3, 3, 2, 1))).dtype == np.float32
    assert kops.conv_transpose(x, np.ones((3, 3, 1, 2))).dtype == np.float32
