"""The loss of the grid detector, written from engine ops so that ``fit`` can train it.

The terms of YOLO's loss (Redmon, Divvala, Girshick & Farhadi, "You Only Look Once:
Unified, Real-Time Object Detection", CVPR 2016, eq. 3), with the paper's weights
lambda_coord = 5 and lambda_noobj = 0.5, binary cross-entropy for the objectness and
softmax cross-entropy for the classes (where YOLO v1 used squared errors). With
1^obj_ij = 1 for the cell (i, j) responsible for an object and the targets of
`dlpath.detection.grid`:

.. math::

    L = \\sum_{ij} \\big[ (1^{obj}_{ij} + \\lambda_{noobj} (1 - 1^{obj}_{ij}))
        \\,\\mathrm{BCE}(z_{ij}, 1^{obj}_{ij})
      + \\lambda_{coord}\\, 1^{obj}_{ij} \\big( (\\sigma(t_x) - \\hat x)^2
        + (\\sigma(t_y) - \\hat y)^2 + (t_w - \\hat t_w)^2 + (t_h - \\hat t_h)^2 \\big)
      + 1^{obj}_{ij}\\, \\mathrm{CE}(\\mathrm{softmax}(q_{ij}), \\hat c_{ij}) \\big]

per image, with BCE(z, y) = softplus(z) - y z computed from the logit.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.activations import softplus
from dlpath.engine.losses import sparse_categorical_crossentropy
from dlpath.engine.ops import sum as reduce_sum
from dlpath.engine.ops._coerce import to_tensor
from dlpath.saving.registry import register_serializable

LAMBDA_COORD = 5.0
LAMBDA_NOOBJ = 0.5


@register_serializable(package="dlpath", name="grid_detection_loss")
def grid_detection_loss(y_true, y_pred):
    """YOLO's loss of each image: y_true (N, S, S, 6) packed targets, y_pred (N, S, S, 5 + C)
    raw outputs (logits and box parameters). Returns (N,)."""
    y_pred = to_tensor(y_pred)
    target = np.asarray(y_true.data if hasattr(y_true, "data") else y_true)
    if (target.ndim != 4 or y_pred.ndim != 4 or target.shape[:3] != y_pred.shape[:3]
            or target.shape[3] != 6 or y_pred.shape[3] < 6):
        raise ValueError(f"grid_detection_loss: expected targets (N, S, S, 6) and outputs "
                         f"(N, S, S, 5 + classes) on the same grid, got {target.shape} and "
                         f"{y_pred.shape}")
    dtype = y_pred.data.dtype
    present = target[..., 0].astype(dtype)                       # (N, S, S)
    # Objectness: every cell, absent ones down-weighted.
    logits = y_pred[..., 0]
    bce = softplus(logits) - logits * present
    objectness = bce * (present + LAMBDA_NOOBJ * (1.0 - present))
    # Box: only the responsible cells.
    centre_error = y_pred[..., 1:3].sigmoid() - target[..., 1:3].astype(dtype)
    size_error = y_pred[..., 3:5] - target[..., 3:5].astype(dtype)
    squared = reduce_sum(centre_error * centre_error + size_error * size_error, axis=-1)
    box = LAMBDA_COORD * squared * present
    # Class: only the responsible cells (absent cells get class 0, then weight 0).
    labels = np.rint(target[..., 5]).astype(np.int64) * (present > 0)
    classes = sparse_categorical_crossentropy(labels, y_pred[..., 5:], from_logits=True)
    per_cell = objectness + box + classes * present              # (N, S, S)
    return reduce_sum(per_cell, axis=(1, 2))
