"""Xception (Chollet 2016, arXiv:1610.02357), Keras' layer structure and names.

Entry flow: two 3x3 convolutions, then three blocks of two separable convolutions and a
stride-2 max pool with a 1x1 stride-2 projection shortcut (128, 256, 728 filters). Middle
flow: eight residual blocks of three ReLU + 728-filter separable convolutions. Exit flow:
a 728/1024 block with a projection, then separable convolutions to 1536 and 2048. Default
input 299x299, at least 71x71. At 299x299x3 with the top: 22,910,480 parameters (notop
20,861,480), as Keras documents. ``preprocess_input`` scales to [-1, 1].
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common, imagenet_utils


def _sep(x, filters: int, name: str, act_before: bool = True, act_after: bool = False):
    if act_before:
        x = layers.Activation("relu", name=name + "_act")(x)
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    x = layers.BatchNormalization(name=name + "_bn")(x)
    if act_after:
        x = layers.Activation("relu", name=name + "_act")(x)
    return x


def _shortcut(x, filters: int):
    residual = layers.Conv2D(filters, 1, strides=2, padding="same", use_bias=False)(x)
    return layers.BatchNormalization()(residual)


def _downsampling_block(x, filters, block: int, first_act: bool = True):
    residual = _shortcut(x, filters[1])
    x = _sep(x, filters[0], f"block{block}_sepconv1", act_before=first_act)
    x = _sep(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
             **kwargs):
    """Xception as ``keras.applications.Xception`` builds it (inputs at least 71x71)."""
    inputs = _builder.start("Xception", kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 299, 71)
    x = layers.Conv2D(32, 3, strides=2, use_bias=False, name="block1_conv1")(inputs)
    x = layers.BatchNormalization(name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, 3, use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    # block 2 activates after its first separable convolution, later blocks before each
    x = _downsampling_block(x, (128, 128), 2, first_act=False)
    x = _downsampling_block(x, (256, 256), 3)
    x = _downsampling_block(x, (728, 728), 4)
    for block in range(5, 13):
        residual = x
        for i in (1, 2, 3):
            x = _sep(x, 728, f"block{block}_sepconv{i}")
        x = layers.Add()([x, residual])
    x = _downsampling_block(x, (728, 1024), 13)
    x = _sep(x, 1536, "block14_sepconv1", act_before=False, act_after=True)
    x = _sep(x, 2048, "block14_sepconv2", act_before=False, act_after=True)
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation)
    file = "xception_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, "xception", weights, include_top,
                           _common.KERAS_WEIGHTS + "xception/", file + ".h5",
                           file + "_notop.h5")


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [-1, 1] (mode ``"tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
