"""ResNet50 (He et al. 2015, arXiv:1512.03385), Keras' layer structure and names.

A 7x7 stride-2 convolution and a 3x3 max pool, then four stacks of bottleneck blocks
(1x1, 3x3, 1x1 convolutions with batch normalization; a projection shortcut in each
stack's first block) of 3, 4, 6 and 3 blocks. At 224x224x3 with the top: 25,636,712
parameters, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _common, imagenet_utils

_WEIGHTS_URL = _common.KERAS_WEIGHTS + "resnet/"
_HASHES = {True: "2cb95161c43110f7111970584f804107", False: "4d473c1dd8becc155b73f8504c6f6626"}
_EPSILON = 1.001e-5


def _block(x, filters: int, stride: int = 1, conv_shortcut: bool = True, name: str = ""):
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(epsilon=_EPSILON, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(epsilon=_EPSILON, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(epsilon=_EPSILON, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(epsilon=_EPSILON, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def _stack(x, filters: int, blocks: int, stride: int, name: str):
    x = _block(x, filters, stride=stride, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = _block(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def ResNet50(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
             **kwargs):
    """ResNet50 as ``keras.applications.ResNet50`` builds it (arguments as
    `dlpath.applications.MobileNet`; inputs at least 32x32)."""
    from dlpath.models import Model

    if kwargs:
        raise TypeError(f"ResNet50: unexpected keyword argument(s) {sorted(kwargs)}")
    _common.check_arguments("ResNet50", weights, include_top, classes, pooling)
    inputs = _common.model_input("ResNet50", input_shape, input_tensor, 224, 32)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    x = layers.BatchNormalization(epsilon=_EPSILON, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for filters, blocks, stride, name in ((64, 3, 1, "conv2"), (128, 4, 2, "conv3"),
                                          (256, 6, 2, "conv4"), (512, 3, 2, "conv5")):
        x = _stack(x, filters, blocks, stride, name)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooled(x, pooling, "ResNet50")
    model = Model(inputs, x, name="resnet50")
    if weights is not None:
        name = "resnet50_weights_tf_dim_ordering_tf_kernels" + ("" if include_top else "_notop")
        _common.load_weights(model, weights, _WEIGHTS_URL, name + ".h5",
                             _HASHES[bool(include_top)] if weights == "imagenet" else None)
    return model


def preprocess_input(x, data_format=None):
    """RGB to BGR, minus ImageNet's BGR mean (mode ``"caffe"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions


from dlpath.applications.resnet_deep import ResNet101, ResNet152  # noqa: E402 - Keras' module
