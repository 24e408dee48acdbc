"""ResNet50V2, ResNet101V2, ResNet152V2 (He et al. 2016, arXiv:1603.05027), as Keras.

Pre-activation bottleneck blocks: batch normalization and ReLU come before each block's
convolutions (``_preact_bn``, ``_preact_relu``), the shortcut is a 1x1 projection of the
pre-activated input in a stack's first block and the identity (or a stride-2 1x1 max pool
in a stack's last block) otherwise; the stride is in each stack's last block. ``post_bn``
and ``post_relu`` end the base. At 224x224x3 with the top: 25,613,800, 44,675,560 and
60,380,648 parameters, as Keras documents. ``preprocess_input`` scales to [-1, 1].
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common, imagenet_utils
from dlpath.applications.resnet_deep import stem

_EPSILON = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(epsilon=_EPSILON, name=name)


def _block(x, filters: int, stride: int = 1, conv_shortcut: bool = False, name: str = ""):
    preact = _bn(name + "_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = _bn(name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=name + "_2_conv")(x)
    x = _bn(name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    return layers.Add(name=name + "_out")([shortcut, x])


def _stack(x, filters: int, blocks: int, stride: int, name: str):
    x = _block(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = _block(x, filters, name=f"{name}_block{i}")
    return _block(x, filters, stride=stride, name=f"{name}_block{blocks}")


def _resnet_v2(blocks, model_name, owner, include_top, weights, input_tensor, input_shape,
               pooling, classes, classifier_activation, kwargs):
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 224, 32)
    x = stem(inputs, use_bias=True, preact=True)
    for filters, count, stride, name in zip((64, 128, 256, 512), blocks, (2, 2, 2, 1),
                                            ("conv2", "conv3", "conv4", "conv5")):
        x = _stack(x, filters, count, stride, name)
    x = _bn("post_bn")(x)
    x = layers.Activation("relu", name="post_relu")(x)
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation)
    file = f"{model_name}_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, model_name, weights, include_top,
                           _common.KERAS_WEIGHTS + "resnet/", file + ".h5",
                           file + "_notop.h5")


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
               input_shape=None, pooling=None, classes=1000,
               classifier_activation="softmax", **kwargs):
    """ResNet50V2 as ``keras.applications.ResNet50V2`` builds it (inputs at least 32x32)."""
    return _resnet_v2((3, 4, 6, 3), "resnet50v2", "ResNet50V2", include_top, weights,
                      input_tensor, input_shape, pooling, classes, classifier_activation,
                      kwargs)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """ResNet101V2 as ``keras.applications.ResNet101V2`` builds it (inputs >= 32x32)."""
    return _resnet_v2((3, 4, 23, 3), "resnet101v2", "ResNet101V2", include_top, weights,
                      input_tensor, input_shape, pooling, classes, classifier_activation,
                      kwargs)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """ResNet152V2 as ``keras.applications.ResNet152V2`` builds it (inputs >= 32x32)."""
    return _resnet_v2((3, 8, 36, 3), "resnet152v2", "ResNet152V2", include_top, weights,
                      input_tensor, input_shape, pooling, classes, classifier_activation,
                      kwargs)


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [-1, 1] (mode ``"tf"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
