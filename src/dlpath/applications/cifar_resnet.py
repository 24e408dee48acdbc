"""``CifarResNet``: the small ResNets of He et al. 2015 (sec. 4.2) for 32x32 images.

Not a Keras application (Keras has none this small): a dlpath model that a CPU trains on
CIFAR-10 in minutes. A 3x3 convolution of 16 filters, then three stages of ``n`` basic
blocks (two 3x3 convolutions with batch normalization, and the input added back) with 16,
32 and 64 filters, the last two starting with stride 2 and a 1x1 projection shortcut;
depth :math:`6n + 2` (20, 32, 44, 56, 110). ResNet-20 has about 0.27 M parameters.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _common


def _basic_block(x, filters: int, stride: int, name: str):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False,
                      kernel_initializer="he_normal", name=name + "_1_conv")(x)
    y = layers.BatchNormalization(name=name + "_1_bn")(y)
    y = layers.Activation("relu", name=name + "_1_relu")(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False,
                      kernel_initializer="he_normal", name=name + "_2_conv")(y)
    y = layers.BatchNormalization(name=name + "_2_bn")(y)
    if stride != 1 or x.shape[-1] != filters:
        x = layers.Conv2D(filters, 1, strides=stride, use_bias=False, name=name + "_0_conv")(x)
        x = layers.BatchNormalization(name=name + "_0_bn")(x)
    y = layers.Add(name=name + "_add")([x, y])
    return layers.Activation("relu", name=name + "_out")(y)


def CifarResNet(depth=20, include_top=True, weights=None, input_tensor=None,  # noqa: N802
                input_shape=(32, 32, 3), pooling=None, classes=10,
                classifier_activation="softmax", width=16):
    """A ResNet of ``depth`` layers for small images (see the module docstring).

    Args:
        depth: :math:`6n + 2` for ``n`` blocks per stage (20, 32, 44, 56, 110).
        width: the filters of the first stage (16 in the paper; 8 for a tiny model).
        weights: None or the path of a ``.weights.npz`` file (no published weights).
        The other arguments are those of `dlpath.applications.ResNet50`.
    """
    from dlpath.models import Model

    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
        raise ValueError(f"CifarResNet: depth must be 6n + 2 for n >= 1 (20, 32, 56, ...), "
                         f"got {depth!r}")
    if weights == "imagenet":
        raise ValueError("CifarResNet: there are no published weights; use weights=None "
                         "or the path of a .weights.npz file")
    _common.check_arguments("CifarResNet", weights, include_top, classes, pooling)
    inputs = _common.model_input("CifarResNet", input_shape, input_tensor, 32, 8)
    blocks = (depth - 2) // 6
    x = layers.Conv2D(width, 3, padding="same", use_bias=False,
                      kernel_initializer="he_normal", name="conv1_conv")(inputs)
    x = layers.BatchNormalization(name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    for stage, filters in enumerate((width, 2 * width, 4 * width)):
        for block in range(blocks):
            stride = 2 if stage > 0 and block == 0 else 1
            x = _basic_block(x, filters, stride, f"stage{stage + 1}_block{block + 1}")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooled(x, pooling, "CifarResNet")
    model = Model(inputs, x, name=f"cifar_resnet{depth}")
    _common.load_weights(model, weights, "", "")
    return model
