r"""``tf.image`` on boxes: `crop_and_resize`, `draw_bounding_boxes`,
`non_max_suppression_with_scores` (soft NMS), `non_max_suppression_overlaps` and
`combined_non_max_suppression` (per class, over a batch).

Boxes are ``[y1, x1, y2, x2]``. In `crop_and_resize` they are normalised (0 and 1 are
the centres of the first and last pixels): crop row ``i`` of ``h`` samples the image at
:math:`y = y_1 (H - 1) + i\, (y_2 - y_1)(H - 1) / (h - 1)` (the box centre when
``h = 1``), bilinearly (or the nearest pixel), and ``extrapolation_value`` outside the
image; the crops are differentiable in the image.
"""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor
from dlpath.tf_api.image_checks import as_tensor
from dlpath.tf_api.image_extra import _iou


def _array(values, dtype=np.float64) -> np.ndarray:
    return np.asarray(values.data if isinstance(values, Tensor) else values, dtype=dtype)


def _sample_positions(low: np.ndarray, high: np.ndarray, count: int, size: int) -> np.ndarray:
    if count == 1:
        return (0.5 * (low + high) * (size - 1))[:, None]
    steps = np.arange(count) * ((high - low) * (size - 1) / (count - 1))[:, None]
    return low[:, None] * (size - 1) + steps


def crop_and_resize(image, boxes, box_indices, crop_size, method: str = "bilinear",
                    extrapolation_value: float = 0.0, name=None):
    """(num_boxes, crop_height, crop_width, C) float32 crops of (B, H, W, C) images."""
    owner = "crop_and_resize"
    tensor = as_tensor(image, owner)
    if tensor.ndim != 4:
        raise ValueError(f"{owner}: image must be of rank 4 (batch, height, width, channels), "
                         f"got shape {tuple(tensor.shape)}")
    corners, which = _array(boxes), _array(box_indices, np.int64)
    if corners.ndim != 2 or corners.shape[1] != 4 or which.shape != (corners.shape[0],):
        raise ValueError(f"{owner}: boxes must be (num_boxes, 4) and box_indices (num_boxes,), "
                         f"got {corners.shape} and {which.shape}")
    if which.size and (which.min() < 0 or which.max() >= tensor.shape[0]):
        raise ValueError(f"{owner}: box_indices must be in [0, {tensor.shape[0]}), got "
                         f"{which.tolist()}")
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"{owner}: method must be 'bilinear' or 'nearest', got {method!r}")
    crop_height, crop_width = (int(v) for v in np.asarray(crop_size).reshape(-1))
    floats = tensor if tensor.dtype.kind == "f" and tensor.dtype != np.float16 else ops.cast(
        tensor, "float32")
    _, height, width, _ = floats.shape
    ys = _sample_positions(corners[:, 0], corners[:, 2], crop_height, height)
    xs = _sample_positions(corners[:, 1], corners[:, 3], crop_width, width)
    inside = (((ys >= 0) & (ys <= height - 1))[:, :, None]
              & ((xs >= 0) & (xs <= width - 1))[:, None, :])[..., None]
    batch = which[:, None, None]
    if method == "nearest":
        rows = np.clip(np.round(ys), 0, height - 1).astype(np.int64)
        cols = np.clip(np.round(xs), 0, width - 1).astype(np.int64)
        sampled = floats[batch, rows[:, :, None], cols[:, None, :], :]
    else:
        top = np.clip(np.floor(ys), 0, height - 1).astype(np.int64)
        bottom = np.clip(np.ceil(ys), 0, height - 1).astype(np.int64)
        left = np.clip(np.floor(xs), 0, width - 1).astype(np.int64)
        right = np.clip(np.ceil(xs), 0, width - 1).astype(np.int64)
        dy = Tensor((ys - np.floor(ys))[:, :, None, None], dtype=floats.dtype)
        dx = Tensor((xs - np.floor(xs))[:, None, :, None], dtype=floats.dtype)

        def at(r, c):
            return floats[batch, r[:, :, None], c[:, None, :], :]

        upper = at(top, left) + (at(top, right) - at(top, left)) * dx
        lower = at(bottom, left) + (at(bottom, right) - at(bottom, left)) * dx
        sampled = upper + (lower - upper) * dy
    return ops.where(inside, sampled, float(extrapolation_value))


_DEFAULT_COLORS = np.array([[1.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0],
                            [1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0],
                            [0.5, 0.0, 0.5, 1.0], [1.0, 0.5, 0.0, 1.0]])


def draw_bounding_boxes(images, boxes, colors=None, name=None):
    """(B, H, W, C) images with the one-pixel outlines of ``boxes`` (B, N, 4, normalised)
    drawn on them in ``colors`` (one row per box, cycled); not differentiable."""
    owner = "draw_bounding_boxes"
    tensor = as_tensor(images, owner)
    if tensor.ndim != 4 or tensor.shape[-1] not in (1, 3, 4):
        raise ValueError(f"{owner}: images must be (batch, height, width, 1, 3 or 4 "
                         f"channels), got shape {tuple(tensor.shape)}")
    corners = _array(boxes)
    if corners.ndim != 3 or corners.shape[0] != tensor.shape[0] or corners.shape[2] != 4:
        raise ValueError(f"{owner}: boxes must be (batch, num_boxes, 4), got {corners.shape}")
    palette = _DEFAULT_COLORS if colors is None else _array(colors)
    out = tensor.data.copy()
    batch, height, width, depth = out.shape
    for b in range(batch):
        for n, (y1, x1, y2, x2) in enumerate(corners[b]):
            color = np.resize(palette[n % len(palette)], depth).astype(out.dtype)
            top, bottom = int(np.floor(y1 * (height - 1))), int(np.floor(y2 * (height - 1)))
            left, right = int(np.floor(x1 * (width - 1))), int(np.floor(x2 * (width - 1)))
            if top > bottom or left > right or bottom < 0 or right < 0 or top >= height or \
                    left >= width:
                continue
            c0, c1 = max(left, 0), min(right, width - 1)
            r0, r1 = max(top, 0), min(bottom, height - 1)
            for row in (top, bottom):
                if 0 <= row < height:
                    out[b, row, c0:c1 + 1] = color
            for col in (left, right):
                if 0 <= col < width:
                    out[b, r0:r1 + 1, col] = color
    return Tensor(out, dtype=out.dtype)


def _greedy(scores: np.ndarray, overlap, max_output_size: int, threshold: float,
            score_threshold: float, sigma: float) -> tuple:
    current = scores.astype(np.float64).copy()
    alive = current > score_threshold
    kept, kept_scores = [], []
    scale = -0.5 / sigma if sigma > 0 else 0.0
    while alive.any() and len(kept) < max_output_size:
        index = int(np.flatnonzero(alive)[np.argmax(current[alive])])
        kept.append(index)
        kept_scores.append(current[index])
        alive[index] = False
        rest = np.flatnonzero(alive)
        if rest.size:
            similarity = overlap(index, rest)
            weight = np.where(similarity <= threshold,
                              np.exp(scale * similarity ** 2) if sigma > 0 else 1.0, 0.0)
            current[rest] *= weight
            alive[rest] = (similarity <= threshold) & (current[rest] > score_threshold)
    return kept, kept_scores


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0,
                                    name=None):
    """(indices int32, their scores float32): greedy NMS; with ``soft_nms_sigma`` > 0 the
    other boxes' scores are multiplied by :math:`\\exp(-\\mathrm{IoU}^2 / 2\\sigma)`
    instead of being removed (those over ``iou_threshold`` still are)."""
    corners, score = _array(boxes), _array(scores)
    if corners.ndim != 2 or corners.shape[1] != 4 or score.shape != (corners.shape[0],):
        raise ValueError(f"non_max_suppression_with_scores: boxes must be (num_boxes, 4) and "
                         f"scores (num_boxes,), got {corners.shape} and {score.shape}")
    kept, kept_scores = _greedy(score, lambda i, rest: _iou(corners[i], corners[rest]),
                                int(max_output_size), float(iou_threshold),
                                float(score_threshold), float(soft_nms_sigma))
    return (Tensor(np.asarray(kept, np.int32), dtype="int32"),
            Tensor(np.asarray(kept_scores, np.float32), dtype="float32"))


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """Greedy NMS with a given (num_boxes, num_boxes) overlap matrix in place of IoU."""
    matrix, score = _array(overlaps), _array(scores)
    if matrix.shape != (score.size, score.size):
        raise ValueError(f"non_max_suppression_overlaps: overlaps must be (num_boxes, "
                         f"num_boxes) for {score.size} scores, got {matrix.shape}")
    kept, _ = _greedy(score, lambda i, rest: matrix[i, rest], int(max_output_size),
                      float(overlap_threshold), float(score_threshold), 0.0)
    return Tensor(np.asarray(kept, np.int32), dtype="int32")


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class: bool = False, clip_boxes: bool = True,
                                 name=None):
    """Per-class greedy NMS over a batch: ``boxes`` (B, N, q, 4) with q = 1 (shared by all
    classes) or q = C, ``scores`` (B, N, C). Returns (boxes (B, T, 4), scores (B, T),
    classes (B, T), valid_detections (B,) int32): the best ``T = max_total_size``
    detections (``min(T, max_output_size_per_class C)`` with ``pad_per_class``), by
    decreasing score, zero-padded; boxes clipped to [0, 1] with ``clip_boxes``."""
    owner = "combined_non_max_suppression"
    corners, score = _array(boxes), _array(scores)
    if corners.ndim != 4 or corners.shape[-1] != 4 or score.ndim != 3 or \
            score.shape[:2] != corners.shape[:2] or corners.shape[2] not in (1, score.shape[2]):
        raise ValueError(f"{owner}: boxes must be (batch, num_boxes, 1 or num_classes, 4) and "
                         f"scores (batch, num_boxes, num_classes), got {corners.shape} and "
                         f"{score.shape}")
    batch, _, shared, _ = corners.shape
    classes = score.shape[2]
    per_class = int(max_output_size_per_class)
    total = int(max_total_size)
    if pad_per_class:
        total = min(total, per_class * classes)
    out_boxes = np.zeros((batch, total, 4), np.float32)
    out_scores = np.zeros((batch, total), np.float32)
    out_classes = np.zeros((batch, total), np.float32)
    valid = np.zeros(batch, np.int32)
    for b in range(batch):
        found = []
        for c in range(classes):
            candidates = corners[b, :, 0 if shared == 1 else c]
            kept, kept_scores = _greedy(
                score[b, :, c], lambda i, rest: _iou(candidates[i], candidates[rest]),
                per_class, float(iou_threshold), float(score_threshold), 0.0)
            found += [(value, c, candidates[i]) for i, value in zip(kept, kept_scores)]
        found.sort(key=lambda item: -item[0])
        found = found[:total]
        valid[b] = len(found)
        for slot, (value, c, box) in enumerate(found):
            out_boxes[b, slot] = np.clip(box, 0.0, 1.0) if clip_boxes else box
            out_scores[b, slot], out_classes[b, slot] = value, c
    return (Tensor(out_boxes, dtype="float32"), Tensor(out_scores, dtype="float32"),
            Tensor(out_classes, dtype="float32"), Tensor(valid, dtype="int32"))


__all__ = ["combined_non_max_suppression", "crop_and_resize", "draw_bounding_boxes",
           "non_max_suppression_overlaps", "non_max_suppression_with_scores"]
