"""Box area, IoU and NMS: hand-worked cases, brute-force references, and bad input."""

import numpy as np
import pytest

from dlpath.detection import batched_nms, box_area, box_iou, nms


# -- IoU on cases worked by hand ---------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 2, 2], [0, 0, 2, 2], 1.0),          # identical
    ([0, 0, 2, 2], [5, 5, 7, 8], 0.0),          # disjoint
    ([0, 0, 4, 4], [1, 1, 3, 3], 4 / 16),       # nested: the inner area over the outer
    ([0, 0, 2, 2], [2, 0, 4, 2], 0.0),          # touching along an edge
    ([0, 0, 2, 2], [2, 2, 4, 4], 0.0),          # touching at a corner
    ([0, 0, 2, 2], [1, 1, 3, 3], 1 / 7),        # a corner overlap: 1 / (4 + 4 - 1)
    ([0, 0, 4, 2], [2, 0, 6, 2], 4 / 12),       # half of each: 4 / (8 + 8 - 4)
    ([1, 1, 1, 1], [0, 0, 2, 2], 0.0),          # a zero-area box inside another
    ([1, 1, 1, 1], [1, 1, 1, 1], 0.0),          # two zero-area boxes: empty union
    ([0, 1, 3, 1], [0, 0, 3, 2], 0.0),          # a line of zero height
])
def test_iou_of_hand_worked_pairs(a, b, expected):
    got = box_iou([a], [b])
    assert got.shape == (1, 1)
    assert got[0, 0] == pytest.approx(expected, abs=1e-12)
    assert box_iou([b], [a])[0, 0] == pytest.approx(expected, abs=1e-12)  # symmetric


def test_area_and_the_all_pairs_shape():
    boxes = np.array([[0, 0, 2, 3], [1, 1, 1, 5], [-2, -2, 2, 2]])
    np.testing.assert_allclose(box_area(boxes), [6, 0, 16])
    assert box_iou(boxes, boxes[:2]).shape == (3, 2)
    assert box_iou(np.zeros((0, 4)), boxes).shape == (0, 3)
    assert box_iou(boxes, []).shape == (3, 0)


def _raster(box, size):
    """The pixel mask of an integer box on a size x size canvas."""
    mask = np.zeros((size, size), dtype=bool)
    x1, y1, x2, y2 = box
    mask[y1:y2, x1:x2] = True
    return mask


def _random_integer_boxes(rng, count, size):
    corners = rng.integers(0, size + 1, (count, 2, 2))       # (count, point, x|y)
    low, high = corners.min(axis=1), corners.max(axis=1)
    return np.concatenate([low, high], axis=1)               # x1, y1, x2, y2


def test_iou_equals_counting_pixels_on_random_integer_boxes():
    rng = np.random.default_rng(0)
    size = 24
    a, b = _random_integer_boxes(rng, 40, size), _random_integer_boxes(rng, 30, size)
    masks_a = [_raster(box, size) for box in a]
    masks_b = [_raster(box, size) for box in b]
    expected = np.zeros((len(a), len(b)))
    for i, ma in enumerate(masks_a):
        for j, mb in enumerate(masks_b):
            union = np.logical_or(ma, mb).sum()
            expected[i, j] = np.logical_and(ma, mb).sum() / union if union else 0.0
    np.testing.assert_allclose(box_iou(a, b), expected, atol=1e-12)


def _pair_iou(a, b):
    """IoU of two boxes, one scalar at a time."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _random_boxes(rng, count, spread=50.0):
    centres = rng.uniform(0, spread, (count, 2))
    sides = rng.uniform(0.5, 20, (count, 2))
    return np.concatenate([centres - sides / 2, centres + sides / 2], axis=1)


def test_iou_equals_a_pair_by_pair_loop_on_random_real_boxes():
    rng = np.random.default_rng(1)
    a, b = _random_boxes(rng, 25), _random_boxes(rng, 20)
    expected = [[_pair_iou(x, y) for y in b] for x in a]
    np.testing.assert_allclose(box_iou(a, b), expected, rtol=1e-12, atol=1e-15)
    assert box_iou(a, b).max() > 0.3 and box_iou(a, b).min() == 0.0  # both kinds occur


# -- NMS ---------------------------------------------------------------------------------

def _brute_nms(boxes, scores, threshold):
    """Greedy NMS as the definition reads: in order of score, keep a box unless a kept box
    overlaps it by more than the threshold."""
    kept = []
    for i in sorted(range(len(boxes)), key=lambda k: -scores[k]):
        if all(_pair_iou(boxes[i], boxes[k]) <= threshold for k in kept):
            kept.append(i)
    return kept


def test_nms_on_a_hand_worked_set():
    boxes = np.array([[0, 0, 10, 10],     # 0: score .9, kept
                      [1, 1, 11, 11],     # 1: IoU 81/119 = .68 with box 0, suppressed
                      [20, 20, 30, 30],   # 2: apart, kept
                      [0, 0, 10, 5],      # 3: IoU .5 with box 0: not above .5, kept
                      [21, 20, 31, 30]])  # 4: IoU 90/110 with box 2, suppressed
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.95])
    # Box 4 has the highest score, so it suppresses box 2 instead.
    np.testing.assert_array_equal(nms(boxes, scores, 0.5), [4, 0, 3])
    np.testing.assert_array_equal(nms(boxes, scores, 0.49), [4, 0])
    np.testing.assert_array_equal(nms(boxes, scores, 1.0), [4, 0, 1, 2, 3])  # keeps all


def test_nms_equals_the_brute_force_reference_on_random_boxes():
    rng = np.random.default_rng(2)
    for trial in range(20):
        count = int(rng.integers(1, 60))
        boxes, scores = _random_boxes(rng, count, spread=40.0), rng.uniform(0, 1, count)
        for threshold in (0.0, 0.3, 0.5, 0.7):
            np.testing.assert_array_equal(nms(boxes, scores, threshold),
                                          _brute_nms(boxes, scores, threshold))


def test_nms_keeps_the_lower_index_on_equal_scores_and_handles_no_boxes():
    boxes = np.array([[0, 0, 4, 4], [0, 0, 4, 4], [10, 10, 12, 12]])
    np.testing.assert_array_equal(nms(boxes, [0.5, 0.5, 0.5], 0.5), [0, 2])
    kept = nms(np.zeros((0, 4)), [], 0.5)
    assert kept.shape == (0,) and kept.dtype == np.int64


def test_batched_nms_never_suppresses_across_classes():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 10], [1, 0, 10, 10], [50, 50, 60, 60]])
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    # Same place, classes 3 and 5: both stay; box 2 (class 3) is suppressed by box 0.
    np.testing.assert_array_equal(batched_nms(boxes, scores, [3, 5, 3, 3], 0.5), [0, 1, 3])
    np.testing.assert_array_equal(batched_nms(boxes, scores, [3, 3, 3, 3], 0.5), [0, 3])


def test_batched_nms_equals_nms_per_class_on_random_boxes():
    rng = np.random.default_rng(3)
    for trial in range(10):
        count = 50
        boxes = _random_boxes(rng, count, spread=30.0) - 10.0  # negative coordinates too
        scores, classes = rng.uniform(0, 1, count), rng.integers(0, 4, count)
        expected = []
        for label in np.unique(classes):
            members = np.flatnonzero(classes == label)
            expected.extend(members[_brute_nms(boxes[members], scores[members], 0.4)])
        expected = sorted(expected, key=lambda k: -scores[k])
        np.testing.assert_array_equal(batched_nms(boxes, scores, classes, 0.4), expected)


def test_decode_applies_the_score_threshold_before_nms():
    from dlpath.detection import Grid, decode

    grid = Grid(image_size=32, cells=2, prior=8.0, classes=2)
    outputs = np.full((1, 2, 2, 7), -20.0)
    outputs[..., 1:5] = 0.0                                 # centred, of the prior's size
    outputs[..., 5] = 20.0                                  # every cell: class 0
    outputs[0, 0, 0, 0], outputs[0, 1, 1, 0] = 2.0, -1.0   # sigmoid: .88 and .27
    (boxes, scores, classes), = decode(outputs, grid, score_threshold=0.5)
    assert len(boxes) == 1 and scores[0] == pytest.approx(1 / (1 + np.exp(-2.0)))
    (boxes, scores, classes), = decode(outputs, grid, score_threshold=0.2)
    assert len(boxes) == 2 and scores[0] > scores[1] and list(classes) == [0, 0]
    assert len(decode(outputs, grid, score_threshold=0.99)[0][0]) == 0


# -- bad input ---------------------------------------------------------------------------

def test_bad_shapes_and_values_give_clear_errors():
    with pytest.raises(ValueError, match=r"box_iou: expected boxes of shape \(N, 4\).*\(4,\)"):
        box_iou([0, 0, 1, 1], [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match=r"box_area: .*\(2, 3\)"):
        box_area(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="x1 <= x2"):
        box_iou([[2, 0, 1, 1]], [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match="finite"):
        box_iou([[0, 0, np.nan, 1]], [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match="nms: 2 boxes but 3 scores"):
        nms([[0, 0, 1, 1], [0, 0, 2, 2]], [0.1, 0.2, 0.3], 0.5)
    with pytest.raises(ValueError, match=r"iou_threshold must lie in \[0, 1\], got 1.5"):
        nms([[0, 0, 1, 1]], [0.1], 1.5)
    with pytest.raises(ValueError, match="score must be finite"):
        nms([[0, 0, 1, 1]], [np.nan], 0.5)
    with pytest.raises(ValueError, match="batched_nms: 1 boxes but 2 classes"):
        batched_nms([[0, 0, 1, 1]], [0.1], [0, 1], 0.5)
