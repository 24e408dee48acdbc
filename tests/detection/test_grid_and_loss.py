"""The grid targets (encode / decode) and the detector's loss: values, round trip, gradients."""

import numpy as np
import pytest

from dlpath.detection import (
    LAMBDA_COORD, LAMBDA_NOOBJ, Grid, decode, encode, encode_all, grid_detection_loss,
)
from dlpath.engine import Tensor, gradcheck

GRID = Grid(image_size=96, cells=12, prior=32.0, classes=10)


def perfect_outputs(targets, grid, margin=20.0):
    """Raw outputs (N, S, S, 5 + C) that decode to exactly the boxes of ``targets``."""
    targets = np.asarray(targets, dtype=np.float64)
    present = targets[..., 0] > 0
    outputs = np.full(targets.shape[:3] + (grid.channels,), -margin)
    outputs[..., 0] = np.where(present, margin, -margin)
    offsets = np.clip(targets[..., 1:3], 1e-9, 1 - 1e-9)
    outputs[..., 1:3] = np.log(offsets / (1 - offsets))    # sigmoid^-1
    outputs[..., 3:5] = targets[..., 3:5]
    n, i, j = np.nonzero(present)
    outputs[n, i, j, 5 + targets[n, i, j, 5].astype(int)] = margin
    return outputs


def test_encode_puts_a_box_in_the_cell_of_its_centre():
    # Centre (20, 40) px = (2.5, 5.0) cells: column 2, row 5, offset (0.5, 0.0).
    target = encode([[10, 20, 30, 60]], [7], GRID)
    assert target.shape == (12, 12, 6) and target.dtype == np.float32
    np.testing.assert_allclose(target[5, 2], [1, 0.5, 0.0, np.log(20 / 32), np.log(40 / 32), 7],
                               rtol=1e-6)
    assert target[..., 0].sum() == 1  # no other cell holds an object


def test_encode_keeps_the_larger_of_two_boxes_centred_in_one_cell():
    boxes = [[40, 40, 50, 50], [30, 30, 60, 60], [41, 41, 49, 49]]  # all centred at (45, 45)
    target = encode(boxes, [1, 2, 3], GRID)
    assert target[..., 0].sum() == 1 and target[5, 5, 5] == 2
    assert target[5, 5, 3] == pytest.approx(np.log(30 / 32))


def test_encode_decode_round_trip_gives_back_the_boxes_and_classes():
    rng = np.random.default_rng(0)
    all_boxes, all_classes = [], []
    for _ in range(6):  # boxes apart from each other, so none is suppressed
        cells = rng.choice(36, size=int(rng.integers(1, 6)), replace=False)
        centres = (np.stack([cells % 6, cells // 6], axis=1) * 16 + 8
                   + rng.uniform(-2, 2, (len(cells), 2)))
        sides = rng.uniform(4, 10, (len(cells), 2))   # inside the image and its cell block
        all_boxes.append(np.concatenate([centres - sides / 2, centres + sides / 2], axis=1))
        all_classes.append(rng.integers(0, 10, len(cells)))
    targets = encode_all(all_boxes, all_classes, GRID)
    assert targets.shape == (6, 12, 12, 6)
    found = decode(perfect_outputs(targets, GRID), GRID)
    for (boxes, scores, classes), true_boxes, true_classes in zip(found, all_boxes,
                                                                 all_classes):
        assert len(boxes) == len(true_boxes)
        order = np.lexsort((true_boxes[:, 1], true_boxes[:, 0]))
        mine = np.lexsort((boxes[:, 1], boxes[:, 0]))
        np.testing.assert_allclose(boxes[mine], true_boxes[order], atol=1e-4)
        np.testing.assert_array_equal(classes[mine], true_classes[order])
        np.testing.assert_allclose(scores, 1.0, atol=1e-6)


def test_decode_clips_to_the_image_and_keeps_at_most_max_detections():
    outputs = np.zeros((1, 12, 12, 15))
    outputs[..., 0] = 5.0
    outputs[..., 3:5] = 3.0          # boxes of 32 e^3 = 643 px: clipped to the image
    (boxes, scores, _), = decode(outputs, GRID, iou_threshold=1.0, max_detections=7)
    assert len(boxes) == 7
    assert boxes.min() == 0.0 and boxes.max() == 96.0


def test_encode_and_decode_reject_bad_input():
    with pytest.raises(ValueError, match="encode: 2 boxes but 1 classes"):
        encode([[0, 0, 4, 4], [1, 1, 5, 5]], [3], GRID)
    with pytest.raises(ValueError, match="positive width and height"):
        encode([[4, 4, 4, 9]], [3], GRID)
    with pytest.raises(ValueError, match=r"decode: expected outputs \(N, 12, 12, 15\)"):
        decode(np.zeros((1, 12, 12, 14)), GRID)
    assert encode_all([], [], GRID).shape == (0, 12, 12, 6)


# -- the loss ----------------------------------------------------------------------------

def _reference_loss(targets, outputs):
    """The loss as the formula in `dlpath.detection.loss` reads, in NumPy."""
    present = targets[..., 0]
    z = outputs[..., 0]
    bce = np.logaddexp(0, z) - present * z
    objectness = bce * (present + LAMBDA_NOOBJ * (1 - present))
    sigmoid = 1 / (1 + np.exp(-outputs[..., 1:3]))
    box = LAMBDA_COORD * present * (((sigmoid - targets[..., 1:3]) ** 2).sum(-1)
                                    + ((outputs[..., 3:5] - targets[..., 3:5]) ** 2).sum(-1))
    logits = outputs[..., 5:]
    log_softmax = logits - logits.max(-1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(-1, keepdims=True))
    label = targets[..., 5].astype(int)
    ce = -np.take_along_axis(log_softmax, label[..., None], axis=-1)[..., 0]
    return (objectness + box + present * ce).sum(axis=(1, 2))


def _random_case(rng, grid, n=2):
    targets = np.zeros((n, grid.cells, grid.cells, 6))
    present = rng.uniform(size=(n, grid.cells, grid.cells)) < 0.4
    targets[..., 0] = present
    targets[..., 1:3] = rng.uniform(0.05, 0.95, targets.shape[:3] + (2,)) * present[..., None]
    targets[..., 3:5] = rng.normal(0, 0.5, targets.shape[:3] + (2,)) * present[..., None]
    targets[..., 5] = rng.integers(0, grid.classes, present.shape) * present
    outputs = rng.normal(0, 1.5, targets.shape[:3] + (grid.channels,))
    return targets, outputs


def test_loss_equals_the_formula_on_random_outputs():
    grid = Grid(image_size=32, cells=4, prior=8.0, classes=3)
    targets, outputs = _random_case(np.random.default_rng(1), grid, n=3)
    loss = grid_detection_loss(targets, Tensor(outputs, dtype="float64"))
    assert loss.shape == (3,)
    np.testing.assert_allclose(loss.data, _reference_loss(targets, outputs), rtol=1e-10)


def test_loss_is_near_zero_for_perfect_predictions_and_grows_with_errors():
    targets = encode_all([[[10, 20, 30, 60], [50, 50, 90, 80]], [[0, 0, 20, 20]]],
                         [[7, 2], [4]], GRID).astype(np.float64)
    outputs = perfect_outputs(targets, GRID)
    loss = grid_detection_loss(targets, Tensor(outputs, dtype="float64")).data
    assert loss.shape == (2,) and np.all(loss >= 0) and loss.max() < 1e-6
    # Objectness, centre, size, class of the object in row 5, column 2: each counts.
    for channel, shift in ((0, -22.0), (1, 3.0), (3, 1.0), (5 + 7, -40.0)):
        wrong = outputs.copy()
        wrong[0, 5, 2, channel] += shift
        worse = grid_detection_loss(targets, Tensor(wrong, dtype="float64")).data
        assert worse[0] > 0.1 and worse[1] == pytest.approx(loss[1])


def test_loss_gradients_match_finite_differences_in_float64():
    grid = Grid(image_size=16, cells=2, prior=8.0, classes=3)
    targets, outputs = _random_case(np.random.default_rng(2), grid, n=2)
    targets[0, 0, 0] = [1, 0.3, 0.8, 0.2, -0.4, 2]   # at least one object
    targets[1, 1, 1] = 0                               # and at least one empty cell
    worst = gradcheck(lambda y_pred: grid_detection_loss(targets, y_pred), outputs)
    assert worst < 1e-6


def test_loss_rejects_mismatched_grids():
    with pytest.raises(ValueError, match=r"grid_detection_loss: expected targets \(N, S, S, 6\)"
                                         r".*\(2, 12, 12, 6\) and \(2, 6, 6, 15\)"):
        grid_detection_loss(np.zeros((2, 12, 12, 6)), Tensor(np.zeros((2, 6, 6, 15))))
    with pytest.raises(ValueError, match="grid_detection_loss"):
        grid_detection_loss(np.zeros((2, 12, 12, 5)), Tensor(np.zeros((2, 12, 12, 15))))
