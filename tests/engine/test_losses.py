"""Losses against PyTorch, finite differences, stability, and the fused softmax path."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor
from dlpath.engine import activations as A
from dlpath.engine import losses as L
from reference import check_op, random_inputs

RNG = np.random.default_rng(40)
TARGETS = RNG.standard_normal((6, 4))
PROBS_TARGET = RNG.uniform(0, 1, (6, 4)).round()
ONE_HOT = np.eye(4)[RNG.integers(0, 4, 6)]
LABELS = ONE_HOT.argmax(-1)


def test_mse_mae_huber_match_torch_per_sample():
    (pred,) = random_inputs([(6, 4)], seed=41)
    t = torch.tensor(TARGETS, dtype=torch.float32)
    check_op(lambda p: L.mean_squared_error(TARGETS, p),
             lambda p: F.mse_loss(p, t, reduction="none").mean(-1), [pred])
    check_op(lambda p: L.mean_absolute_error(TARGETS, p),
             lambda p: F.l1_loss(p, t, reduction="none").mean(-1), [pred])
    for delta in (1.0, 0.5):
        check_op(lambda p: L.huber(TARGETS, p, delta),
                 lambda p: F.huber_loss(p, t, reduction="none", delta=delta).mean(-1), [pred])


def test_binary_crossentropy_from_logits_and_probabilities_match_torch():
    (logits,) = random_inputs([(6, 4)], seed=42)
    t = torch.tensor(PROBS_TARGET, dtype=torch.float32)
    check_op(lambda z: L.binary_crossentropy(PROBS_TARGET, z, from_logits=True),
             lambda z: F.binary_cross_entropy_with_logits(z, t, reduction="none").mean(-1),
             [logits])
    probs = 1 / (1 + np.exp(-logits))
    check_op(lambda p: L.binary_crossentropy(PROBS_TARGET, p),
             lambda p: F.binary_cross_entropy(p, t, reduction="none").mean(-1), [probs])


def test_categorical_crossentropies_match_torch():
    (logits,) = random_inputs([(6, 4)], seed=43)
    labels = torch.tensor(LABELS)
    check_op(lambda z: L.sparse_categorical_crossentropy(LABELS, z, from_logits=True),
             lambda z: F.cross_entropy(z, labels, reduction="none"), [logits])
    check_op(lambda z: L.categorical_crossentropy(ONE_HOT, z, from_logits=True),
             lambda z: F.cross_entropy(z, torch.tensor(ONE_HOT, dtype=torch.float32),
                                       reduction="none"), [logits])
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    check_op(lambda p: L.sparse_categorical_crossentropy(LABELS, p),
             lambda p: F.nll_loss(torch.log(p / p.sum(-1, keepdim=True)), labels,
                                  reduction="none"), [probs])
    check_op(lambda p: L.categorical_crossentropy(ONE_HOT, p),
             lambda p: -(torch.tensor(ONE_HOT, dtype=torch.float32)
                         * torch.log(p / p.sum(-1, keepdim=True))).sum(-1), [probs])


def test_soft_labels_and_sequence_shaped_cross_entropy():
    (logits, raw) = random_inputs([(2, 3, 4), (2, 3, 4)], seed=44)
    soft = np.exp(raw) / np.exp(raw).sum(-1, keepdims=True)
    check_op(lambda z: L.categorical_crossentropy(soft, z, from_logits=True),
             lambda z: -(torch.tensor(soft, dtype=torch.float32)
                         * torch.log_softmax(z, -1)).sum(-1), [logits])
    labels = np.array([[0, 3, 1], [2, 2, 0]])
    check_op(lambda z: L.sparse_categorical_crossentropy(labels, z, from_logits=True),
             lambda z: F.cross_entropy(z.permute(0, 2, 1), torch.tensor(labels),
                                       reduction="none"), [logits])


def test_fused_softmax_cross_entropy_equals_the_composite_version():
    (logits,) = random_inputs([(5, 7)], seed=45)
    labels = np.arange(5) % 7
    z1 = Tensor(logits, requires_grad=True, dtype="float64")
    z2 = Tensor(logits, requires_grad=True, dtype="float64")
    fused = L.sparse_categorical_crossentropy(labels, z1, from_logits=True)
    one_hot = Tensor(np.eye(7)[labels], dtype="float64")
    composite = -(one_hot * A.log_softmax_composite(z2)).sum(axis=-1)
    np.testing.assert_allclose(fused.data, composite.data, rtol=1e-12)
    fused.sum().backward()
    composite.sum().backward()
    np.testing.assert_allclose(z1.grad, z2.grad, rtol=1e-10, atol=1e-14)


def test_cross_entropy_of_a_softmax_output_is_computed_from_its_logits():
    """Saturated wrong predictions still get the exact gradient softmax(z) - y."""
    logits = np.array([[1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]])
    z = Tensor(logits, requires_grad=True)
    loss = L.sparse_categorical_crossentropy(np.array([1, 2]), A.softmax(z))
    np.testing.assert_allclose(loss.data, [2000.0, np.log(3)], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, [[1, -1, 0], [1 / 3, 1 / 3, -2 / 3]], atol=1e-6)
    z2 = Tensor(logits, requires_grad=True)
    L.categorical_crossentropy(np.eye(3)[[1, 2]], A.softmax(z2)).sum().backward()
    np.testing.assert_allclose(z2.grad, z.grad, atol=1e-6)


def test_binary_crossentropy_of_a_sigmoid_output_is_computed_from_its_logits():
    z = Tensor(np.array([[1000.0], [-1000.0]]), requires_grad=True)
    loss = L.binary_crossentropy(np.array([[0.0], [0.0]]), A.sigmoid(z))
    np.testing.assert_allclose(loss.data, [1000.0, 0.0], atol=1e-4)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, [[1.0], [0.0]], atol=1e-6)


@pytest.mark.parametrize("fn, target", [
    (lambda z: L.sparse_categorical_crossentropy(np.array([0, 1]), z, from_logits=True), None),
    (lambda z: L.categorical_crossentropy(np.eye(3)[[0, 1]], z, from_logits=True), None),
    (lambda z: L.binary_crossentropy(np.ones((2, 3)), z, from_logits=True), None),
    (lambda z: L.sparse_categorical_crossentropy(np.array([0, 1]), A.softmax(z)), None),
    (lambda z: L.binary_crossentropy(np.ones((2, 3)), A.sigmoid(z)), None),
    (lambda z: L.binary_crossentropy(np.zeros((2, 3)), A.sigmoid(z) * 1.0), None),
    (lambda z: L.categorical_crossentropy(np.eye(3)[[0, 1]], A.softmax(z) * 1.0), None),
])
def test_cross_entropies_are_finite_at_logits_of_plus_minus_1000(fn, target):
    z = Tensor(np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 3.0]]), requires_grad=True)
    loss = fn(z)
    assert np.all(np.isfinite(loss.data))
    loss.sum().backward()
    assert np.all(np.isfinite(z.grad))


def test_keras_clips_probabilities_when_the_logits_are_unknown():
    probs = np.array([[1.0, 0.0]])
    loss = L.categorical_crossentropy(np.array([[0.0, 1.0]]), Tensor(probs))
    np.testing.assert_allclose(loss.data, [-np.log(1e-7)], rtol=1e-4)


def test_labels_of_shape_n_by_1_are_accepted():
    (logits,) = random_inputs([(4, 3)], seed=46)
    a = L.sparse_categorical_crossentropy(np.array([[0], [1], [2], [0]]), logits,
                                          from_logits=True)
    b = L.sparse_categorical_crossentropy(np.array([0, 1, 2, 0]), logits, from_logits=True)
    np.testing.assert_allclose(a.data, b.data)


def test_bad_labels_and_shapes_are_explained():
    z = Tensor(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"lie in \[0, 2\] for 3 classes.*from 0 to 3"):
        L.sparse_categorical_crossentropy(np.array([0, 1, 2, 3]), z)
    with pytest.raises(ValueError, match=r"labels have shape \(3,\), expected \(4,\)"):
        L.sparse_categorical_crossentropy(np.array([0, 1, 2]), z)
    with pytest.raises(ValueError, match="whole numbers"):
        L.sparse_categorical_crossentropy(np.array([0.5, 1, 2, 0]), z)
    with pytest.raises(ValueError, match=r"y_true has shape \(4, 2\) but y_pred has shape"):
        L.mean_squared_error(np.zeros((4, 2)), z)


def test_l1_and_l2_penalties():
    w = np.array([[1.0, -2.0], [0.5, 0.0]])
    check_op(lambda x: L.l1_penalty(x, 0.1), lambda x: 0.1 * x.abs().sum(), [w],
             finite_differences=False)
    check_op(lambda x: L.l2_penalty(x, 0.1), lambda x: 0.1 * (x * x).sum(), [w])
