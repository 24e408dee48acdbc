"""Loss functions with Keras' signatures: ``loss(y_true, y_pred)`` -> one value per sample.

Each returns the loss of every sample (the mean over the last axis, or the summed
cross-entropy over classes); reducing over the batch is the caller's choice (`mean()`, or the
``Loss`` objects in `dlpath.losses`).

Cross-entropy from probabilities is computed from the logits whenever the probabilities came
straight out of a softmax (or sigmoid) op: ``-log(softmax(z))`` is evaluated as the fused,
stable ``logsumexp(z) - z_y`` with the exact gradient ``softmax(z) - y``. Clipping the
probabilities instead (what is done when the logits are unknown) loses the gradient of
saturated wrong predictions.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.activations import Sigmoid, Softmax, softplus
from dlpath.engine.function import Function
from dlpath.engine.ops import abs as absolute
from dlpath.engine.ops import clip, log, mean, sum as reduce_sum, where
from dlpath.engine.ops._coerce import to_tensor

EPSILON = 1e-7  # Keras' backend epsilon, used to clip probabilities


class SoftmaxCrossEntropy(Function):
    """Fused softmax + cross-entropy over the last axis, per sample.

    L = -sum_c y_c log softmax(z)_c = logsumexp(z) - sum_c y_c z_c   (for sum_c y_c = 1)
    dL/dz = softmax(z) sum_c y_c - y

    ``labels`` are either class indices (sparse, shape = z.shape[:-1]) or a distribution over
    classes (dense, shape = z.shape).
    """

    def forward(self, logits, labels, sparse):
        shifted = logits - logits.max(axis=-1, keepdims=True)
        exps = np.exp(shifted)
        total = exps.sum(axis=-1, keepdims=True)
        log_probs = shifted - np.log(total)
        self.probs, self.labels, self.sparse = exps / total, labels, sparse
        self.log_probs = log_probs
        if sparse:
            return -np.take_along_axis(log_probs, labels[..., None], axis=-1)[..., 0]
        return -(labels * log_probs).sum(axis=-1)

    def backward(self, grad):
        if self.sparse:
            dlogits = self.probs.copy()
            np.put_along_axis(
                dlogits, self.labels[..., None],
                np.take_along_axis(dlogits, self.labels[..., None], axis=-1) - 1, axis=-1,
            )
        else:
            dlogits = self.probs * self.labels.sum(axis=-1, keepdims=True) - self.labels
        dlabels = -self.log_probs * grad[..., None] if self.needs_grad[1] else None
        return dlogits * grad[..., None], dlabels


def _logits_of(y_pred, op_type, axis=-1):
    """The logits that ``y_pred`` was computed from, if it is the direct output of ``op_type``."""
    op = y_pred._op
    if not isinstance(op, op_type):
        return None
    if op_type is Softmax and op.axis not in (-1, y_pred.ndim - 1):
        return None
    return op.inputs[0] if op.inputs else None


def _check_same_shape(name, y_true, y_pred):
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{name}: y_true has shape {y_true.shape} but y_pred has shape "
                         f"{y_pred.shape}; they must be equal")


def mean_squared_error(y_true, y_pred):
    """mean_last_axis((y_pred - y_true)^2)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, like=y_pred)
    _check_same_shape("mean_squared_error", y_true, y_pred)
    diff = y_pred - y_true
    return mean(diff * diff, axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean_last_axis(|y_pred - y_true|)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, like=y_pred)
    _check_same_shape("mean_absolute_error", y_true, y_pred)
    return mean(absolute(y_pred - y_true), axis=-1)


def huber(y_true, y_pred, delta: float = 1.0):
    """mean_last_axis of e^2 / 2 where |e| <= delta, else delta (|e| - delta / 2); e = y_pred - y_true."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, like=y_pred)
    _check_same_shape("huber", y_true, y_pred)
    error = y_pred - y_true
    size = absolute(error)
    quadratic = 0.5 * error * error
    linear = delta * (size - 0.5 * delta)
    return mean(where(size.data <= delta, quadratic, linear), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits: bool = False):
    """mean_last_axis(-(y log p + (1 - y) log(1 - p))).

    From logits z (p = sigmoid z) this is the stable softplus(z) - y z, gradient sigmoid(z) - y.
    """
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, like=y_pred)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    logits = y_pred if from_logits else _logits_of(y_pred, Sigmoid)
    if logits is not None:
        return mean(softplus(logits) - y_true * logits, axis=-1)
    p = clip(y_pred, EPSILON, 1 - EPSILON)
    return mean(-(y_true * log(p) + (1 - y_true) * log(1 - p)), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False):
    """-sum_c y_c log p_c over the last axis, y_true one-hot (or any distribution)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, like=y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    logits = y_pred if from_logits else _logits_of(y_pred, Softmax)
    if logits is not None:
        return SoftmaxCrossEntropy.apply(logits, y_true, sparse=False)
    probs = y_pred / reduce_sum(y_pred, axis=-1, keepdims=True)
    return -reduce_sum(y_true * log(clip(probs, EPSILON, 1 - EPSILON)), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False):
    """-log p_y over the last axis, y_true holding class indices.

    ``y_true`` may carry a trailing axis of size 1 (labels of shape (n, 1)), as Keras allows.
    """
    y_pred = to_tensor(y_pred)
    labels = np.asarray(y_true.data if hasattr(y_true, "data") else y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"sparse_categorical_crossentropy: labels have shape {labels.shape}, expected "
            f"{y_pred.shape[:-1]} (one class index per row of y_pred, shape {y_pred.shape})"
        )
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError("sparse_categorical_crossentropy: labels must be class indices "
                             "(whole numbers)")
    labels = labels.astype(np.int64)
    classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(
            f"sparse_categorical_crossentropy: labels must lie in [0, {classes - 1}] for "
            f"{classes} classes, got values from {labels.min()} to {labels.max()}"
        )
    logits = y_pred if from_logits else _logits_of(y_pred, Softmax)
    if logits is not None:
        return SoftmaxCrossEntropy.apply(logits, to_tensor(labels), sparse=True)
    from dlpath.engine.ops import take_along_axis

    probs = y_pred / reduce_sum(y_pred, axis=-1, keepdims=True)
    picked = take_along_axis(clip(probs, EPSILON, 1 - EPSILON), labels[..., None], axis=-1)
    return -log(picked)[..., 0]


def l1_penalty(weights, factor: float = 0.01):
    """factor * sum |w|."""
    return factor * reduce_sum(absolute(to_tensor(weights)))


def l2_penalty(weights, factor: float = 0.01):
    """factor * sum w^2  (Keras' convention: no 1/2)."""
    weights = to_tensor(weights)
    return factor * reduce_sum(weights * weights)


# Short names, as Keras has them.
mse = mean_squared_error
mae = mean_absolute_error
