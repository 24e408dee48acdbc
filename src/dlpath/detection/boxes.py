"""Axis-aligned boxes in NumPy: area, intersection over union and non-maximum suppression.

Boxes are rows ``(x1, y1, x2, y2)`` in pixels with ``x1 <= x2`` and ``y1 <= y2`` (the
layout of torchvision.ops); a pixel ``(row r, column c)`` covers ``[c, c + 1) x [r, r + 1)``.
These run on the model's outputs after inference, outside the autograd graph.
"""

from __future__ import annotations

import numpy as np


def _as_boxes(boxes, name: str) -> np.ndarray:
    array = np.asarray(boxes, dtype=np.float64)
    if array.size == 0:
        return array.reshape(0, 4)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ValueError(f"{name}: expected boxes of shape (N, 4) as (x1, y1, x2, y2), got "
                         f"shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: every box coordinate must be finite (no NaN or inf)")
    if np.any(array[:, 2] < array[:, 0]) or np.any(array[:, 3] < array[:, 1]):
        raise ValueError(f"{name}: every box needs x1 <= x2 and y1 <= y2")
    return array


def box_area(boxes) -> np.ndarray:
    """(N,) areas: (x2 - x1)(y2 - y1)."""
    boxes = _as_boxes(boxes, "box_area")
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes_a, boxes_b) -> np.ndarray:
    """(N, M) intersection over union of every box of ``boxes_a`` with every box of ``boxes_b``.

    .. math::

        I_{ij} = \\max(0, \\min(x_2^i, x_2^j) - \\max(x_1^i, x_1^j))
                 \\cdot \\max(0, \\min(y_2^i, y_2^j) - \\max(y_1^i, y_1^j)), \\quad
        \\mathrm{IoU}_{ij} = I_{ij} / (A_i + A_j - I_{ij})

    (0 where the union is empty, as for two boxes of zero area).
    """
    a, b = _as_boxes(boxes_a, "box_iou"), _as_boxes(boxes_b, "box_iou")
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])       # (N, M, 2)
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])   # (N, M, 2)
    sides = np.clip(bottom_right - top_left, 0, None)
    inter = sides[..., 0] * sides[..., 1]                       # (N, M)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms(boxes, scores, iou_threshold: float) -> np.ndarray:
    """Greedy non-maximum suppression: indices of the kept boxes, highest score first.

    Take the box of highest score, drop every remaining box whose IoU with it exceeds
    ``iou_threshold``, repeat with what remains:

    .. math::

        K \\leftarrow K \\cup \\{i^*\\}, \\quad i^* = \\arg\\max_{i \\in R} s_i, \\quad
        R \\leftarrow \\{ j \\in R \\setminus \\{i^*\\} : \\mathrm{IoU}(b_{i^*}, b_j)
        \\le \\tau \\}

    Each step compares one box with all the others at once; ties in score keep the lower
    index first (a stable sort), as torchvision.ops.nms does.
    """
    boxes = _as_boxes(boxes, "nms")
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(scores) != len(boxes):
        raise ValueError(f"nms: {len(boxes)} boxes but {len(scores)} scores")
    if not np.all(np.isfinite(scores)):
        raise ValueError("nms: every score must be finite (no NaN or inf)")
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"nms: iou_threshold must lie in [0, 1], got {iou_threshold}")
    order = np.argsort(-scores, kind="stable")
    kept = []
    while order.size:
        best, rest = order[0], order[1:]
        kept.append(best)
        overlap = box_iou(boxes[best:best + 1], boxes[rest])[0]
        order = rest[overlap <= iou_threshold]
    return np.asarray(kept, dtype=np.int64)


def batched_nms(boxes, scores, classes, iou_threshold: float) -> np.ndarray:
    """Class-wise NMS: boxes of different classes never suppress each other.

    Each box is shifted by ``class * (1 + max coordinate)`` so that boxes of different
    classes cannot overlap, then one `nms` runs over all of them (torchvision's
    ``batched_nms`` trick). Returns the kept indices, highest score first.
    """
    boxes = _as_boxes(boxes, "batched_nms")
    classes = np.asarray(classes).reshape(-1)
    if len(classes) != len(boxes):
        raise ValueError(f"batched_nms: {len(boxes)} boxes but {len(classes)} classes")
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    span = boxes.max() - min(boxes.min(), 0.0) + 1.0
    offsets = classes.astype(np.float64)[:, None] * span
    return nms(boxes + offsets, scores, iou_threshold)
