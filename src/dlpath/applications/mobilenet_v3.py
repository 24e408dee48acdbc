"""MobileNetV3Small and MobileNetV3Large (Howard et al. 2019, arXiv:1905.02244), as Keras.

Inverted residual blocks (1x1 expansion, depthwise convolution, optional squeeze-and-
excite, linear 1x1 projection) with ReLU or hard-swish; ``minimalistic`` uses 3x3 kernels,
ReLU and no squeeze-and-excite. The model includes its preprocessing (a `Rescaling` of
pixels 0-255 to [-1, 1]) unless ``include_preprocessing=False``, so ``preprocess_input``
returns its input. The top is Keras': global pooling, a 1x1 convolution ``conv_2``, dropout
and a 1x1 convolution ``logits``. At 224x224x3 with the top: 2,554,968 (Small) and
5,507,432 (Large) parameters, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common, imagenet_utils
from dlpath.applications.mobilenet_v2 import correct_pad, make_divisible

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "mobilenet_v3/"


def _bn(name: str):
    return layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=name)


def _relu(x, name=None):
    return layers.ReLU(name=name)(x)


def _hard_swish(x, name=None):
    return layers.Activation("hard_swish", name=name)(x)


def _se_block(inputs, filters: int, se_ratio: float, prefix: str):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite_avg_pool")(
        inputs)
    x = layers.Conv2D(make_divisible(filters * se_ratio), 1, padding="same",
                      name=prefix + "squeeze_excite_conv")(x)
    x = layers.ReLU(name=prefix + "squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=prefix + "squeeze_excite_conv_1")(x)
    x = layers.Activation("hard_sigmoid", name=prefix + "squeeze_excite_hard_sigmoid")(x)
    return layers.Multiply(name=prefix + "squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    shortcut = x
    in_filters = x.shape[-1]
    prefix = "expanded_conv_"
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(make_divisible(in_filters * expansion), 1, padding="same",
                          use_bias=False, name=prefix + "expand")(x)
        x = _bn(prefix + "expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x.shape, kernel_size),
                                 name=prefix + "depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, use_bias=False,
                               padding="same" if stride == 1 else "valid",
                               name=prefix + "depthwise")(x)
    x = _bn(prefix + "depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, make_divisible(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=prefix + "project")(x)
    x = _bn(prefix + "project_bn")(x)
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=prefix + "add")([shortcut, x])
    return x


# (expansion, filters, kernel (None: the model's), stride, squeeze-excite, hard-swish)
_SMALL = [(1, 16, 3, 2, True, False), (72 / 16, 24, 3, 2, False, False),
          (88 / 24, 24, 3, 1, False, False), (4, 40, None, 2, True, True),
          (6, 40, None, 1, True, True), (6, 40, None, 1, True, True),
          (3, 48, None, 1, True, True), (3, 48, None, 1, True, True),
          (6, 96, None, 2, True, True), (6, 96, None, 1, True, True),
          (6, 96, None, 1, True, True)]
_LARGE = [(1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False),
          (3, 24, 3, 1, False, False), (3, 40, None, 2, True, False),
          (3, 40, None, 1, True, False), (3, 40, None, 1, True, False),
          (6, 80, 3, 2, False, True), (2.5, 80, 3, 1, False, True),
          (2.3, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True),
          (6, 112, 3, 1, True, True), (6, 112, 3, 1, True, True),
          (6, 160, None, 2, True, True), (6, 160, None, 1, True, True),
          (6, 160, None, 1, True, True)]


def _mobilenet_v3(model_type, blocks, last_point_ch, input_shape, alpha, minimalistic,
                  include_top, weights, input_tensor, classes, pooling, dropout_rate,
                  classifier_activation, include_preprocessing, kwargs):
    owner = f"MobileNetV3{model_type.capitalize()}"
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 224, 32, imagenet_size_only=False)
    if weights == "imagenet" and alpha not in ((1.0,) if minimalistic else (0.75, 1.0)):
        raise ValueError(f"{owner}: ImageNet weights exist for alpha 0.75 or 1.0 (only 1.0 "
                         f"when minimalistic), got alpha={alpha} (minimalistic={minimalistic})")
    kernel, se_ratio = (3, None) if minimalistic else (5, 0.25)
    activation = _relu if minimalistic else _hard_swish
    x = inputs
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = _bn("conv_bn")(x)
    x = activation(x)
    for block_id, (expansion, filters, size, stride, se, swish) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, make_divisible(filters * alpha), size or kernel,
                                stride, se_ratio if se else None,
                                activation if swish else _relu, block_id)
    last_conv_ch = make_divisible(x.shape[-1] * 6)
    if alpha > 1.0:
        last_point_ch = make_divisible(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = _bn("conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling)
    suffix = "" if not minimalistic else "_minimalistic"
    file = f"weights_mobilenet_v3_{model_type}{suffix}_224_{float(alpha)}_float"
    return _builder.finish(inputs, x, f"MobilenetV3{model_type}", weights, include_top,
                           _WEIGHTS_URL, file + ".h5", file + "_no_top_v2.h5")


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False,  # noqa: N802
                     include_top=True, weights="imagenet", input_tensor=None, classes=1000,
                     pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, **kwargs):
    """MobileNetV3Small as ``keras.applications.MobileNetV3Small`` builds it (>= 32x32)."""
    return _mobilenet_v3("small", _SMALL, 1024, input_shape, alpha, minimalistic,
                         include_top, weights, input_tensor, classes, pooling, dropout_rate,
                         classifier_activation, include_preprocessing, kwargs)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False,  # noqa: N802
                     include_top=True, weights="imagenet", input_tensor=None, classes=1000,
                     pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, **kwargs):
    """MobileNetV3Large as ``keras.applications.MobileNetV3Large`` builds it (>= 32x32)."""
    return _mobilenet_v3("large", _LARGE, 1280, input_shape, alpha, minimalistic,
                         include_top, weights, input_tensor, classes, pooling, dropout_rate,
                         classifier_activation, include_preprocessing, kwargs)


def preprocess_input(x, data_format=None):
    """The input unchanged: the model rescales it itself (``include_preprocessing``)."""
    return x


def decode_predictions(preds, top=5):
    """For each row of ``preds`` (n, 1000): the ``top`` ``(class id, name, score)``."""
    return imagenet_utils.decode_predictions(preds, top=top)
