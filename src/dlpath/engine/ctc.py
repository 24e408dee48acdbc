r"""Connectionist temporal classification (CTC) loss: one fused primitive, two front ends.

CTC (Graves, Fernández, Gomez & Schmidhuber 2006, "Connectionist Temporal Classification:
Labelling Unsegmented Sequence Data with Recurrent Neural Networks", ICML) scores a label
sequence l (length L) under per-frame class distributions y_t (t = 1..T, C classes, one of
them the blank b) by summing over every alignment: every frame path that gives l once
repeats are merged and blanks dropped. The sum runs over the blank-extended sequence
l' = (b, l_1, b, l_2, ..., l_L, b) of length S = 2L + 1 with the forward variables

.. math::

    \alpha_1(1) = y_1(b), \quad \alpha_1(2) = y_1(l_1), \quad \alpha_1(s) = 0 \ (s > 2)

    \alpha_t(s) = \big(\alpha_{t-1}(s) + \alpha_{t-1}(s-1)
        + [l'_s \ne b \wedge l'_s \ne l'_{s-2}]\, \alpha_{t-1}(s-2)\big)\, y_t(l'_s)

    p(l \mid x) = \alpha_T(S) + \alpha_T(S-1), \qquad \mathcal{L} = -\log p(l \mid x)

and the backward variables (here without the frame's own emission, so that
:math:`\sum_s \alpha_t(s) \beta_t(s) = p(l \mid x)` at every t)

.. math::

    \beta_T(S) = \beta_T(S-1) = 1, \qquad
    \beta_t(s) = \sum_{s' \in \{s, s+1, s+2\}} \beta_{t+1}(s')\, y_{t+1}(l'_{s'})

(s + 2 only where the skip is allowed at s + 2, as in the forward pass). Everything is
computed in log space (log-sum-exp), vectorised over the batch and the positions s, with
one loop over time. For logits u with y_t = softmax(u_t) the backward is fused:

.. math::

    \frac{\partial \mathcal{L}}{\partial u_t(k)} = y_t(k) - \frac{1}{p(l \mid x)}
        \sum_{s:\, l'_s = k} \alpha_t(s)\, \beta_t(s)

(for log-probabilities given directly, the gradient is the second term alone, with its
minus sign: the exact derivative with respect to each log y_t(k)).

Lengths vary per sample: frames t >= T_n and labels beyond L_n take no part. A label
sequence that no alignment fits (T_n < L_n + the number of repeated neighbours) has
p = 0: the loss is +inf and its gradient NaN, as in PyTorch, unless ``zero_infinity``
sets both to 0.

Front ends: `ctc_loss` follows ``torch.nn.functional.ctc_loss`` (time-major log
probabilities (T, N, C), blank 0 by default, reductions 'none' / 'mean' / 'sum'); Keras'
``ctc_batch_cost`` (softmax outputs (N, T, C), blank = the last class) is in
`dlpath.ops.ctc`. Both call `ctc_nll`, the one core.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.activations import LogSoftmax, Softmax
from dlpath.engine.function import Function
from dlpath.engine.ops import div, mean, sum as reduce_sum, transpose
from dlpath.engine.ops._coerce import to_tensor

REDUCTIONS = ("none", "mean", "sum")


# ---------------------------------------------------------------- the extended labels
def _extended_labels(labels: np.ndarray, blank: int):
    """l' = (b, l_1, b, ..., l_L, b) per sample, (N, 2L + 1), and where a skip is allowed.

    ``skip[n, s]`` is True where alpha_t(s) may come from alpha_{t-1}(s - 2): l'_s is a label
    (not the blank) that differs from l'_{s-2}.
    """
    batch, length = labels.shape
    extended = np.full((batch, 2 * length + 1), blank, dtype=np.int64)
    extended[:, 1::2] = labels
    skip = np.zeros(extended.shape, dtype=bool)
    skip[:, 2:] = (extended[:, 2:] != blank) & (extended[:, 2:] != extended[:, :-2])
    return extended, skip


def _shift(values: np.ndarray, by: int) -> np.ndarray:
    """values[:, s - by] (by > 0) or values[:, s + |by|] (by < 0), -inf where out of range."""
    out = np.full_like(values, -np.inf)
    if by > 0:
        out[:, by:] = values[:, :-by]
    else:
        out[:, :by] = values[:, -by:]
    return out


def _logsumexp3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.logaddexp(np.logaddexp(a, b), c)


# ---------------------------------------------------------------- the fused primitive
class CTCLoss(Function):
    """Per-sample CTC negative log-likelihood (N,) of ``x`` (N, T, C); see the module
    docstring for the recursions and the fused gradient.

    ``x`` holds logits (``from_logits=True``: a log-softmax over the classes is part of the
    op) or log-probabilities used as they are. ``labels`` (N, L) int, padded beyond each
    ``label_lengths[n]``; ``input_lengths`` (N,) in 1..T.
    """

    def forward(self, x, labels, input_lengths, label_lengths, blank, from_logits,
                zero_infinity):
        work = x.astype(np.float64)
        if from_logits:
            work = work - work.max(axis=-1, keepdims=True)
            work = work - np.log(np.exp(work).sum(axis=-1, keepdims=True))
        batch, steps, _ = work.shape
        extended, skip = _extended_labels(labels, blank)
        emit = np.take_along_axis(work, extended[:, None, :], axis=2)  # (N, T, S)
        rows = np.arange(batch)

        # Forward variables, log alpha_t(s), frozen after each sample's last frame.
        alpha = np.full((steps,) + extended.shape, -np.inf)  # (T, N, S)
        alpha[0, :, 0] = emit[:, 0, 0]
        alpha[0, :, 1] = np.where(label_lengths > 0, emit[:, 0, 1], -np.inf)
        for t in range(1, steps):
            prev = alpha[t - 1]
            step = _logsumexp3(prev, _shift(prev, 1),
                               np.where(skip, _shift(prev, 2), -np.inf)) + emit[:, t]
            alpha[t] = np.where((t < input_lengths)[:, None], step, prev)
        last = alpha[-1]
        end = 2 * label_lengths  # 0-based index of the final blank, S_n - 1
        log_p = np.logaddexp(last[rows, end],
                             np.where(label_lengths > 0, last[rows, end - 1], -np.inf))

        self.saved = (work, emit, alpha, skip, extended, input_lengths, label_lengths,
                      log_p, from_logits, zero_infinity, x.dtype)
        loss = -log_p
        if zero_infinity:
            loss = np.where(np.isinf(loss), 0.0, loss)
        return loss.astype(x.dtype)

    def backward(self, grad):
        (work, emit, alpha, skip, extended, input_lengths, label_lengths, log_p,
         from_logits, zero_infinity, dtype) = self.saved
        batch, steps, classes = work.shape
        rows = np.arange(batch)
        end = 2 * label_lengths

        # Backward variables, log beta_t(s) (without frame t's emission); -inf for t >= T_n.
        start = np.full(extended.shape, -np.inf)
        start[rows, end] = 0.0
        labelled = label_lengths > 0
        start[rows[labelled], end[labelled] - 1] = 0.0
        skip_ahead = _shift(skip.astype(np.float64), -2) > 0  # skip allowed at s + 2
        beta = np.full_like(alpha, -np.inf)
        for t in range(steps - 1, -1, -1):
            if t < steps - 1:
                after = beta[t + 1] + emit[:, t + 1]
                step = _logsumexp3(after, _shift(after, -1),
                                   np.where(skip_ahead, _shift(after, -2), -np.inf))
            else:
                step = np.full(extended.shape, -np.inf)
            is_last = (t == input_lengths - 1)[:, None]
            beta[t] = np.where(is_last, start, np.where((t < input_lengths - 1)[:, None],
                                                        step, -np.inf))

        # Occupation of each class at each frame: (1/p) sum_{s: l'_s = k} alpha beta.
        with np.errstate(invalid="ignore"):
            occupation = np.exp(alpha + beta - log_p[None, :, None])  # (T, N, S)
        onehot = (extended[:, :, None] == np.arange(classes)).astype(np.float64)
        gamma = np.einsum("tns,nsc->ntc", occupation, onehot)  # (N, T, C)
        inside = (np.arange(steps)[None, :] < input_lengths[:, None])[:, :, None]
        if from_logits:
            dx = np.where(inside, np.exp(work) - gamma, 0.0)
        else:
            dx = -gamma
        impossible = np.isinf(log_p)
        scale = np.asarray(grad, dtype=np.float64).reshape(batch, 1, 1)
        if zero_infinity:
            scale = np.where(impossible[:, None, None], 0.0, scale)
            dx = np.where(impossible[:, None, None], 0.0, dx)
        else:
            dx = np.where(impossible[:, None, None] & inside, np.nan, dx)
        return (dx * scale).astype(dtype)


# ---------------------------------------------------------------- checking the arguments
def _lengths(name: str, owner: str, values, batch: int) -> np.ndarray:
    array = np.asarray(values.data if hasattr(values, "data") else values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim == 0:
        array = np.full(batch, array)
    if array.shape != (batch,):
        raise ValueError(f"{owner}: {name} must have shape ({batch},) (one length per "
                         f"sample), got {array.shape}")
    if array.dtype.kind == "f" and not np.all(array == np.round(array)):
        raise ValueError(f"{owner}: {name} must hold whole numbers, got {array}")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{owner}: {name} must be integers, got dtype {array.dtype}")
    return array.astype(np.int64)


def _padded_labels(owner: str, labels, label_lengths: np.ndarray, batch: int) -> np.ndarray:
    """(N, L) labels from padded rows, or from PyTorch's 1-D concatenation of targets."""
    array = np.asarray(labels.data if hasattr(labels, "data") else labels)
    if array.dtype.kind == "f":
        if not np.all(array == np.round(array)):
            raise ValueError(f"{owner}: labels must be class indices (whole numbers)")
    elif array.dtype.kind not in "iu":
        raise TypeError(f"{owner}: labels must be integers, got dtype {array.dtype}")
    array = array.astype(np.int64)
    if array.ndim == 1:
        if array.size != label_lengths.sum():
            raise ValueError(f"{owner}: 1-D labels must concatenate every sample's labels: "
                             f"expected {label_lengths.sum()} values (the sum of the label "
                             f"lengths), got {array.size}")
        padded = np.zeros((batch, max(int(label_lengths.max(initial=0)), 1)), np.int64)
        offsets = np.concatenate([[0], np.cumsum(label_lengths)])
        for n in range(batch):
            padded[n, :label_lengths[n]] = array[offsets[n]:offsets[n + 1]]
        return padded
    if array.ndim != 2 or array.shape[0] != batch:
        raise ValueError(f"{owner}: labels must have shape ({batch}, max_label_length) or be "
                         f"1-D, got {array.shape}")
    return array


def ctc_nll(x, labels, input_lengths, label_lengths, blank: int = 0, from_logits: bool = True,
            zero_infinity: bool = False, owner: str = "ctc_loss"):
    """Per-sample CTC loss -log p(l|x), shape (N,), of batch-major ``x`` (N, T, C).

    ``x`` is logits (``from_logits``) or log-probabilities. When ``x`` is the direct output
    of a softmax (probabilities, ``from_logits=False`` is then wrong) callers pass its
    logits instead; see `ctc_loss` and ``ctc_batch_cost``.
    """
    x = to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"{owner}: the predictions must be 3-D (batch, time, classes), got "
                         f"shape {x.shape}")
    if x.dtype.kind != "f":
        x = x.astype("float32")
    batch, steps, classes = x.shape
    if not 0 <= blank < classes:
        raise ValueError(f"{owner}: blank index {blank} is outside the {classes} classes "
                         f"(0..{classes - 1})")
    input_lengths = _lengths("input_lengths", owner, input_lengths, batch)
    label_lengths = _lengths("label_lengths", owner, label_lengths, batch)
    if input_lengths.size and (input_lengths.min() < 1 or input_lengths.max() > steps):
        raise ValueError(f"{owner}: input_lengths must lie in 1..{steps} (the time steps of "
                         f"the predictions), got {input_lengths.min()}..{input_lengths.max()}")
    labels = _padded_labels(owner, labels, label_lengths, batch)
    if label_lengths.size and (label_lengths.min() < 0 or label_lengths.max() > labels.shape[1]):
        raise ValueError(f"{owner}: label_lengths must lie in 0..{labels.shape[1]} (the "
                         f"labels' width), got {label_lengths.min()}..{label_lengths.max()}")
    used = np.arange(labels.shape[1])[None, :] < label_lengths[:, None]
    if used.any():
        low, high = labels[used].min(), labels[used].max()
        if low < 0 or high >= classes or np.any(labels[used] == blank):
            raise ValueError(f"{owner}: labels must be classes in 0..{classes - 1} other than "
                             f"the blank {blank}, got values {low}..{high}"
                             + (" including the blank" if np.any(labels[used] == blank)
                                else ""))
    labels = np.where(used, labels, blank)  # padding: never read, kept in range
    return CTCLoss.apply(x, labels=labels, input_lengths=input_lengths,
                         label_lengths=label_lengths, blank=int(blank),
                         from_logits=bool(from_logits), zero_infinity=bool(zero_infinity))


def _reduce(owner: str, losses, label_lengths, reduction: str):
    """'none': (N,); 'sum'; 'mean': mean over the batch of loss_n / max(L_n, 1) (PyTorch)."""
    if reduction == "none":
        return losses
    if reduction == "sum":
        return reduce_sum(losses)
    if reduction == "mean":
        lengths = np.maximum(np.asarray(label_lengths, dtype=np.float64), 1.0)
        return mean(div(losses, to_tensor(lengths.astype(losses.dtype))))
    raise ValueError(f"{owner}: reduction must be one of {', '.join(REDUCTIONS)}, got "
                     f"{reduction!r}")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False):
    """``torch.nn.functional.ctc_loss``: time-major log-probabilities (T, N, C).

    ``targets`` are (N, S) padded or 1-D concatenated; the reduction 'mean' divides each
    loss by its target length, then averages over the batch. When ``log_probs`` is the
    output of a log-softmax over the classes, the fused gradient goes to its logits.
    """
    log_probs = to_tensor(log_probs)
    if log_probs.ndim != 3:
        raise ValueError(f"ctc_loss: log_probs must be 3-D (time, batch, classes), got shape "
                         f"{log_probs.shape}")
    logits = _source(log_probs, LogSoftmax)
    x = transpose(logits if logits is not None else log_probs, (1, 0, 2))  # (N, T, C)
    batch = log_probs.shape[1]
    lengths = _lengths("target_lengths", "ctc_loss", target_lengths, batch)
    losses = ctc_nll(x, targets, input_lengths, lengths, blank=blank,
                     from_logits=logits is not None, zero_infinity=zero_infinity)
    return _reduce("ctc_loss", losses, lengths, reduction)


def _source(output, op_type):
    """The logits ``output`` was computed from, when it is ``op_type`` over the last axis."""
    op = output._op
    if not isinstance(op, op_type) or op.axis not in (-1, output.ndim - 1) or not op.inputs:
        return None
    return op.inputs[0]


def logits_of_softmax(probabilities):
    """The logits of softmax outputs (or None): CTC on them gets the fused gradient."""
    return _source(to_tensor(probabilities), Softmax)


__all__ = ["CTCLoss", "ctc_nll", "ctc_loss", "logits_of_softmax", "REDUCTIONS"]
