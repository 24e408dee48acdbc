"""ResNet101 and ResNet152 (He et al. 2015, arXiv:1512.03385): `ResNet50`'s layers and
names with deeper third and fourth stacks (4, 23 and 8, 36 bottleneck blocks). At
224x224x3 with the top: 44,707,176 and 60,419,944 parameters, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common
from dlpath.applications.resnet import _EPSILON, _stack


def stem(inputs, use_bias: bool = True, preact: bool = False):
    """Keras' ResNet stem: a 7x7 stride-2 convolution and a 3x3 stride-2 max pool."""
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(epsilon=_EPSILON, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    return layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)


def _resnet(blocks, model_name, owner, include_top, weights, input_tensor, input_shape,
            pooling, classes, classifier_activation, kwargs):
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 224, 32)
    x = stem(inputs)
    for filters, count, stride, name in zip((64, 128, 256, 512), blocks, (1, 2, 2, 2),
                                            ("conv2", "conv3", "conv4", "conv5")):
        x = _stack(x, filters, count, stride, name)
    x = _builder.dense_top(x, include_top, pooling, classes, classifier_activation)
    file = f"{model_name}_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, model_name, weights, include_top,
                           _common.KERAS_WEIGHTS + "resnet/", file + ".h5",
                           file + "_notop.h5")


def ResNet101(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
              input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
              **kwargs):
    """ResNet101 as ``keras.applications.ResNet101`` builds it (inputs at least 32x32)."""
    return _resnet((3, 4, 23, 3), "resnet101", "ResNet101", include_top, weights,
                   input_tensor, input_shape, pooling, classes, classifier_activation, kwargs)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
              input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
              **kwargs):
    """ResNet152 as ``keras.applications.ResNet152`` builds it (inputs at least 32x32)."""
    return _resnet((3, 8, 36, 3), "resnet152", "ResNet152", include_top, weights,
                   input_tensor, input_shape, pooling, classes, classifier_activation, kwargs)
