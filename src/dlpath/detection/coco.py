"""Mean average precision of detections, computed by pycocotools' COCOeval.

The COCO detection metric (Lin et al., "Microsoft COCO: Common Objects in Context",
ECCV 2014): for each class and IoU threshold t, detections are matched greedily by score
to unmatched true boxes with IoU >= t; precision is made monotone and read at 101 recall
points r in {0, 0.01, ..., 1}:

.. math::

    AP_t = \\frac{1}{101} \\sum_r \\max_{r' \\ge r} p(r'), \\qquad
    \\mathrm{mAP@0.5} = \\overline{AP_{0.5}}, \\qquad
    \\mathrm{mAP@[.5:.95]} = \\frac{1}{10} \\sum_{t = 0.5, 0.55, \\dots, 0.95}
    \\overline{AP_t}

(the bar: mean over the classes that have true boxes), with at most 100 detections per
image. The numbers here come from COCOeval itself, on the data in COCO's JSON layout.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np


def to_coco(truths: list, detections: list, class_names: list) -> tuple:
    """COCO ground truth (a dataset dict) and results (a list) from boxes per image.

    ``truths[i]`` is ``(boxes (k, 4) as x1, y1, x2, y2, classes (k,))``; ``detections[i]``
    is ``(boxes (m, 4), scores (m,), classes (m,))``. Image ids are 1.., category ids are
    class + 1 (COCO reserves 0).
    """
    if len(truths) != len(detections):
        raise ValueError(f"to_coco: {len(truths)} images of true boxes but "
                         f"{len(detections)} images of detections")
    images, annotations, results = [], [], []
    for index, ((boxes, classes), (found, scores, labels)) in enumerate(
            zip(truths, detections)):
        image_id = index + 1
        images.append({"id": image_id})
        for box, label in zip(np.asarray(boxes, np.float64).reshape(-1, 4),
                              np.asarray(classes).reshape(-1)):
            width, height = box[2] - box[0], box[3] - box[1]
            annotations.append({"id": len(annotations) + 1, "image_id": image_id,
                                "category_id": int(label) + 1, "iscrowd": 0,
                                "bbox": [float(box[0]), float(box[1]), float(width),
                                         float(height)], "area": float(width * height)})
        for box, score, label in zip(np.asarray(found, np.float64).reshape(-1, 4),
                                     np.asarray(scores).reshape(-1),
                                     np.asarray(labels).reshape(-1)):
            results.append({"image_id": image_id, "category_id": int(label) + 1,
                            "score": float(score),
                            "bbox": [float(box[0]), float(box[1]), float(box[2] - box[0]),
                                     float(box[3] - box[1])]})
    categories = [{"id": i + 1, "name": str(name)} for i, name in enumerate(class_names)]
    return {"images": images, "annotations": annotations, "categories": categories}, results


def mean_average_precision(truths: list, detections: list, class_names: list) -> dict:
    """``{"map_50": AP at IoU 0.5, "map_50_95": AP averaged over IoU 0.5:0.95}`` by COCOeval.

    Arguments as in `to_coco`. With no detection at all both are 0.
    """
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    dataset, results = to_coco(truths, detections, class_names)
    if not dataset["annotations"]:
        raise ValueError("mean_average_precision: there are no true boxes to evaluate on")
    if not results:
        return {"map_50": 0.0, "map_50_95": 0.0}
    with contextlib.redirect_stdout(io.StringIO()):  # COCO prints progress and a table
        ground_truth = COCO()
        ground_truth.dataset = dataset
        ground_truth.createIndex()
        found = ground_truth.loadRes(results)
        evaluator = COCOeval(ground_truth, found, iouType="bbox")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    # stats[0]: AP @ IoU 0.5:0.95, stats[1]: AP @ IoU 0.5 (all areas, 100 detections).
    return {"map_50": max(float(evaluator.stats[1]), 0.0),
            "map_50_95": max(float(evaluator.stats[0]), 0.0)}
