"""The steps every Keras application shares after its own layers: the head and the weights.

`finish` puts the classifier (``include_top``) or the ``pooling`` on the features, builds
the `Model` and loads ``weights``; `start` checks the arguments and makes the input.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.applications import _common


def start(owner: str, kwargs: dict, weights, include_top: bool, classes: int, pooling,
          input_shape, input_tensor, default_size: int, min_size: int,
          imagenet_size_only: bool = True):
    """Check the arguments and return the model's input placeholder (with ImageNet weights
    and the top, only at ``default_size`` when ``imagenet_size_only``, as Keras)."""
    if kwargs:
        raise TypeError(f"{owner}: unexpected keyword argument(s) {sorted(kwargs)}")
    _common.check_arguments(owner, weights, include_top, classes, pooling)
    if imagenet_size_only and weights == "imagenet" and include_top and input_shape is not \
            None and input_tensor is None and tuple(input_shape[:2]) != (default_size,
                                                                         default_size):
        raise ValueError(f"{owner}: with weights='imagenet' and include_top=True, "
                         f"input_shape must be ({default_size}, {default_size}, 3), got "
                         f"{tuple(input_shape)}")
    return _common.model_input(owner, input_shape, input_tensor, default_size, min_size)


def pool(x, pooling, named: bool = True):
    """``pooling`` ('avg', 'max' or None) on the features, as Keras names it."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool" if named else None)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool" if named else None)(x)
    return x


def dense_top(x, include_top: bool, pooling, classes: int, classifier_activation,
              named_pooling: bool = True, dropout: float = 0.0, **dense_kwargs):
    """Global average pooling and the ``predictions`` layer, or the ``pooling``."""
    if not include_top:
        return pool(x, pooling, named_pooling)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="top_dropout")(x)
    return layers.Dense(classes, activation=classifier_activation, name="predictions",
                        **dense_kwargs)(x)


def finish(inputs, outputs, name: str, weights, include_top: bool, url: str,
           top_file: str, notop_file: str):
    """The `Model`, with ``weights`` (None, ``"imagenet"`` or a path) loaded."""
    from dlpath.models import Model

    model = Model(inputs, outputs, name=name)
    if weights is not None:
        _common.load_weights(model, weights, url, top_file if include_top else notop_file)
    return model
