"""VGG16 and VGG19 (Simonyan and Zisserman 2014, arXiv:1409.1556), Keras' layers and names.

Five blocks of 3x3 'same' ReLU convolutions (64, 128, 256, 512, 512 filters; 2, 2, 3, 3, 3
convolutions in VGG16 and 2, 2, 4, 4, 4 in VGG19), each followed by a 2x2 max pool, then
``flatten``, ``fc1`` and ``fc2`` (4096 units each) and ``predictions``. At 224x224x3:
138,357,544 (VGG16) and 143,667,240 (VGG19) parameters with the top, 14,714,688 and
20,024,384 without, as Keras documents.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _builder, _common

_FILTERS = (64, 128, 256, 512, 512)


def _vgg(depths, model_name, include_top, weights, input_tensor, input_shape, pooling,
         classes, classifier_activation, kwargs):
    owner = model_name.upper()
    inputs = _builder.start(owner, kwargs, weights, include_top, classes, pooling,
                            input_shape, input_tensor, 224, 32)
    x = inputs
    for block, (filters, depth) in enumerate(zip(_FILTERS, depths), start=1):
        for conv in range(1, depth + 1):
            x = layers.Conv2D(filters, 3, activation="relu", padding="same",
                              name=f"block{block}_conv{conv}")(x)
        x = layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling, named=False)
    file = f"{model_name}_weights_tf_dim_ordering_tf_kernels"
    return _builder.finish(inputs, x, model_name, weights, include_top,
                           f"{_common.KERAS_WEIGHTS}{model_name}/", file + ".h5",
                           file + "_notop.h5")


def VGG16(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
          input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
          **kwargs):
    """VGG16 as ``keras.applications.VGG16`` builds it (inputs at least 32x32)."""
    return _vgg((2, 2, 3, 3, 3), "vgg16", include_top, weights, input_tensor, input_shape,
                pooling, classes, classifier_activation, kwargs)


def VGG19(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
          input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
          **kwargs):
    """VGG19 as ``keras.applications.VGG19`` builds it (inputs at least 32x32)."""
    return _vgg((2, 2, 4, 4, 4), "vgg19", include_top, weights, input_tensor, input_shape,
                pooling, classes, classifier_activation, kwargs)
