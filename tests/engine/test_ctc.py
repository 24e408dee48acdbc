"""CTC loss against PyTorch and finite differences; decoding on hand-made cases; Keras names."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import keras
from dlpath.engine import Tensor, gradcheck
from dlpath.engine.activations import softmax
from dlpath.engine.ctc import CTCLoss, ctc_loss, ctc_nll
from dlpath.ops.ctc import beam_search_decode, greedy_decode
from reference import check_op

RNG = np.random.default_rng(70)
T, N, C = 9, 5, 5
# Varied input and label lengths, a label of repeats (3 3 3 needs 5 frames), an empty one.
INPUT_LENGTHS = np.array([9, 7, 9, 5, 6])
LABEL_LENGTHS = np.array([4, 3, 0, 2, 3])
TARGETS = np.array([[1, 2, 2, 4], [3, 3, 3, 1], [1, 1, 1, 1], [4, 1, 2, 2], [2, 1, 2, 3]])


def _torch_loss(logits, reduction, zero_infinity, targets=TARGETS, lengths=INPUT_LENGTHS,
                label_lengths=LABEL_LENGTHS):
    return F.ctc_loss(logits.log_softmax(-1), torch.tensor(targets), torch.tensor(lengths),
                      torch.tensor(label_lengths), blank=0, reduction=reduction,
                      zero_infinity=zero_infinity)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_values_and_gradients_match_torch(reduction, zero_infinity):
    logits = RNG.standard_normal((T, N, C))
    check_op(lambda z: ctc_loss(z.log_softmax(-1), TARGETS, INPUT_LENGTHS, LABEL_LENGTHS,
                                reduction=reduction, zero_infinity=zero_infinity),
             lambda z: _torch_loss(z, reduction, zero_infinity), [logits],
             finite_differences=reduction == "none")


def test_gradcheck_of_logits_and_of_log_probabilities_in_float64():
    logits = RNG.standard_normal((3, 6, 4))
    labels, lengths, label_lengths = np.array([[1, 1], [2, 3], [3, 0]]), [6, 5, 4], [2, 2, 1]
    gradcheck(lambda z: ctc_nll(z, labels, lengths, label_lengths, blank=0), logits)
    log_probs = np.log(RNG.dirichlet(np.ones(4), (3, 6)))
    gradcheck(lambda z: ctc_nll(z, labels, lengths, label_lengths, from_logits=False),
              log_probs)


def test_fused_gradient_equals_the_log_softmax_composite():
    logits = RNG.standard_normal((N, T, C))
    fused = Tensor(logits, requires_grad=True, dtype="float64")
    ctc_nll(fused, TARGETS, INPUT_LENGTHS, LABEL_LENGTHS).sum().backward()
    composite = Tensor(logits, requires_grad=True, dtype="float64")
    log_probs = composite.log_softmax(-1)
    loss = ctc_nll(log_probs, TARGETS, INPUT_LENGTHS, LABEL_LENGTHS, from_logits=False)
    assert loss._op.inputs[0] is log_probs  # the composite path really goes through it
    loss.sum().backward()
    np.testing.assert_allclose(fused.grad, composite.grad, atol=1e-12)
    # The torch front end hands a log-softmax's logits to the fused op.
    time_major = Tensor(logits.transpose(1, 0, 2), requires_grad=True)
    out = ctc_loss(time_major.log_softmax(-1), TARGETS, INPUT_LENGTHS, LABEL_LENGTHS,
                   reduction="none")
    assert isinstance(out._op, CTCLoss) and out._op.saved[8] is True  # from_logits


def test_raw_log_probabilities_give_torch_values():
    log_probs = np.log(RNG.dirichlet(np.ones(C), (T, N))) + 0.3  # not normalised
    ours = ctc_loss(Tensor(log_probs, dtype="float64"), TARGETS, INPUT_LENGTHS,
                    LABEL_LENGTHS, reduction="none")
    theirs = F.ctc_loss(torch.tensor(log_probs), torch.tensor(TARGETS),
                        torch.tensor(INPUT_LENGTHS), torch.tensor(LABEL_LENGTHS),
                        reduction="none")
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-10)


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_impossible_alignments_are_infinite_or_zeroed_as_in_torch(zero_infinity):
    # Sample 1: "3 3 3" in 4 frames (needs 5); sample 2: 4 labels in 3 frames.
    lengths, targets = np.array([6, 4, 3]), TARGETS[:3].copy()
    label_lengths = np.array([2, 3, 4])
    logits = RNG.standard_normal((6, 3, C))
    theirs_in = torch.tensor(logits, requires_grad=True)
    theirs = _torch_loss(theirs_in, "none", zero_infinity, targets, lengths, label_lengths)
    theirs.sum().backward()
    ours_in = Tensor(logits, requires_grad=True, dtype="float64")
    ours = ctc_loss(ours_in.log_softmax(-1), targets, lengths, label_lengths,
                    reduction="none", zero_infinity=zero_infinity)
    ours.sum().backward()
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
    assert np.isinf(ours.data[1:]).all() != zero_infinity
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), atol=1e-10,
                               equal_nan=True)
    grad = ours_in.grad.transpose(1, 0, 2)
    assert np.isfinite(grad[0]).all()
    assert np.isnan(grad[1, :4]).all() != zero_infinity


def test_concatenated_targets_equal_padded_ones():
    logits = Tensor(RNG.standard_normal((T, N, C)), dtype="float64").log_softmax(-1)
    flat = np.concatenate([row[:n] for row, n in zip(TARGETS, LABEL_LENGTHS)])
    padded = ctc_loss(logits, TARGETS, INPUT_LENGTHS, LABEL_LENGTHS, reduction="none")
    joined = ctc_loss(logits, flat, INPUT_LENGTHS, LABEL_LENGTHS, reduction="none")
    np.testing.assert_array_equal(padded.data, joined.data)


def test_loss_of_a_single_path_is_minus_its_log_probability():
    # Two frames, one label "1": alignments (1,1), (1,b), (b,1).
    y = np.array([[[0.2, 0.8], [0.6, 0.4]]])  # (N, T, C), blank 0
    loss = ctc_nll(np.log(y), [[1]], [2], [1], from_logits=False)
    p = 0.8 * 0.4 + 0.8 * 0.6 + 0.2 * 0.4
    np.testing.assert_allclose(loss.data, [-np.log(p)], rtol=1e-6)


@pytest.mark.parametrize("call, message", [
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [0]], [4, 4], [1, 1]), "other than the blank"),
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [3]], [4, 4], [1, 1]), "0..2"),
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [2]], [4, 5], [1, 1]), "input_lengths"),
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [2]], [4, 4], [1, 2]), "label_lengths"),
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [2]], [4], [1, 1]), "input_lengths"),
    (lambda: ctc_nll(np.zeros((4, 3)), [[1]], [4], [1]), "3-D"),
    (lambda: ctc_nll(np.zeros((2, 4, 3)), [[1], [2]], [4, 4], [1, 1], blank=3), "blank"),
    (lambda: ctc_loss(np.zeros((4, 2, 3)), [[1], [2]], [4, 4], [1, 1], reduction="avg"),
     "reduction"),
])
def test_bad_arguments_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------- decoding
def test_greedy_collapses_repeats_and_drops_blanks():
    path = [0, 1, 1, 0, 1, 2, 2, 0, 0]  # -> 1 1 2
    log_probs = np.log(np.full((1, 9, 3), 0.1))
    log_probs[0, np.arange(9), path] = np.log(0.8)
    sequences, scores = greedy_decode(log_probs)
    assert sequences == [[1, 1, 2]]
    np.testing.assert_allclose(scores, [9 * np.log(0.8)])
    short, _ = greedy_decode(log_probs, lengths=[3])
    assert short == [[1]]


def test_beam_search_finds_the_labelling_greedy_misses():
    # Each frame: blank 0.6, "1" 0.4. Best path: blank blank (p 0.36) -> "". But "1" has
    # p = 0.4 * 0.6 * 2 + 0.4 * 0.4 = 0.64.
    log_probs = np.log(np.array([[[0.6, 0.4], [0.6, 0.4]]]))
    assert greedy_decode(log_probs)[0] == [[]]
    paths, scores = beam_search_decode(log_probs, beam_width=4, top_paths=2)
    assert paths[0] == [[1]] and paths[1] == [[]]
    np.testing.assert_allclose(np.exp(scores), [[0.64, 0.36]])


def test_wide_beam_search_equals_exhaustive_enumeration():
    steps, classes = 5, 3
    y = np.random.default_rng(3).dirichlet(np.ones(classes), steps)
    totals = {}
    for path in itertools.product(range(classes), repeat=steps):
        labels = tuple(k for i, k in enumerate(path) if k != 0 and (i == 0 or path[i - 1] != k))
        totals[labels] = totals.get(labels, 0.0) + np.prod(y[np.arange(steps), path])
    best = sorted(totals.items(), key=lambda item: -item[1])[:3]
    paths, scores = beam_search_decode(np.log(y)[None], beam_width=200, top_paths=3)
    assert [paths[j][0] for j in range(3)] == [list(labels) for labels, _ in best]
    np.testing.assert_allclose(np.exp(scores[0]), [p for _, p in best], rtol=1e-9)
    # ... and each score is exp(-CTC loss) of that labelling.
    for labels, p in best[:2]:
        loss = ctc_nll(np.log(y)[None], [list(labels) or [1]], [steps], [len(labels)],
                       from_logits=False)
        np.testing.assert_allclose(np.exp(-loss.data), [p], rtol=1e-6)


def test_beam_keeps_a_label_repeated_across_a_blank():
    log_probs = np.log(np.array([[[0.05, 0.9, 0.05], [0.9, 0.05, 0.05], [0.05, 0.9, 0.05]]]))
    paths, _ = beam_search_decode(log_probs, beam_width=8)
    assert paths[0] == [[1, 1]]


# ---------------------------------------------------------------- Keras' names
def test_ctc_batch_cost_matches_the_engine_and_torch_with_the_last_class_blank():
    logits = RNG.standard_normal((N, T, C))
    labels = TARGETS - 1  # classes 0..3; the blank is 4
    ours_in = Tensor(logits, requires_grad=True, dtype="float64")
    cost = keras.backend.ctc_batch_cost(labels, softmax(ours_in), INPUT_LENGTHS[:, None],
                                        LABEL_LENGTHS[:, None])
    assert cost.shape == (N, 1)
    cost.sum().backward()
    theirs_in = torch.tensor(logits.transpose(1, 0, 2), requires_grad=True)
    theirs = F.ctc_loss(theirs_in.log_softmax(-1), torch.tensor(labels),
                        torch.tensor(INPUT_LENGTHS), torch.tensor(LABEL_LENGTHS), blank=C - 1,
                        reduction="none")
    theirs.sum().backward()
    np.testing.assert_allclose(cost.data[:, 0], theirs.detach().numpy(), rtol=1e-9)
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy().transpose(1, 0, 2),
                               atol=1e-9)
    # Plain probability arrays (no softmax op to see through): log(p + eps), renormalised.
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    plain = keras.backend.ctc_batch_cost(labels, probs, INPUT_LENGTHS[:, None],
                                         LABEL_LENGTHS[:, None])
    np.testing.assert_allclose(plain.data[:, 0], theirs.detach().numpy(), rtol=1e-4)


def test_ctc_decode_shapes_and_values_as_keras():
    probs = RNG.dirichlet(np.ones(C) * 0.3, (N, T))
    lengths = INPUT_LENGTHS
    decoded, log_prob = keras.backend.ctc_decode(probs, lengths)
    assert len(decoded) == 1 and decoded[0].shape == (N, T) and log_prob.shape == (N, 1)
    expected, scores = greedy_decode(np.log(probs + 1e-7), lengths, blank=C - 1)
    for row, sequence in zip(decoded[0], expected):
        assert row[:len(sequence)].tolist() == sequence and (row[len(sequence):] == -1).all()
    np.testing.assert_allclose(log_prob[:, 0], -scores)
    beams, beam_scores = keras.backend.ctc_decode(probs, lengths, greedy=False,
                                                  beam_width=10, top_paths=3)
    assert len(beams) == 3 and beams[0].shape == (N, T) and beam_scores.shape == (N, 3)
    assert (np.diff(beam_scores, axis=1) <= 0).all()


def test_keras3_ctc_loss_and_decode_take_logits_with_blank_zero():
    logits = RNG.standard_normal((N, T, C)).astype(np.float32)
    loss = keras.ops.ctc_loss(TARGETS, logits, LABEL_LENGTHS, INPUT_LENGTHS)
    expected = ctc_nll(logits, TARGETS, INPUT_LENGTHS, LABEL_LENGTHS, blank=0)
    assert loss.shape == (N,)
    np.testing.assert_allclose(loss.data, expected.data)
    decoded, scores = keras.ops.ctc_decode(logits, INPUT_LENGTHS)
    assert decoded.shape == (1, N, T) and scores.shape == (N, 1)
    beams, beam_scores = keras.ops.ctc_decode(logits, INPUT_LENGTHS, strategy="beam_search",
                                              beam_width=5, top_paths=2)
    assert beams.shape == (2, N, T) and beam_scores.shape == (N, 2)
    with pytest.raises(ValueError, match="strategy"):
        keras.ops.ctc_decode(logits, INPUT_LENGTHS, strategy="best")
