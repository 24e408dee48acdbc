"""EfficientNetB0 .. B7 (Tan and Le 2019, arXiv:1905.11946), Keras' layers and names.

MBConv blocks (1x1 expansion, depthwise convolution, squeeze-and-excite, linear 1x1
projection, stochastic depth on the residual) in seven stages, with widths and depths
scaled per model by ``width_coefficient`` and ``depth_coefficient``. The model includes
its preprocessing: ``rescaling`` (pixels 0-255 to [0, 1]) and ``normalization`` (mean 0,
variance 1 until set or adapted; with ``weights="imagenet"`` a further `Rescaling` by
:math:`1/\\sqrt{\\sigma}` of ImageNet's RGB standard deviations), so ``preprocess_input``
returns its input. At their default sizes with the top: 5,330,571, 7,856,239, 9,177,569,
12,320,535, 19,466,823, 30,562,527, 43,265,143 and 66,658,687 parameters, as Keras
documents.
"""

from __future__ import annotations

import math

from dlpath import initializers, layers
from dlpath.applications import _builder, _common, imagenet_utils
from dlpath.applications._normalization import CountedNormalization
from dlpath.applications.mobilenet_v2 import correct_pad

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "efficientnet/"
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)
# (kernel, repeats, filters in, filters out, expansion, stride) per stage; se_ratio 0.25
_BLOCKS = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2),
           (3, 3, 40, 80, 6, 2), (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2),
           (3, 1, 192, 320, 6, 1)]
# (width, depth, default size, dropout) for B0..B7
_SCALING = [(1.0, 1.0, 224, 0.2), (1.0, 1.1, 240, 0.2), (1.1, 1.2, 260, 0.3),
            (1.2, 1.4, 300, 0.3), (1.4, 1.8, 380, 0.4), (1.6, 2.2, 456, 0.4),
            (1.8, 2.6, 528, 0.5), (2.0, 3.1, 600, 0.5)]


def _conv_init():
    return initializers.VarianceScaling(scale=2.0, mode="fan_out",
                                        distribution="truncated_normal")


def _block(inputs, activation, drop_rate, name, filters_in, filters_out, kernel_size,
           strides, expand_ratio, se_ratio=0.25):
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False,
                          kernel_initializer=_conv_init(), name=name + "expand_conv")(x)
        x = layers.BatchNormalization(name=name + "expand_bn")(x)
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x.shape, kernel_size),
                                 name=name + "dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, use_bias=False,
                               padding="valid" if strides == 2 else "same",
                               depthwise_initializer=_conv_init(), name=name + "dwconv")(x)
    x = layers.BatchNormalization(name=name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        filters_se = max(1, int(filters_in * se_ratio))
        se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
        se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
        se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                           kernel_initializer=_conv_init(), name=name + "se_reduce")(se)
        se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid",
                           kernel_initializer=_conv_init(), name=name + "se_expand")(se)
        x = layers.Multiply(name=name + "se_excite")([x, se])
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False,
                      kernel_initializer=_conv_init(), name=name + "project_conv")(x)
    x = layers.BatchNormalization(name=name + "project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.Add(name=name + "add")([x, inputs])
    return x


def _efficientnet(index, include_top, weights, input_tensor, input_shape, pooling, classes,
                  classifier_activation, kwargs):
    owner = f"EfficientNetB{index}"
    width, depth, default_size, dropout_rate = _SCALING[index]
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, default_size, 32)

    def round_filters(filters, divisor=8):
        filters *= width
        rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
        return int(rounded + divisor if rounded < 0.9 * filters else rounded)

    def round_repeats(repeats):
        return int(math.ceil(depth * repeats))

    x = layers.Rescaling(1.0 / 255.0, name="rescaling")(inputs)
    x = CountedNormalization(axis=-1, name="normalization")(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in _IMAGENET_STDDEV_RGB],
                             name="rescaling_1")(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x.shape, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=_conv_init(), name="stem_conv")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    total = float(sum(round_repeats(block[1]) for block in _BLOCKS))
    done = 0
    for stage, (kernel, repeats, f_in, f_out, expansion, stride) in enumerate(_BLOCKS, 1):
        f_in, f_out = round_filters(f_in), round_filters(f_out)
        for j in range(round_repeats(repeats)):
            x = _block(x, "swish", 0.2 * done / total, f"block{stage}{chr(j + 97)}_",
                       f_in if j == 0 else f_out, f_out, kernel, stride if j == 0 else 1,
                       expansion)
            done += 1
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=_conv_init(), name="top_conv")(x)
    x = layers.BatchNormalization(name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    dense_init = initializers.VarianceScaling(scale=1.0 / 3.0, mode="fan_out",
                                              distribution="uniform")
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation,
                           dropout=dropout_rate, kernel_initializer=dense_init)
    name = f"efficientnetb{index}"
    return _builder.finish(inputs, x, name, weights, include_top, _WEIGHTS_URL,
                           name + ".h5", name + "_notop.h5")


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB0 as ``keras.applications.EfficientNetB0`` builds it (>= 32x32)."""
    return _efficientnet(0, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB1 as ``keras.applications.EfficientNetB1`` builds it (>= 32x32)."""
    return _efficientnet(1, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB2 as ``keras.applications.EfficientNetB2`` builds it (>= 32x32)."""
    return _efficientnet(2, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB3 as ``keras.applications.EfficientNetB3`` builds it (>= 32x32)."""
    return _efficientnet(3, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB4 as ``keras.applications.EfficientNetB4`` builds it (>= 32x32)."""
    return _efficientnet(4, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB5 as ``keras.applications.EfficientNetB5`` builds it (>= 32x32)."""
    return _efficientnet(5, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB6 as ``keras.applications.EfficientNetB6`` builds it (>= 32x32)."""
    return _efficientnet(6, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", **kwargs):
    """EfficientNetB7 as ``keras.applications.EfficientNetB7`` builds it (>= 32x32)."""
    return _efficientnet(7, include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, kwargs)


def preprocess_input(x, data_format=None):
    """The input unchanged: the model rescales and normalizes it itself."""
    return x


decode_predictions = imagenet_utils.decode_predictions
