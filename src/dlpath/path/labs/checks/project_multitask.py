"""Checks of project-multitask: the learner's saved two-head MNIST model (the digit, and
whether it is odd), loaded safely and evaluated here on the 10,000 official test images."""

import numpy as np

from dlpath.path.labs.checking import check, fail
from dlpath.path.labs.checks import _saved_models as saved

DIGIT_BAR = 0.97
PARITY_BAR = 0.98
SHAPES = [(28, 28), (784,), (28, 28, 1)]
PROBE = 64


def _heads(outputs, count: int, what) -> tuple:
    """(digit scores (N, 10), parity (N, 1) probabilities of odd or (N, 2) scores)."""
    if not isinstance(outputs, list) or len(outputs) != 2:
        fail("not_two_heads", count=len(outputs) if isinstance(outputs, list) else 1)
    widths = [o.shape[1] if isinstance(o, np.ndarray) and o.ndim == 2 else None
              for o in outputs]
    digit = [i for i, w in enumerate(widths) if w == 10]
    parity = [i for i, w in enumerate(widths) if w in (1, 2)]
    if len(digit) != 1 or len(parity) != 1:
        shapes = ", ".join(str(getattr(o, "shape", type(o).__name__)) for o in outputs)
        fail("heads_unclear", shapes=shapes, **saved.cases(what))
    digits = saved.expect_output(outputs[digit[0]], [(count, 10)], what, head="digit")
    odd = saved.expect_output(outputs[parity[0]], [(count, 1), (count, 2)], what,
                              head="parity")
    if odd.shape[1] == 1 and (odd.min() < 0 or odd.max() > 1):
        fail("parity_not_probability", low=float(odd.min()), high=float(odd.max()),
             **saved.cases(what))
    return digits, odd


def _predicted(outputs, count, what):
    digits, odd = _heads(outputs, count, what)
    parity = np.argmax(odd, axis=1) if odd.shape[1] == 2 else (odd[:, 0] > 0.5)
    return np.argmax(digits, axis=1), parity.astype(np.int64)


@check("loads")
def loads(learner, rng):
    saved.load_learner_model(learner)


@check("input-shape")
def input_shape(learner, rng):
    saved.expect_input(saved.load_learner_model(learner), SHAPES)


@check("two-heads")
def two_heads(learner, rng):
    model = saved.load_learner_model(learner)
    x, _ = saved.mnist_test()
    rows = rng.choice(len(x), PROBE, replace=False)
    what = (f"{PROBE} MNIST test images", f"{PROBE} 张 MNIST 测试图像")
    _heads(saved.predict(model, saved.mnist_images(x[rows], saved.input_shape(model)), what),
           PROBE, what)


def _test_predictions(learner):
    model = saved.load_learner_model(learner)
    x, y = saved.mnist_test()
    what = (f"the {len(x)} MNIST test images", f"{len(x)} 张 MNIST 测试图像")
    outputs = saved.predict(model, saved.mnist_images(x, saved.input_shape(model)), what)
    return _predicted(outputs, len(x), what), y


@check("digit-accuracy")
def digit_accuracy(learner, rng):
    (digits, _), y = _test_predictions(learner)
    return saved.expect_bar(saved.accuracy(digits, y), DIGIT_BAR, len(y),
                            key="digit_below_bar")


@check("parity-accuracy")
def parity_accuracy(learner, rng):
    (_, parity), y = _test_predictions(learner)
    return saved.expect_bar(saved.accuracy(parity, y % 2), PARITY_BAR, len(y),
                            key="parity_below_bar")
