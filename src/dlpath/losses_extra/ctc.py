"""Keras 3's CTC loss: ``ctc(y_true, y_pred)`` with integer labels (N, L) padded with 0,
and logits (N, T, C) whose class 0 is the blank.

Each sample's label length is its count of non-zero labels, every frame is used, and the
loss is -log p(l | x) of `dlpath.engine.ctc` (Graves et al. 2006), with a fused gradient.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.ctc import ctc_nll, logits_of_softmax
from dlpath.losses import Loss, _as_prediction, _labels_of

BLANK = 0  # Keras' mask_index


def ctc(y_true, y_pred):
    """-log p(l | x) per sample, (N,): labels (N, L) with 0 as padding, logits (N, T, C)."""
    y_pred = _as_prediction(y_pred)
    labels = _labels_of(y_true)
    if labels.ndim != 2:
        raise ValueError(f"ctc: y_true must be integer labels of shape (batch_size, "
                         f"max_length), got shape {labels.shape}")
    if y_pred.ndim != 3:
        raise ValueError(f"ctc: y_pred must be logits of shape (batch_size, time_steps, "
                         f"num_classes), got shape {y_pred.shape}")
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        raise ValueError("ctc: y_true must hold whole class indices")
    labels = labels.astype(np.int64)
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    label_lengths = (labels != BLANK).sum(axis=-1)
    logits = logits_of_softmax(y_pred)
    return ctc_nll(y_pred if logits is None else logits, labels, np.full(batch, steps),
                   label_lengths, blank=BLANK, from_logits=True, owner="ctc")


class CTC(Loss):
    """The CTC loss of each sample (see `ctc`), reduced over the batch."""

    _integer_targets = True

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)

    def call(self, y_true, y_pred):
        return ctc(y_true, y_pred)
