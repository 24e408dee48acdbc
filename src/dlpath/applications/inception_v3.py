"""InceptionV3 (Szegedy et al. 2015, arXiv:1512.00567), Keras' layer structure and names.

Every convolution is ``conv2d_bn``: a bias-free convolution, batch normalization without
scale, and ReLU. A stem of five convolutions and two max pools, then the Inception blocks
``mixed0`` .. ``mixed10`` (35x35, 17x17 with factorized 1x7/7x1 convolutions, 8x8 with
split 1x3/3x1 branches), two of them grid reductions. Default input 299x299, at least
75x75. At 299x299x3 with the top: 23,851,784 parameters (notop 21,802,784), as Keras
documents. ``preprocess_input`` scales to [-1, 1].
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common, imagenet_utils

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "inception_v3/"


def conv2d_bn(x, filters: int, rows: int, cols: int, padding="same", strides=(1, 1)):
    """Convolution (no bias), batch normalization (no scale), ReLU."""
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding,
                      use_bias=False)(x)
    x = layers.BatchNormalization(scale=False)(x)
    return layers.Activation("relu")(x)


def _avg_branch(x, filters: int):
    x = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def _block_35(x, pool_filters: int, name: str):
    b1 = conv2d_bn(x, 64, 1, 1)
    b5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    b3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    return layers.Concatenate(axis=-1, name=name)([b1, b5, b3, _avg_branch(x, pool_filters)])


def _block_17(x, mid: int, name: str):
    b1 = conv2d_bn(x, 192, 1, 1)
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, mid, 1, 1), mid, 1, 7), 192, 7, 1)
    d7 = conv2d_bn(x, mid, 1, 1)
    for filters, rows, cols in ((mid, 7, 1), (mid, 1, 7), (mid, 7, 1), (192, 1, 7)):
        d7 = conv2d_bn(d7, filters, rows, cols)
    return layers.Concatenate(axis=-1, name=name)([b1, b7, d7, _avg_branch(x, 192)])


def _block_8(x, index: int):
    b1 = conv2d_bn(x, 320, 1, 1)
    b3 = conv2d_bn(x, 384, 1, 1)
    b3 = layers.Concatenate(axis=-1, name=f"mixed9_{index}")(
        [conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)])
    d3 = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    d3 = layers.Concatenate(axis=-1)([conv2d_bn(d3, 384, 1, 3), conv2d_bn(d3, 384, 3, 1)])
    return layers.Concatenate(axis=-1, name=f"mixed{9 + index}")(
        [b1, b3, d3, _avg_branch(x, 192)])


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """InceptionV3 as ``keras.applications.InceptionV3`` builds it (inputs >= 75x75)."""
    inputs = _builder.start("InceptionV3", kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 299, 75)
    x = conv2d_bn(inputs, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    for i, pool_filters in enumerate((32, 64, 64)):
        x = _block_35(x, pool_filters, f"mixed{i}")
    b3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    d3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2),
                   padding="valid")
    x = layers.Concatenate(axis=-1, name="mixed3")(
        [b3, d3, layers.MaxPooling2D(3, strides=2)(x)])
    for i, mid in enumerate((128, 160, 160, 192)):
        x = _block_17(x, mid, f"mixed{4 + i}")
    b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b7 = conv2d_bn(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    x = layers.Concatenate(axis=-1, name="mixed8")(
        [b3, b7, layers.MaxPooling2D(3, strides=2)(x)])
    for i in (0, 1):
        x = _block_8(x, i)
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation)
    file = "inception_v3_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, "inception_v3", weights, include_top, _WEIGHTS_URL,
                           file + ".h5", file + "_notop.h5")


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [-1, 1] (mode ``"tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
