"""tf.nn's convolution, pooling, normalization, loss and CTC functions in TF's signatures:
against torch (layouts converted) or TF's formulas, gradients by finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlpath as tf
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(5)
X = RNG.standard_normal((2, 7, 6, 3))
K = RNG.standard_normal((3, 3, 3, 4))  # HWIO


def nchw(x):
    return torch.tensor(np.moveaxis(x, -1, 1))


def nhwc(t):
    return np.moveaxis(t.detach().numpy(), 1, -1)


def oihw(k):
    return torch.tensor(np.transpose(k, (3, 2, 0, 1)))


def test_conv2d_strides_lists_padding_and_dilations():
    expected = nhwc(F.conv2d(nchw(X), oihw(K), stride=2))
    out = tf.nn.conv2d(X, K, strides=[1, 2, 2, 1], padding="VALID")
    np.testing.assert_allclose(out.data, expected, atol=1e-10)
    expected = nhwc(F.conv2d(nchw(X), oihw(K), padding=2, dilation=2))
    np.testing.assert_allclose(tf.nn.atrous_conv2d(X, K, 2, "SAME").data, expected,
                               atol=1e-10)
    explicit = [[0, 0], [1, 1], [2, 0], [0, 0]]
    padded = F.pad(nchw(X), (2, 0, 1, 1))
    np.testing.assert_allclose(tf.nn.conv2d(X, K, 1, explicit).data,
                               nhwc(F.conv2d(padded, oihw(K))), atol=1e-10)
    nchw_out = tf.nn.conv2d(np.moveaxis(X, -1, 1), K, 1, "VALID", data_format="NCHW")
    np.testing.assert_allclose(nchw_out.data, F.conv2d(nchw(X), oihw(K)).numpy(), atol=1e-10)
    with pytest.raises(ValueError, match="conv2d: strides .* must be 1 on the batch"):
        tf.nn.conv2d(X, K, [2, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="conv2d: expected an input of rank 4"):
        tf.nn.conv2d(X[0], K, 1, "VALID")


def test_conv1d_conv3d_and_convolution():
    x1 = RNG.standard_normal((2, 9, 3))
    k1 = RNG.standard_normal((3, 3, 2))
    expected = F.conv1d(torch.tensor(x1).permute(0, 2, 1), torch.tensor(k1).permute(2, 1, 0),
                        stride=2).permute(0, 2, 1).numpy()
    np.testing.assert_allclose(tf.nn.conv1d(x1, k1, 2, "VALID").data, expected, atol=1e-10)
    np.testing.assert_allclose(tf.nn.convolution(x1, k1, 2).data, expected, atol=1e-10)
    x3 = RNG.standard_normal((1, 5, 5, 5, 2))
    k3 = RNG.standard_normal((2, 2, 2, 2, 3))
    expected = F.conv3d(torch.tensor(np.moveaxis(x3, -1, 1)),
                        torch.tensor(np.transpose(k3, (4, 3, 0, 1, 2))))
    np.testing.assert_allclose(tf.nn.conv3d(x3, k3, [1, 1, 1, 1, 1], "VALID").data,
                               np.moveaxis(expected.numpy(), 1, -1), atol=1e-10)


@pytest.mark.parametrize("padding, out_hw", [("SAME", (14, 12)), ("SAME", (13, 11)),
                                             ("VALID", (15, 13)), ("VALID", (16, 14))])
def test_conv2d_transpose_is_the_adjoint_of_conv2d(padding, out_hw):
    kt = RNG.standard_normal((3, 3, 5, 3))  # (kh, kw, out, in)
    shape = (2,) + out_hw + (5,)
    y = tf.nn.conv2d_transpose(X, kt, shape, 2, padding)
    assert y.shape == shape
    z = RNG.standard_normal(shape)
    forward = tf.nn.conv2d(z, kt, 2, padding).data  # <conv(z), x> = <z, conv^T(x)>
    np.testing.assert_allclose((forward * X).sum(), (y.data * z).sum(), rtol=1e-10)
    gradcheck(lambda a: tf.nn.conv2d_transpose(a, kt, (1,) + out_hw + (5,), 2, padding),
              X[:1])
    with pytest.raises(ValueError, match="conv2d_transpose: output_shape"):
        tf.nn.conv2d_transpose(X, kt, (2, 30, 30, 5), 2, padding)


def test_depthwise_and_separable_conv2d():
    dk = RNG.standard_normal((3, 3, 3, 2))
    pk = RNG.standard_normal((1, 1, 6, 4))
    weight = torch.tensor(np.transpose(dk.reshape(3, 3, 6), (2, 0, 1))[:, None])
    depth = F.conv2d(nchw(X), weight, groups=3, stride=2)
    out = tf.nn.depthwise_conv2d(X, dk, [1, 2, 2, 1], "VALID")
    np.testing.assert_allclose(out.data, nhwc(depth), atol=1e-10)
    out = tf.nn.separable_conv2d(X, dk, pk, [1, 2, 2, 1], "VALID")
    np.testing.assert_allclose(out.data, nhwc(F.conv2d(depth, oihw(pk))), atol=1e-10)


def test_pooling_spellings_match_torch():
    expected = nhwc(F.max_pool2d(nchw(X), 2))
    for fn in (tf.nn.max_pool, tf.nn.max_pool2d):
        np.testing.assert_allclose(fn(X, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").data, expected)
    np.testing.assert_allclose(tf.nn.pool(X, [2, 2], "MAX", [2, 2]).data, expected)
    expected = nhwc(F.avg_pool2d(nchw(X), 3, 2))
    np.testing.assert_allclose(tf.nn.avg_pool2d(X, 3, 2, "VALID").data, expected, atol=1e-12)
    x1 = RNG.standard_normal((2, 8, 3))
    np.testing.assert_allclose(tf.nn.avg_pool1d(x1, 2, 2, "VALID").data,
                               (x1[:, ::2] + x1[:, 1::2]) / 2)
    x3 = RNG.standard_normal((1, 4, 4, 4, 2))
    assert tf.nn.max_pool3d(x3, 2, 2, "VALID").shape == (1, 2, 2, 2, 2)
    assert tf.nn.avg_pool3d(x3, 2, 2, "SAME").shape == (1, 2, 2, 2, 2)
    with pytest.raises(ValueError, match="max_pool1d: expected an input of rank 3"):
        tf.nn.max_pool1d(X, 2, 2, "VALID")
    with pytest.raises(ValueError, match="pool: pooling_type"):
        tf.nn.pool(X, [2, 2], "MIN")


def test_moments_and_batch_normalization():
    x = RNG.standard_normal((4, 3))
    count, s1, s2, _ = tf.nn.sufficient_statistics(x, [0])
    mean, var = tf.nn.normalize_moments(count, s1, s2, None)
    np.testing.assert_allclose(mean.data, x.mean(0))
    np.testing.assert_allclose(var.data, x.var(0))
    w = RNG.random((4, 1))
    mean, var = tf.nn.weighted_moments(x, [0], w)
    expected = (w * x).sum(0) / (w.sum() * np.ones(3))
    np.testing.assert_allclose(mean.data, expected)
    np.testing.assert_allclose(var.data, (w * (x - expected) ** 2).sum(0) / w.sum())
    out = tf.nn.batch_normalization(x, x.mean(0), x.var(0), 0.5, 2.0, 1e-3)
    np.testing.assert_allclose(out.data, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) * 2 + 0.5)


def test_local_response_normalization_matches_tf_formula():
    x = RNG.standard_normal((1, 2, 2, 7))
    r, bias, alpha, beta = 2, 1.5, 0.3, 0.75
    out = tf.nn.local_response_normalization(x, r, bias, alpha, beta).data
    padded = np.pad(x ** 2, ((0, 0), (0, 0), (0, 0), (r, r)))
    sums = np.stack([padded[..., c:c + 2 * r + 1].sum(-1) for c in range(7)], -1)
    np.testing.assert_allclose(out, x / (bias + alpha * sums) ** beta)
    gradcheck(lambda a: tf.nn.lrn(a, r, bias, alpha, beta), x)


def test_losses_match_their_formulas_and_torch():
    z, x = RNG.random((3, 4)), RNG.standard_normal((3, 4))
    expected = F.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor(z),
                                                  pos_weight=torch.tensor(2.5),
                                                  reduction="none").numpy()
    np.testing.assert_allclose(tf.nn.weighted_cross_entropy_with_logits(z, x, 2.5).data,
                               expected, atol=1e-12)
    gradcheck(lambda a: tf.nn.weighted_cross_entropy_with_logits(z, a, 2.5), x)
    counts = np.array([[0.0, 1.0, 3.0, 7.0]])
    log_input = RNG.standard_normal((1, 4))
    expected = F.poisson_nll_loss(torch.tensor(log_input), torch.tensor(counts), full=True,
                                  reduction="none").numpy()
    np.testing.assert_allclose(tf.nn.log_poisson_loss(counts, log_input, True).data,
                               expected, atol=1e-12)
    np.testing.assert_allclose(tf.nn.l2_loss(x).data, (x ** 2).sum() / 2)
    np.testing.assert_allclose(tf.nn.compute_average_loss(x[:, 0], global_batch_size=6).data,
                               x[:, 0].sum() / 6)
    np.testing.assert_allclose(tf.nn.scale_regularization_loss([1.0, 2.0]).data, 3.0)


def test_misc_tf_nn_functions():
    values, indices = tf.nn.top_k(np.array([[1.0, 3.0, 2.0]]), 2)
    np.testing.assert_array_equal(indices.data, [[1, 2]])
    np.testing.assert_array_equal(tf.nn.in_top_k([2, 0], [[0.1, 0.2, 0.9], [0.1, 0.5, 0.4]],
                                                 1).data, [True, False])
    params = Tensor(RNG.standard_normal((5, 3)), requires_grad=True, dtype="float64")
    rows = tf.nn.embedding_lookup(params, np.array([[4, 0], [1, 1]]))
    np.testing.assert_array_equal(rows.data, params.data[[[4, 0], [1, 1]]])
    x = RNG.standard_normal((2, 3))
    np.testing.assert_allclose(tf.nn.crelu(x).data, np.concatenate(
        [np.maximum(x, 0), np.maximum(-x, 0)], -1))
    labels, lengths = tf.nn.collapse_repeated(np.array([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0]]),
                                              [5, 3])
    np.testing.assert_array_equal(labels.data, [[1, 2, 3], [4, 0, 0]])
    np.testing.assert_array_equal(lengths.data, [3, 1])
    y = tf.nn.depth_to_space(RNG.standard_normal((1, 2, 2, 4)), 2)
    assert y.shape == (1, 4, 4, 1)
    assert tf.nn.space_to_depth(y, 2).shape == (1, 2, 2, 4)


def test_ctc_loss_and_decoders_match_torch():
    steps, batch, classes = 6, 2, 4
    logits = RNG.standard_normal((steps, batch, classes))
    labels = np.array([[1, 2, 0], [3, 3, 1]])
    label_length, logit_length = np.array([2, 3]), np.array([6, 5])
    loss = tf.nn.ctc_loss(labels, logits, label_length, logit_length)
    expected = F.ctc_loss(torch.log_softmax(torch.tensor(logits), -1), torch.tensor(labels),
                          torch.tensor(logit_length), torch.tensor(label_length), blank=0,
                          reduction="none")
    np.testing.assert_allclose(loss.data, expected.numpy(), rtol=1e-5)
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(logits, logit_length)
    best = logits.argmax(-1).T  # (batch, time); blank = last class
    for n in range(batch):
        path = best[n, :logit_length[n]]
        keep = (path != classes - 1) & np.concatenate([[True], path[1:] != path[:-1]])
        got = decoded[0].data[n]
        np.testing.assert_array_equal(got[:keep.sum()], path[keep])
        np.testing.assert_allclose(neg_sum.data[n, 0],
                                   -logits[:logit_length[n], n].max(-1).sum(), rtol=1e-6)
    paths, scores = tf.nn.ctc_beam_search_decoder(logits, logit_length, 10, 2)
    assert len(paths) == 2 and scores.shape == (batch, 2)
    assert np.all(scores.data[:, 0] >= scores.data[:, 1])


def test_bias_add_follows_data_format():
    b = RNG.standard_normal(3)
    np.testing.assert_allclose(tf.nn.bias_add(X, b).data, X + b)
    first = np.moveaxis(X, -1, 1)
    np.testing.assert_allclose(tf.nn.bias_add(first, b, "NCHW").data, first + b[:, None, None])
    with pytest.raises(ValueError, match="bias_add: the bias has shape"):
        tf.nn.bias_add(X, np.zeros(4))
