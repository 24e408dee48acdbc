"""DenseNet121, DenseNet169, DenseNet201 (Huang et al. 2016, arXiv:1608.06993), as Keras.

Four dense blocks (6, 12, 24/32/48, 16/32/32 layers): each layer is batch normalization,
ReLU, a 1x1 convolution to 128 channels, again, and a 3x3 convolution to 32 channels
(the growth rate), concatenated to its input. Transition blocks between them halve the
channels (1x1 convolution) and the size (2x2 average pool). Layer names are tf.keras'
(``conv1/conv``, ``conv2_block1_concat``, ``pool2_conv``, ``bn``), so its ``.h5`` files load
by name. At 224x224x3 with the top: 8,062,504, 14,307,880 and 20,242,984 parameters, as
Keras documents. ``preprocess_input`` scales to [0, 1] and standardizes per channel.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common, imagenet_utils

_EPSILON = 1.001e-5
_BLOCKS = {121: (6, 12, 24, 16), 169: (6, 12, 32, 32), 201: (6, 12, 48, 32)}


def _bn_relu(x, name: str, bn: str, relu: str):
    x = layers.BatchNormalization(epsilon=_EPSILON, name=name + bn)(x)
    return layers.Activation("relu", name=name + relu)(x)


def _conv_block(x, growth_rate: int, name: str):
    y = _bn_relu(x, name, "_0_bn", "_0_relu")
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(y)
    y = _bn_relu(y, name, "_1_bn", "_1_relu")
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                      name=name + "_2_conv")(y)
    return layers.Concatenate(axis=-1, name=name + "_concat")([x, y])


def _transition_block(x, reduction: float, name: str):
    x = _bn_relu(x, name, "_bn", "_relu")
    x = layers.Conv2D(int(x.shape[-1] * reduction), 1, use_bias=False,
                      name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def _densenet(depth, include_top, weights, input_tensor, input_shape, pooling, classes,
              classifier_activation, kwargs):
    owner = f"DenseNet{depth}"
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 224, 32)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = _bn_relu(x, "conv1", "/bn", "/relu")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(_BLOCKS[depth], start=2):
        for i in range(1, count + 1):
            x = _conv_block(x, 32, name=f"conv{stage}_block{i}")
        if stage < 5:
            x = _transition_block(x, 0.5, name=f"pool{stage}")
    x = _bn_relu(x, "", "bn", "relu")
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation)
    file = f"densenet{depth}_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, f"densenet{depth}", weights, include_top,
                           _common.KERAS_WEIGHTS + "densenet/", file + ".h5",
                           file + "_notop.h5")


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """DenseNet121 as ``keras.applications.DenseNet121`` builds it (inputs >= 32x32)."""
    return _densenet(121, include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, kwargs)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """DenseNet169 as ``keras.applications.DenseNet169`` builds it (inputs >= 32x32)."""
    return _densenet(169, include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, kwargs)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    """DenseNet201 as ``keras.applications.DenseNet201`` builds it (inputs >= 32x32)."""
    return _densenet(201, include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, kwargs)


def preprocess_input(x, data_format=None):
    """Pixels 0-255 to [0, 1], then ImageNet's per-channel standardization (``"torch"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
