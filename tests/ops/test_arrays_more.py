"""Shape, product and indexing functions of dlpath.ops.array_more and indexing_more: values
against NumPy (and torch for a few), gradients by finite differences in float64, errors that
name the function and the argument."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import dlpath as tf
from dlpath import ops
from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops

RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 4, 5))
M = RNG.standard_normal((4, 5))
V = RNG.standard_normal(4)

CASES = [
    ("pad_reflect", lambda a: ops.pad(a, [(1, 2), (0, 1), (2, 2)], "reflect"),
     lambda a: np.pad(a, [(1, 2), (0, 1), (2, 2)], "reflect"), X),
    ("pad_symmetric", lambda a: ops.pad(a, [(1, 2), (3, 1), (2, 2)], "symmetric"),
     lambda a: np.pad(a, [(1, 2), (3, 1), (2, 2)], "symmetric"), X),
    ("pad_edge", lambda a: ops.pad(a, 2, "edge"), lambda a: np.pad(a, 2, "edge"), M),
    ("pad_wrap", lambda a: ops.pad(a, [(1, 3)], "wrap"), lambda a: np.pad(a, [(1, 3)], "wrap"),
     M),
    ("pad_constant", lambda a: ops.pad(a, (1, 2), constant_values=3.0),
     lambda a: np.pad(a, (1, 2), constant_values=3.0), M),
    ("roll", lambda a: ops.roll(a, [1, -2], [0, 2]), lambda a: np.roll(a, [1, -2], [0, 2]), X),
    ("roll_flat", lambda a: ops.roll(a, 7), lambda a: np.roll(a, 7), X),
    ("tril", lambda a: ops.tril(a, -1), lambda a: np.tril(a, -1), X),
    ("triu", lambda a: ops.triu(a, 1), lambda a: np.triu(a, 1), X),
    ("diag_1d", lambda a: ops.diag(a, -1), lambda a: np.diag(a, -1), V),
    ("diag_2d", lambda a: ops.diag(a, 1), lambda a: np.diag(a, 1), M),
    ("diagonal", lambda a: ops.diagonal(a, 1, 0, 2), lambda a: np.diagonal(a, 1, 0, 2), X),
    ("diagflat", lambda a: ops.diagflat(a, 2), lambda a: np.diagflat(a, 2), M[:2, :2]),
    ("trace", lambda a: ops.trace(a, -1, 1, 2), lambda a: np.trace(a, -1, 1, 2), X),
    ("moveaxis", lambda a: ops.moveaxis(a, [0, 1], [-1, 0]),
     lambda a: np.moveaxis(a, [0, 1], [-1, 0]), X),
    ("swapaxes", lambda a: ops.swapaxes(a, 0, 2), lambda a: np.swapaxes(a, 0, 2), X),
    ("ravel", ops.ravel, np.ravel, X),
    ("rot90", lambda a: ops.rot90(a), np.rot90, M),
    ("rot90_k3", lambda a: ops.rot90(a, 3, (0, 2)), lambda a: np.rot90(a, 3, (0, 2)), X),
    ("rot90_k2", lambda a: ops.rot90(a, 2), lambda a: np.rot90(a, 2), M),
    ("fliplr", ops.fliplr, np.fliplr, M), ("flipud", ops.flipud, np.flipud, M),
    ("hstack", lambda a: ops.hstack([a, a[:, :2]]), lambda a: np.hstack([a, a[:, :2]]), M),
    ("vstack", lambda a: ops.vstack([a, a[0]]), lambda a: np.vstack([a, a[0]]), M),
    ("dstack", lambda a: ops.dstack([a, a]), lambda a: np.dstack([a, a]), M),
    ("column_stack", lambda a: ops.column_stack([a[0], a[1]]),
     lambda a: np.column_stack([a[0], a[1]]), M),
    ("append", lambda a: ops.append(a, a[:1], 0), lambda a: np.append(a, a[:1], 0), M),
    ("append_flat", lambda a: ops.append(a, a), lambda a: np.append(a, a), M),
    ("tensordot", lambda a: ops.tensordot(a, M, 2), lambda a: np.tensordot(a, M, 2), X),
    ("tensordot_axes", lambda a: ops.tensordot(a, X, ([0, 1], [1, 2])),
     lambda a: np.tensordot(a, X, ([0, 1], [1, 2])), M),
    ("outer", lambda a: ops.outer(a, V), lambda a: np.outer(a, V), V[:3]),
    ("inner", lambda a: ops.inner(a, M), lambda a: np.inner(a, M), X),
    ("vdot", lambda a: ops.vdot(a, M), lambda a: np.vdot(a, M), M),
    ("kron", lambda a: ops.kron(a, M[:2, :3]), lambda a: np.kron(a, M[:2, :3]), X[:2, :2, :2]),
    ("cross", lambda a: ops.cross(a, a[::-1] + 1), lambda a: np.cross(a, a[::-1] + 1),
     M[:, :3]),
    ("repeat", lambda a: tf.repeat(a, [2, 0, 1, 3], 0), lambda a: np.repeat(a, [2, 0, 1, 3], 0),
     M),
    ("reverse", lambda a: tf.reverse(a, [0, 2]), lambda a: a[::-1, :, ::-1], X),
    ("gather_nd", lambda a: tf.gather_nd(a, [[0, 1], [2, 3], [0, 1]]),
     lambda a: a[[0, 2, 0], [1, 3, 1]], X),
    ("boolean_mask", lambda a: tf.boolean_mask(a, X[:, :, 0] > 0), lambda a: a[X[:, :, 0] > 0],
     X),
    ("boolean_mask_axis", lambda a: tf.boolean_mask(a, [True, False, True, True], axis=1),
     lambda a: a[:, [0, 2, 3]], X),
    ("tf_slice", lambda a: tf.slice(a, [1, 0, 2], [2, -1, 2]), lambda a: a[1:3, :, 2:4], X),
    ("strided_slice", lambda a: tf.strided_slice(a, [0, 3], [3, 0], [2, -1], begin_mask=1),
     lambda a: a[:3:2, 3:0:-1], X),
    ("strided_shrink", lambda a: tf.strided_slice(a, [1, 0], [2, 4], shrink_axis_mask=1),
     lambda a: a[1, 0:4], X),
    ("strided_masks", lambda a: tf.strided_slice(a, [0, 0, 1], [0, 0, 3], [1, 1, 1],
                                                 ellipsis_mask=1, new_axis_mask=2),
     lambda a: a[..., None, 1:3], X),
    ("get_item", lambda a: kops.get_item(a, (slice(1, 3), 0)), lambda a: a[1:3, 0], X),
    ("tf_pad_reflect", lambda a: tf.pad(a, [[1, 1], [2, 0]], "REFLECT"),
     lambda a: np.pad(a, [[1, 1], [2, 0]], "reflect"), M),
    ("clip_by_norm", lambda a: tf.clip_by_norm(a, 1.5, axes=[1]),
     lambda a: a * 1.5 / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1.5), M),
]


@pytest.mark.parametrize("ours, theirs, data", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_values_match_numpy_and_gradients_by_finite_differences(ours, theirs, data):
    np.testing.assert_allclose(ours(Tensor(data, dtype="float64")).data, theirs(data),
                               rtol=1e-10, atol=1e-12)
    gradcheck(ours, data)


@pytest.mark.parametrize("mode", ["maximum", "minimum", "mean", "median", "linear_ramp",
                                  "empty", "reflect", "symmetric", "wrap", "edge"])
def test_every_keras_pad_mode_matches_numpy_and_has_gradients(mode):
    widths = [(2, 1), (0, 3), (6, 2)]  # wider than the last axis: NumPy repeats the pattern
    data = X[:2, :3]
    expected = np.pad(data, widths) if mode == "empty" else np.pad(data, widths, mode=mode)
    np.testing.assert_allclose(kops.pad(Tensor(data, dtype="float64"), widths, mode).data,
                               expected, rtol=1e-12)
    gradcheck(lambda a: kops.pad(a, widths, mode), data[:, :, :3] if mode == "median" else data)


def test_split_variants_match_numpy():
    for ours, theirs in ((ops.hsplit, np.hsplit), (ops.vsplit, np.vsplit)):
        for a, b in zip(ours(np.ones((4, 6)), 2), theirs(np.ones((4, 6)), 2)):
            assert a.shape == b.shape
    for a, b in zip(ops.array_split(X, 3, 2), np.array_split(X, 3, 2)):
        np.testing.assert_array_equal(a.data, b)
    assert [p.shape for p in ops.dsplit(X, [1, 3])] == [(3, 4, 1), (3, 4, 2), (3, 4, 2)]


def test_meshgrid_tri_and_kron_against_numpy_and_torch():
    a, b = np.arange(3.0), np.arange(4.0)
    for ours, theirs in zip(tf.meshgrid(a, b), np.meshgrid(a, b)):
        np.testing.assert_array_equal(ours.data, theirs)
    for ours, theirs in zip(ops.meshgrid(a, b, indexing="ij"),
                            torch.meshgrid(torch.tensor(a), torch.tensor(b), indexing="ij")):
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(ops.tri(3, 4, 1).data, np.tri(3, 4, 1))
    np.testing.assert_allclose(ops.kron(M[:2, :2], M[:3, :3]).data,
                               torch.kron(torch.tensor(M[:2, :2]), torch.tensor(M[:3, :3])))


def test_scatters_add_or_replace_and_pass_gradients():
    np.testing.assert_array_equal(tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5]).data,
                                  [0, 4, 0, 2, 0])
    np.testing.assert_array_equal(kops.scatter([[0, 1], [1, 0]], [5.0, 6.0], (2, 2)).data,
                                  [[0, 5], [6, 0]])
    updated = tf.tensor_scatter_nd_update(np.zeros((3, 2)), [[0], [2]], [[1.0, 2], [3, 4]])
    np.testing.assert_array_equal(updated.data, [[1, 2], [0, 0], [3, 4]])
    block = kops.slice_update(np.zeros((3, 4)), [1, 1], np.ones((2, 2)))
    np.testing.assert_array_equal(block.data[1:, 1:3], np.ones((2, 2)))
    assert block.data.sum() == 4
    gradcheck(lambda u: tf.scatter_nd([[1], [3], [1]], u, [5]), np.array([1.0, 2.0, 3.0]))
    gradcheck(lambda x, u: kops.scatter_update(x, [[0, 1], [2, 2], [0, 1]], u),
              RNG.standard_normal((3, 3)), RNG.standard_normal(3))
    gradcheck(lambda x, u: kops.slice_update(x, [0, 1], u), M, M[:2, :2])


def test_global_norm_clipping_matches_torch():
    grads = [RNG.standard_normal((3, 2)), RNG.standard_normal(4)]
    clipped, norm = tf.clip_by_global_norm(grads, 1.0)
    reference = [torch.tensor(g) for g in grads]
    for r in reference:
        r.grad = r.clone()
    total = torch.nn.utils.clip_grad_norm_(reference, 1.0)
    np.testing.assert_allclose(norm.data, total.numpy(), rtol=1e-12)
    for ours, r in zip(clipped, reference):
        np.testing.assert_allclose(ours.data, r.grad.numpy(), rtol=1e-5)
    gradcheck(lambda a, b: tf.clip_by_global_norm([a, b], 1.0)[0][0], *grads)


def test_masks_searches_and_unique():
    np.testing.assert_array_equal(tf.sequence_mask([1, 3], 4).data,
                                  [[1, 0, 0, 0], [1, 1, 1, 0]])
    assert tf.sequence_mask([2, 1]).shape == (2, 2)
    y, idx = tf.unique(np.array([4, 1, 4, 2, 1]))
    np.testing.assert_array_equal(y.data, [4, 1, 2])
    np.testing.assert_array_equal(idx.data, [0, 1, 0, 2, 1])
    values, inverse, counts = kops.unique(np.array([3, 1, 3]), return_inverse=True,
                                          return_counts=True)
    np.testing.assert_array_equal(values.data, [1, 3])
    np.testing.assert_array_equal(counts.data, [1, 2])
    np.testing.assert_array_equal(kops.searchsorted([1, 3, 5], [0, 3, 6], side="right").data,
                                  [0, 2, 3])
    np.testing.assert_array_equal(tf.searchsorted([[1, 3], [2, 4]], [[2], [5]]).data,
                                  [[1], [2]])
    np.testing.assert_array_equal(kops.digitize([0.5, 1.5, 3.0], [1.0, 2.0]).data, [0, 1, 2])


def test_keras_selection_helpers():
    picked = kops.select([np.array([True, False, False]), np.array([True, True, False])],
                         [np.array([1, 1, 1]), np.array([2, 2, 2])], default=9)
    np.testing.assert_array_equal(picked.data, [1, 2, 9])
    assert kops.switch(5, [lambda a: a + 1, lambda a: a * 10], 2) == 20
    assert kops.is_tensor(Tensor([1.0])) and not kops.is_tensor(np.ones(1))
    assert kops.ndim(X) == 3 and kops.dtype(np.ones(2, np.int32)) == "int32"
    assert kops.array([1.0, 2.0]).dtype == np.float32
    np.testing.assert_array_equal(kops.copy(M).data, M)
    assert tf.executing_eagerly() is True
    assert tf.ensure_shape(Tensor(M), [None, 5]).shape == (4, 5)
    assert kops.nonzero(np.array([0, 3, 0, 1]))[0].data.tolist() == [1, 3]


def test_errors_name_the_function_and_argument():
    with pytest.raises(ValueError, match="pad: mode must be one of"):
        ops.pad(M, 1, "mirror")
    with pytest.raises(ValueError, match="pad: REFLECT padding of 4 is too large for axis 0"):
        tf.pad(M, [(4, 0), (0, 0)], "REFLECT")
    with pytest.raises(ValueError, match="pad: constant_values only go with"):
        ops.pad(M, 1, "edge", constant_values=1.0)
    with pytest.raises(ValueError, match=r"pad: paddings must have shape \(2, 2\)"):
        tf.pad(M, [[1, 1]])
    with pytest.raises(ValueError, match="tensordot: axes"):
        ops.tensordot(M, M, 1)
    with pytest.raises(ValueError, match="tensordot: axis 2 is out of range"):
        ops.tensordot(M, X, ([0, 2], [1, 2]))
    with pytest.raises(ValueError, match="ensure_shape: expected shape"):
        tf.ensure_shape(M, [4, 4])
    with pytest.raises(IndexError, match="gather_nd: an index on axis 0"):
        tf.gather_nd(M, [[7, 0]])
    with pytest.raises(ValueError, match="boolean_mask: mask of shape"):
        tf.boolean_mask(M, [True, False])
    with pytest.raises(ValueError, match="repeat: 2 repeats for axis 0"):
        tf.repeat(M, [1, 2], 0)
    with pytest.raises(ValueError, match="slice_update: updates of shape"):
        kops.slice_update(M, [3, 0], np.ones((2, 2)))
    with pytest.raises(ValueError, match="cross: vectors must have 2 or 3"):
        ops.cross(M, M)
