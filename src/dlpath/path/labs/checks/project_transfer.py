"""Checks of project-transfer: two saved models of one architecture for the MNIST digits 5-9
(labels digit - 5), one built on a network pre-trained on the digits 0-4 and one trained from
scratch, both on the same first 100 labelled training images of the digits 5-9; the checker
evaluates both on the 4,861 official test images of the digits 5-9."""

import functools

import numpy as np

from dlpath.path.labs.checking import check, fail
from dlpath.path.labs.checks import _saved_models as saved

TRANSFERRED, SCRATCH = "transferred.keras", "scratch.keras"
DIGITS = (5, 6, 7, 8, 9)
BAR = 0.80       # the transferred model's test accuracy on the digits 5-9
MARGIN = 0.02    # ... and its lead over the model trained from scratch
SHAPES = [(28, 28, 1), (28, 28), (784,)]
PROBE = 64


def _models(learner):
    """(transferred, scratch): the two models of the handed-in folder."""
    if not learner.is_dir():
        fail("not_a_folder", path=str(learner))
    return (saved.load_learner_model(learner, TRANSFERRED),
            saved.load_learner_model(learner, SCRATCH))


def architecture(model) -> list:
    """The layers' classes and the weights' shapes, in order (names left out)."""
    layers = [type(layer).__name__ for layer in saved.layers_of(model)[1:]
              if type(layer).__name__ != "InputLayer"]
    return layers + [tuple(w.shape) for w in model.weights]


@functools.lru_cache(maxsize=1)
def target_test() -> tuple:
    """The official test images of the digits 5-9 (uint8) and their labels digit - 5."""
    x, y = saved.mnist_test()
    rows = np.isin(y, DIGITS)
    return x[rows], y[rows] - DIGITS[0]


def _accuracy(model, name: str) -> float:
    x, y = target_test()
    what = (f"the {len(x)} MNIST test images of the digits 5-9 ({name})",
            f"数字 5-9 的 {len(x)} 张 MNIST 测试图像（{name}）")
    outputs = saved.predict(model, saved.mnist_images(x, saved.input_shape(model, model=name)),
                            what)
    outputs = saved.expect_output(saved.single_output(outputs, what), [(len(x), 5)], what,
                                  model=name)
    return saved.accuracy(np.argmax(outputs, axis=1), y)


@check("loads")
def loads(learner, rng):
    _models(learner)


@check("input-shape")
def input_shape(learner, rng):
    for name, model in zip((TRANSFERRED, SCRATCH), _models(learner)):
        saved.expect_input(model, SHAPES, model=name)


@check("same-architecture")
def same_architecture(learner, rng):
    transferred, scratch = _models(learner)
    a, b = architecture(transferred), architecture(scratch)
    if a != b:
        at = next((i for i, (u, v) in enumerate(zip(a, b)) if u != v), min(len(a), len(b)))
        fail("different_architecture", transferred=str(a[at]) if at < len(a) else "-",
             scratch=str(b[at]) if at < len(b) else "-",
             count_transferred=transferred.count_params(), count_scratch=scratch.count_params())


@check("output-shape")
def output_shape(learner, rng):
    x, _ = target_test()
    rows = rng.choice(len(x), PROBE, replace=False)
    for name, model in zip((TRANSFERRED, SCRATCH), _models(learner)):
        what = (f"{PROBE} test images of the digits 5-9 ({name})",
                f"数字 5-9 的 {PROBE} 张测试图像（{name}）")
        outputs = saved.predict(
            model, saved.mnist_images(x[rows], saved.input_shape(model, model=name)), what)
        saved.expect_output(saved.single_output(outputs, what), [(PROBE, 5)], what,
                            model=name)


@check("transferred-accuracy")
def transferred_accuracy(learner, rng):
    transferred, _ = _models(learner)
    return saved.expect_bar(_accuracy(transferred, TRANSFERRED), BAR,
                            len(target_test()[0]))


@check("ahead-of-scratch")
def ahead_of_scratch(learner, rng):
    transferred, scratch = _models(learner)
    a = _accuracy(transferred, TRANSFERRED)
    b = _accuracy(scratch, SCRATCH)
    if a - b < MARGIN:
        fail("not_ahead", transferred=a, scratch=b, lead=a - b, margin=MARGIN)
    return {"transferred": a, "scratch": b, "lead": a - b}
