"""MobileNet (Howard et al. 2017, arXiv:1704.04861), Keras' layer structure and names.

A 3x3 convolution, then 13 depthwise-separable blocks (a 3x3 depthwise convolution and a
1x1 pointwise one, each followed by batch normalization and ReLU6); ``alpha`` scales every
width, ``depth_multiplier`` the depthwise channels. With ``alpha=1`` at 224x224x3 and the
top: 4,253,864 parameters, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _common, imagenet_utils

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "mobilenet/"
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [
    (1024, 2), (1024, 1)]


def _conv_block(x, filters: int, alpha: float, strides):
    filters = int(filters * alpha)
    x = layers.Conv2D(filters, (3, 3), padding="same", use_bias=False, strides=strides,
                      name="conv1")(x)
    x = layers.BatchNormalization(name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(x, filters: int, alpha: float, depth_multiplier: int, strides: int,
                          block_id: int):
    filters = int(filters * alpha)
    if strides != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == 1 else "valid",
                               depth_multiplier=depth_multiplier, strides=strides,
                               use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(filters, (1, 1), padding="same", use_bias=False,
                      name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3,  # noqa: N802
              include_top=True, weights="imagenet", input_tensor=None, pooling=None,
              classes=1000, classifier_activation="softmax", **kwargs):
    """MobileNet as ``keras.applications.MobileNet`` builds it.

    Args:
        input_shape: ``(rows, cols, 3)``; default 224x224x3 (unknown rows and columns
            without the top and without ImageNet weights).
        alpha: the width multiplier (0.25, 0.5, 0.75, 1.0 for ImageNet weights).
        depth_multiplier: channels per input channel of the depthwise convolutions.
        dropout: the dropout rate before the classifier.
        include_top: end with the classifier (a 1x1 convolution to ``classes``).
        weights: None, ``"imagenet"`` or a weights file (see `dlpath.applications`).
        input_tensor: a `keras.Input` to build the model on.
        pooling: without the top, ``None`` (4-D features), ``"avg"`` or ``"max"``.
        classes: the number of classes of the top.
        classifier_activation: the top's activation (None for logits).
    """
    from dlpath.models import Model

    if kwargs:
        raise TypeError(f"MobileNet: unexpected keyword argument(s) {sorted(kwargs)}")
    _common.check_arguments("MobileNet", weights, include_top, classes, pooling)
    if weights == "imagenet" and (depth_multiplier != 1 or alpha not in _ALPHA_TEXT):
        raise ValueError(f"MobileNet: ImageNet weights exist for depth_multiplier=1 and "
                         f"alpha in {sorted(_ALPHA_TEXT)}, got depth_multiplier="
                         f"{depth_multiplier}, alpha={alpha}")
    inputs = _common.model_input("MobileNet", input_shape, input_tensor, 224, 32)
    rows = inputs.shape[1]
    if weights == "imagenet" and (rows not in (128, 160, 192, 224) or inputs.shape[2] != rows):
        raise ValueError(f"MobileNet: ImageNet weights exist for square inputs of 128, 160, "
                         f"192 or 224 pixels, got {inputs.shape[1:3]}")
    x = _conv_block(inputs, 32, alpha, strides=(2, 2))
    for block_id, (filters, strides) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, strides, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(classifier_activation or "linear", name="predictions")(x)
    else:
        x = _common.pooled(x, pooling, "MobileNet")
    model = Model(inputs, x, name=f"mobilenet_{alpha:0.2f}_{rows}")
    if weights is not None:
        name = f"mobilenet_{_ALPHA_TEXT.get(alpha, alpha)}_{rows}_tf"
        _common.load_weights(model, weights, _WEIGHTS_URL,
                             name + (".h5" if include_top else "_no_top.h5"))
    return model


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [-1, 1] (mode ``"tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
