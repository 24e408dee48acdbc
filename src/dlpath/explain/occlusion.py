"""Occlusion sensitivity (Zeiler & Fergus 2014, "Visualizing and Understanding
Convolutional Networks", section 4.2): cover part of the image and watch the prediction.

A square patch of side p (filled with ``value``, default 0) slides over the image with
stride s; for every position w the drop of the target class's probability is

.. math::

    \\Delta_w = P(c \\mid x) - P(c \\mid x \\text{ with } w \\text{ occluded}),

and each pixel receives the mean :math:`\\Delta_w` of the windows that cover it (windows are
placed from the top-left corner and the last one in each direction is cut at the border, as
Captum's ``Occlusion`` does). A large value: the model needs that region. No gradients are
involved, so the method also explains models whose gradients are unreliable.
"""

from __future__ import annotations

import numpy as np

from dlpath.explain._model import (ExplainError, check_class_ids, check_images, probabilities,
                                   resolve_targets)


def occlusion(model, x, targets=None, patch: int = 4, stride: int = 2, value: float = 0.0,
              batch_size: int = 256) -> np.ndarray:
    """(N, H, W) mean probability drop of the target class when each pixel is covered."""
    x = check_images(x, "occlusion")
    if x.ndim not in (3, 4):
        raise ExplainError(f"occlusion: expected images (N, H, W[, C]), got shape {x.shape}")
    height, width = x.shape[1:3]
    if not 1 <= int(patch) <= min(height, width) or int(stride) < 1:
        raise ExplainError(f"occlusion: need 1 <= patch <= {min(height, width)} and "
                           f"stride >= 1, got patch={patch}, stride={stride}")
    targets = resolve_targets(model, x, targets)
    windows = [(r, c) for r in _starts(height, patch, stride)
               for c in _starts(width, patch, stride)]
    rows = np.arange(len(x))
    probs = probabilities(model, x, batch_size)  # (N, classes)
    check_class_ids(targets, probs.shape[1])
    base = probs[rows, targets]  # (N,)
    drops = np.zeros(x.shape[:3])
    covers = np.zeros((height, width))
    for r, c in windows:
        covers[r:r + patch, c:c + patch] += 1
    for index in range(len(x)):
        covered = np.repeat(x[index:index + 1], len(windows), axis=0)  # (W, H, W, C)
        for k, (r, c) in enumerate(windows):
            covered[k, r:r + patch, c:c + patch] = value
        occluded = probabilities(model, covered, batch_size)[:, targets[index]]
        for (r, c), prob in zip(windows, occluded):
            drops[index, r:r + patch, c:c + patch] += base[index] - prob
    return (drops / covers).astype(np.float32)


def _starts(size: int, patch: int, stride: int) -> list:
    """Window origins from 0 by ``stride``, the last one reaching the border."""
    starts = list(range(0, size - patch + 1, stride))
    if starts[-1] + patch < size:
        starts.append(size - patch)
    return starts
