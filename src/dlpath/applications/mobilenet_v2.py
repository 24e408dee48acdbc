"""MobileNetV2 (Sandler et al. 2018, arXiv:1801.04381), Keras' layer structure and names.

Inverted residual blocks: a 1x1 expansion (``expansion`` times the input channels), a 3x3
depthwise convolution, and a linear 1x1 projection, with a residual connection when the
shapes allow; widths are ``alpha`` times the paper's, rounded to multiples of 8. At
224x224x3 with the top: 3,538,984 parameters, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _common, imagenet_utils

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "mobilenet_v2/"
_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
_BLOCKS = [  # (filters, stride, expansion) for blocks 0..16
    (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
    (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6),
    (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6)]


def make_divisible(value, divisor=8, min_value=None) -> int:
    """``value`` rounded to a multiple of ``divisor``, never more than 10 % below it."""
    min_value = min_value or divisor
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def correct_pad(shape, kernel_size: int = 3) -> tuple:
    """The zero padding before a stride-2 'valid' convolution, as Keras computes it."""
    rows, cols = shape[1], shape[2]
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = kernel_size // 2
    return ((half - adjust[0], half), (half - adjust[1], half))


def _inverted_res_block(inputs, expansion: int, stride: int, alpha: float, filters: int,
                        block_id: int):
    in_channels = inputs.shape[-1]
    pointwise_filters = make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, 1, padding="same", use_bias=False,
                          name=prefix + "expand")(x)
        x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999,
                                      name=prefix + "expand_BN")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x.shape, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(3, strides=stride, use_bias=False,
                               padding="same" if stride == 1 else "valid",
                               name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999,
                                  name=prefix + "depthwise_BN")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, 1, padding="same", use_bias=False,
                      name=prefix + "project")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999,
                                  name=prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=prefix + "add")([inputs, x])
    return x


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True,  # noqa: N802
                weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """MobileNetV2 as ``keras.applications.MobileNetV2`` builds it (arguments as
    `dlpath.applications.MobileNet`, without ``depth_multiplier`` and ``dropout``)."""
    from dlpath.models import Model

    if kwargs:
        raise TypeError(f"MobileNetV2: unexpected keyword argument(s) {sorted(kwargs)}")
    _common.check_arguments("MobileNetV2", weights, include_top, classes, pooling)
    if weights == "imagenet" and alpha not in _ALPHAS:
        raise ValueError(f"MobileNetV2: ImageNet weights exist for alpha in {_ALPHAS}, got "
                         f"alpha={alpha}")
    inputs = _common.model_input("MobileNetV2", input_shape, input_tensor, 224, 32)
    rows = inputs.shape[1]
    if weights == "imagenet" and (rows not in (96, 128, 160, 192, 224)
                                  or inputs.shape[2] != rows):
        raise ValueError(f"MobileNetV2: ImageNet weights exist for square inputs of 96, "
                         f"128, 160, 192 or 224 pixels, got {inputs.shape[1:3]}")
    x = layers.Conv2D(make_divisible(32 * alpha, 8), 3, strides=(2, 2), padding="same",
                      use_bias=False, name="Conv1")(inputs)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, 1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooled(x, pooling, "MobileNetV2")
    model = Model(inputs, x, name=f"mobilenetv2_{alpha:0.2f}_{rows}")
    if weights is not None:
        name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
        _common.load_weights(model, weights, _WEIGHTS_URL,
                             name + (".h5" if include_top else "_no_top.h5"))
    return model


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [-1, 1] (mode ``"tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
