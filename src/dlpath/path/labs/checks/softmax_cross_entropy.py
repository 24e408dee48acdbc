"""Checks of the softmax-cross-entropy lab: the mean loss and its gradient against
dlpath.engine.losses (fused softmax cross-entropy) and finite differences, on random
shapes, batch 1, float32 and logits of +-1000."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import losses
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["cross_entropy", "cross_entropy_grad"]


def _engine(logits, labels):
    """The mean loss and its gradient by dlpath's engine."""
    z = Tensor(logits, requires_grad=True, dtype=logits.dtype)
    loss = losses.sparse_categorical_crossentropy(labels, z, from_logits=True).mean()
    loss.backward()
    return float(loss.data), z.grad


def _log_probs(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _problem(rng, n=None, k=None, scale=3.0, dtype=np.float64):
    n = int(rng.integers(2, 8)) if n is None else n
    k = int(rng.integers(2, 6)) if k is None else k
    logits = rng.normal(0, scale, size=(n, k)).astype(dtype)
    labels = rng.integers(0, k, size=n)
    return logits, labels


def _as_float(case, value):
    if isinstance(value, np.ndarray) and value.size != 1:
        case.fail("loss_not_scalar", shape=value.shape)
    try:
        return float(value)
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the loss", expected="a float", type=type(value).__name__)


def _loss_mistakes(logits, labels):
    lp = _log_probs(logits.astype(np.float64))
    n, k = lp.shape
    picked = -lp[np.arange(n), labels]
    return {"loss_summed": picked.sum(), "loss_mean_over_classes": picked.sum() / (n * k),
            "wrong_indexing": -lp[:, labels].mean(),
            "loss_of_probabilities": -np.exp(-picked).mean()}


def _grad_mistakes(logits, labels):
    z = logits.astype(np.float64)
    n, k = z.shape
    p = np.exp(_log_probs(z))
    onehot = np.eye(k)[labels]
    return {"grad_not_divided": p - onehot, "grad_without_onehot": p / n,
            "grad_divided_by_classes": (p - onehot) / k}


@check("loss")
def loss_values(learner, rng):
    for n, k in ((None, None), (None, None), (1, None)):
        logits, labels = _problem(rng, n, k)
        case = Case(learner.cross_entropy, f"logits {logits.shape}, labels {labels.tolist()}")
        loss = _as_float(case, case.call(logits, labels))
        expected, _ = _engine(logits, labels)
        case.expect_close("the loss", loss, expected, rtol=1e-7, atol=1e-10,
                          mistakes=_loss_mistakes(logits, labels))


@check("loss-large-logits")
def loss_large_logits(learner, rng):
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0], [-1000.0, 0.0, 1000.0]])
    labels = rng.permutation(3)
    case = Case(learner.cross_entropy, f"logits of +-1000, labels {labels.tolist()}")
    with np.errstate(all="ignore"):
        loss = _as_float(case, case.call(logits, labels))
    if not np.isfinite(loss):
        case.fail("loss_overflow", value=loss)
    case.expect_close("the loss", loss, _engine(logits, labels)[0], rtol=1e-7, atol=1e-9)


@check("gradient")
def gradient(learner, rng):
    for n, k in ((None, None), (None, None), (1, None), (None, 2)):
        logits, labels = _problem(rng, n, k)
        case = Case(learner.cross_entropy_grad, f"logits {logits.shape}, labels "
                                                f"{labels.tolist()}")
        grad = case.call(logits, labels)
        _, expected = _engine(logits, labels)
        case.expect_close("dL/dlogits", grad, expected, rtol=1e-7, atol=1e-10,
                          mistakes=_grad_mistakes(logits, labels))
        numeric = numerical_gradient(lambda z: _engine(z, labels)[0], logits)
        case.expect_close("dL/dlogits", grad, numeric, rtol=1e-5, atol=1e-8)


@check("gradient-large-logits")
def gradient_large_logits(learner, rng):
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]])
    labels = rng.integers(0, 3, size=2)
    case = Case(learner.cross_entropy_grad, f"logits of +-1000, labels {labels.tolist()}")
    with np.errstate(all="ignore"):
        grad = case.expect_array("dL/dlogits", case.call(logits, labels))
    if grad.shape == logits.shape and not np.isfinite(grad).all():
        case.fail("grad_overflow")
    case.expect_close("dL/dlogits", grad, _engine(logits, labels)[1], rtol=1e-7, atol=1e-10)


@check("dtype")
def dtype(learner, rng):
    logits, labels = _problem(rng, dtype=np.float32)
    labels = labels.astype(np.int32)
    case = Case(learner.cross_entropy_grad, f"logits {logits.shape} float32, labels int32")
    grad = case.call(logits, labels)
    case.expect_dtype("dL/dlogits", grad, np.float32)
    case.expect_close("dL/dlogits", grad, _engine(logits, labels)[1], rtol=1e-4, atol=1e-6)
    case = Case(learner.cross_entropy, f"logits {logits.shape} float32, labels int32")
    loss = _as_float(case, case.call(logits, labels))
    case.expect_close("the loss", loss, _engine(logits, labels)[0], rtol=1e-5, atol=1e-6)
