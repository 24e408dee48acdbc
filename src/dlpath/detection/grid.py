"""The S x S grid of a single-shot detector: boxes to grid targets and outputs back to boxes.

As in YOLO (Redmon, Divvala, Girshick & Farhadi, "You Only Look Once: Unified, Real-Time
Object Detection", CVPR 2016, pp. 779-788) the image is divided into S x S cells of
``cell = image_size / S`` pixels, and the cell that holds the centre of an object is
*responsible* for it. Each cell predicts ``5 + C`` numbers: an objectness logit ``z``, the
centre ``(t_x, t_y)`` inside the cell, the size ``(t_w, t_h)`` in log space against a prior
size p (the parameterisation of YOLO9000, Redmon & Farhadi, CVPR 2017), and C class logits:

.. math::

    c_x = (j + \\sigma(t_x))\\,\\mathrm{cell}, \\quad c_y = (i + \\sigma(t_y))\\,\\mathrm{cell},
    \\quad w = p\\,e^{t_w}, \\quad h = p\\,e^{t_h}

for the cell in row i, column j. A detection's score is YOLO's class-specific confidence
``sigmoid(z) * softmax(class logits)_c``.

Targets are packed as one array (S, S, 6) per image, so that ``fit`` takes them as ``y``:
``[object (0 or 1), sigma(t_x), sigma(t_y), t_w, t_h, class]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath.detection.boxes import batched_nms

TARGET_CHANNELS = 6  # object, x, y, log w, log h, class


@dataclass(frozen=True)
class Grid:
    """The geometry: square images of ``image_size`` pixels, ``cells`` x ``cells``, prior
    box side ``prior`` pixels, ``classes`` classes."""

    image_size: int = 96
    cells: int = 12
    prior: float = 32.0
    classes: int = 10

    @property
    def cell(self) -> float:
        return self.image_size / self.cells

    @property
    def channels(self) -> int:
        return 5 + self.classes


def encode(boxes, classes, grid: Grid) -> np.ndarray:
    """The (S, S, 6) target of one image with ``boxes`` (k, 4) as x1, y1, x2, y2 and
    ``classes`` (k,). Two objects centred in one cell: the larger one is kept."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    classes = np.asarray(classes).reshape(-1)
    if len(boxes) != len(classes):
        raise ValueError(f"encode: {len(boxes)} boxes but {len(classes)} classes")
    target = np.zeros((grid.cells, grid.cells, TARGET_CHANNELS), dtype=np.float32)
    sizes = boxes[:, 2:] - boxes[:, :2]
    if np.any(sizes <= 0):
        raise ValueError("encode: every box needs a positive width and height")
    for k in np.argsort(sizes.prod(axis=1), kind="stable"):  # larger boxes written last
        centre = (boxes[k, :2] + boxes[k, 2:]) / 2 / grid.cell      # in cells
        column, row = np.clip(np.floor(centre).astype(int), 0, grid.cells - 1)
        offset = np.clip(centre - (column, row), 0.0, 1.0)
        target[row, column] = (1.0, offset[0], offset[1], *np.log(sizes[k] / grid.prior),
                               classes[k])
    return target


def encode_all(boxes: list, classes: list, grid: Grid) -> np.ndarray:
    """(N, S, S, 6) targets of N images (lists of per-image boxes and classes)."""
    return np.stack([encode(b, c, grid) for b, c in zip(boxes, classes)]) if boxes else (
        np.zeros((0, grid.cells, grid.cells, TARGET_CHANNELS), np.float32))


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # stable for large |x|


def decode(outputs, grid: Grid, score_threshold: float = 0.01, iou_threshold: float = 0.5,
           max_detections: int = 100) -> list:
    """Detections of each image from raw outputs (N, S, S, 5 + C).

    Each cell proposes one box, of its most likely class; boxes scoring below
    ``score_threshold`` are dropped, class-wise NMS at ``iou_threshold`` removes duplicates,
    and the best ``max_detections`` remain. Returns ``[(boxes (m, 4) clipped to the image,
    scores (m,), classes (m,))]``, highest score first.
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    expected = (grid.cells, grid.cells, grid.channels)
    if outputs.ndim != 4 or outputs.shape[1:] != expected:
        raise ValueError(f"decode: expected outputs (N, {', '.join(map(str, expected))}), "
                         f"got {outputs.shape}")
    rows, columns = np.meshgrid(np.arange(grid.cells), np.arange(grid.cells), indexing="ij")
    logits = outputs[..., 5:]
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probabilities = exps / exps.sum(axis=-1, keepdims=True)             # (N, S, S, C)
    classes = probabilities.argmax(axis=-1)
    scores = _sigmoid(outputs[..., 0]) * probabilities.max(axis=-1)     # (N, S, S)
    centre_x = (columns + _sigmoid(outputs[..., 1])) * grid.cell
    centre_y = (rows + _sigmoid(outputs[..., 2])) * grid.cell
    half_w = grid.prior * np.exp(np.clip(outputs[..., 3], -10, 10)) / 2
    half_h = grid.prior * np.exp(np.clip(outputs[..., 4], -10, 10)) / 2
    boxes = np.stack([centre_x - half_w, centre_y - half_h, centre_x + half_w,
                      centre_y + half_h], axis=-1).clip(0, grid.image_size)  # (N, S, S, 4)
    found = []
    for n in range(len(outputs)):
        keep = scores[n] >= score_threshold
        b, s, c = boxes[n][keep], scores[n][keep], classes[n][keep]
        kept = batched_nms(b, s, c, iou_threshold)[:max_detections]
        found.append((b[kept], s[kept], c[kept]))
    return found
