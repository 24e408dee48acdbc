"""mAP by pycocotools' COCOeval on sets whose AP is worked out by hand.

COCO reads precision at the 101 recall points r = 0, 0.01, ..., 1: at each r it takes the
interpolated precision max_{r' >= r} p(r') at the first detection whose recall reaches r,
and 0 where recall never reaches r. AP is the mean of those 101 numbers.
"""

import numpy as np
import pytest

from dlpath.detection import mean_average_precision, to_coco

NAMES = ["a", "b"]


def _truth(*boxes_and_classes):
    boxes = np.array([b for b, _ in boxes_and_classes], dtype=np.float64).reshape(-1, 4)
    return boxes, np.array([c for _, c in boxes_and_classes], dtype=np.int64)


def _found(*boxes_scores_classes):
    rows = list(boxes_scores_classes)
    return (np.array([b for b, _, _ in rows], dtype=np.float64).reshape(-1, 4),
            np.array([s for _, s, _ in rows]), np.array([c for _, _, c in rows]))


def _scene_set():
    """Three images with two boxes each, of both classes."""
    return [
        _truth(([0, 0, 10, 10], 0), ([20, 20, 40, 35], 1)),
        _truth(([5, 5, 25, 30], 0), ([50, 10, 60, 40], 0)),
        _truth(([30, 30, 45, 45], 1), ([0, 40, 12, 60], 1)),
    ]


def test_perfect_predictions_score_one():
    truths = _scene_set()
    detections = [(boxes, np.linspace(0.9, 0.8, len(boxes)), classes)
                  for boxes, classes in truths]
    result = mean_average_precision(truths, detections, NAMES)
    assert result == pytest.approx({"map_50": 1.0, "map_50_95": 1.0}, abs=1e-12)


def test_half_the_boxes_missing_gives_recall_one_half():
    # Four images with two boxes of class a each; only the first box of each is found.
    truths = [_truth(([0, 0, 10, 10], 0), ([20, 20, 30, 30], 0)) for _ in range(4)]
    detections = [_found(([0, 0, 10, 10], 0.9, 0)) for _ in range(4)]
    # Recall climbs 1/8, 2/8, 3/8, 4/8 at precision 1: the 51 points r <= 0.5 read 1, the
    # 50 points above read 0.
    expected = 51 / 101
    result = mean_average_precision(truths, detections, NAMES)
    assert result["map_50"] == pytest.approx(expected, abs=1e-12)
    assert result["map_50_95"] == pytest.approx(expected, abs=1e-12)  # exact boxes


def test_a_high_scoring_false_positive_lowers_ap_as_worked_by_hand():
    truth = [_truth(([0, 0, 10, 10], 0), ([20, 20, 30, 30], 0))]
    hit_1, hit_2 = ([0, 0, 10, 10], 0.8, 0), ([20, 20, 30, 30], 0.7, 0)
    # First: a false positive (no truth there) above both hits. Precision 0, 1/2, 2/3 at
    # recall 0, 1/2, 1; made monotone it is 2/3 everywhere: AP = 2/3.
    first = mean_average_precision(truth, [_found(([60, 60, 70, 70], 0.9, 0), hit_1,
                                                  hit_2)], NAMES)
    assert first["map_50"] == pytest.approx(2 / 3, abs=1e-12)
    # Between the hits: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1 -> monotone 1, 2/3, 2/3;
    # the 51 points r <= 1/2 read 1, the 50 above read 2/3.
    middle = mean_average_precision(truth, [_found(hit_1, ([60, 60, 70, 70], 0.75, 0),
                                                   hit_2)], NAMES)
    assert middle["map_50"] == pytest.approx((51 + 50 * 2 / 3) / 101, abs=1e-12)
    # Below both hits it costs nothing.
    last = mean_average_precision(truth, [_found(hit_1, hit_2, ([60, 60, 70, 70], 0.1, 0))],
                                  NAMES)
    assert last["map_50"] == pytest.approx(1.0)
    # A duplicate of a found box is a false positive too.
    duplicate = mean_average_precision(truth, [_found(([0, 0, 10, 10], 0.9, 0), hit_1,
                                                      hit_2)], NAMES)
    assert duplicate["map_50"] == pytest.approx((51 + 50 * 2 / 3) / 101, abs=1e-12)


def test_a_wrong_class_is_a_miss_and_the_mean_runs_over_classes_with_truths():
    truth = [_truth(([0, 0, 10, 10], 0), ([20, 20, 30, 30], 1))]
    # Class a found, class b detected as a: AP(a) from 1 hit then 1 false positive = 1,
    # AP(b) = 0; mean 1/2.
    found = [_found(([0, 0, 10, 10], 0.9, 0), ([20, 20, 30, 30], 0.8, 0))]
    assert mean_average_precision(truth, found, NAMES)["map_50"] == pytest.approx(0.5)
    # A class with no true box is left out of the mean (COCO's -1), even with detections.
    only_a = [_truth(([0, 0, 10, 10], 0))]
    found = [_found(([0, 0, 10, 10], 0.9, 0), ([40, 40, 50, 50], 0.95, 1))]
    assert mean_average_precision(only_a, found, NAMES)["map_50"] == pytest.approx(1.0)


def test_map_over_iou_thresholds_counts_the_thresholds_a_box_passes():
    # IoU 72 / 100 = 0.72: a hit at t = 0.50, 0.55, 0.60, 0.65, 0.70, a miss at 0.75-0.95.
    truth = [_truth(([0, 0, 10, 10], 0))]
    found = [_found(([0, 0, 10, 7.2], 0.9, 0))]
    result = mean_average_precision(truth, found, NAMES)
    assert result["map_50"] == pytest.approx(1.0)
    assert result["map_50_95"] == pytest.approx(0.5, abs=1e-12)
    # IoU 0.45: no hit even at 0.5.
    found = [_found(([0, 0, 10, 4.5], 0.9, 0))]
    assert mean_average_precision(truth, found, NAMES) == {"map_50": 0.0, "map_50_95": 0.0}


def test_no_detections_score_zero_and_missing_truths_are_an_error():
    truths = _scene_set()
    empty = [_found() for _ in truths]
    assert mean_average_precision(truths, empty, NAMES) == {"map_50": 0.0, "map_50_95": 0.0}
    with pytest.raises(ValueError, match="no true boxes"):
        mean_average_precision([_truth()], [_found(([0, 0, 1, 1], 0.5, 0))], NAMES)
    with pytest.raises(ValueError, match="3 images of true boxes but 2 images"):
        mean_average_precision(truths, empty[:2], NAMES)


def test_to_coco_writes_xywh_boxes_and_one_based_ids():
    dataset, results = to_coco([_truth(([2, 3, 12, 8], 1))], [_found(([1, 1, 4, 5], 0.5, 0))],
                               NAMES)
    annotation, = dataset["annotations"]
    assert annotation["bbox"] == [2.0, 3.0, 10.0, 5.0] and annotation["area"] == 50.0
    assert annotation["category_id"] == 2 and annotation["image_id"] == 1
    assert results == [{"image_id": 1, "category_id": 1, "score": 0.5,
                        "bbox": [1.0, 1.0, 3.0, 4.0]}]
    assert [c["id"] for c in dataset["categories"]] == [1, 2]
