"""Checks of project-mnist-cnn: the learner's saved MNIST convnet, loaded safely and
evaluated here on the 10,000 official test images (pixels / 255, shape (N, 28, 28, 1))."""

import numpy as np

from dlpath.layers import Conv2D, DepthwiseConv2D
from dlpath.path.labs.checking import check, fail
from dlpath.path.labs.checks import _saved_models as saved

BAR = 0.99
SHAPES = [(28, 28, 1)]
PROBE = 64  # test images of the quick shape check


@check("loads")
def loads(learner, rng):
    saved.load_learner_model(learner)


@check("convolutional")
def convolutional(learner, rng):
    model = saved.load_learner_model(learner)
    if not saved.has_layer(model, (Conv2D, DepthwiseConv2D)):
        kinds = sorted({type(layer).__name__ for layer in saved.layers_of(model)[1:]}
                       - {"InputLayer"})
        fail("no_convolution", layers=", ".join(kinds) or "-")


@check("input-shape")
def input_shape(learner, rng):
    saved.expect_input(saved.load_learner_model(learner), SHAPES)


@check("output-shape")
def output_shape(learner, rng):
    model = saved.load_learner_model(learner)
    x, _ = saved.mnist_test()
    rows = rng.choice(len(x), PROBE, replace=False)
    what = (f"{PROBE} MNIST test images", f"{PROBE} 张 MNIST 测试图像")
    outputs = saved.predict(model, saved.mnist_images(x[rows], SHAPES[0]), what)
    saved.expect_output(saved.single_output(outputs, what), [(PROBE, 10)], what)


@check("test-accuracy")
def test_accuracy(learner, rng):
    model = saved.load_learner_model(learner)
    x, y = saved.mnist_test()
    what = (f"the {len(x)} MNIST test images", f"{len(x)} 张 MNIST 测试图像")
    outputs = saved.predict(model, saved.mnist_images(x, SHAPES[0]), what)
    outputs = saved.expect_output(saved.single_output(outputs, what), [(len(x), 10)], what)
    return saved.expect_bar(saved.accuracy(np.argmax(outputs, axis=1), y), BAR, len(x))
