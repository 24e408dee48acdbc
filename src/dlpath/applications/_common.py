"""What every application shares: the input, the head, and the weights argument.

``weights`` is None (random initialization), ``"imagenet"`` (Keras' published file,
downloaded with `dlpath.utils.get_file` into ``<cache>/models/``), or the path of a
weights file: dlpath's ``.weights.npz`` (``model.save_weights``) or a Keras ``.h5``
weights file (read with h5py, matched to the layers by name). Without network access
``"imagenet"`` fails with an error that says how to pass a local file instead.
"""

from __future__ import annotations

import os

from dlpath.layers.input_layer import Input, KerasTensor

KERAS_WEIGHTS = "https://storage.googleapis.com/tensorflow/keras-applications/"


def check_arguments(owner: str, weights, include_top: bool, classes: int, pooling) -> None:
    """The arguments every application takes, checked before anything is built."""
    if pooling not in (None, "avg", "max"):
        raise ValueError(f"{owner}: pooling must be None, 'avg' or 'max', got {pooling!r}")
    if not (weights in (None, "imagenet") or (isinstance(weights, (str, os.PathLike))
                                              and os.path.exists(weights))):
        raise ValueError(f"{owner}: weights must be None (random initialization), "
                         f"'imagenet' or the path of an existing weights file, got "
                         f"{weights!r}")
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 1:
        raise ValueError(f"{owner}: classes must be a positive integer, got {classes!r}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(f"{owner}: with weights='imagenet' and include_top=True, classes "
                         f"must be 1000 (the ImageNet classes), got {classes}")


def model_input(owner: str, input_shape, input_tensor, default_size: int, min_size: int):
    """The placeholder the model is built on.

    ``input_shape`` is ``(rows, cols, channels)``. dlpath infers every layer's output shape
    by running it on a sample input, so unknown rows or columns (``input_shape=None``, or
    None sizes) are taken as ``default_size`` to build the model; the model still accepts
    images of other sizes when it is called (a convolutional base) or when its pooling
    makes them equal (a top after global pooling).
    """
    if input_tensor is not None:
        if not isinstance(input_tensor, KerasTensor):
            raise TypeError(f"{owner}: input_tensor must be a keras.Input placeholder, got "
                            f"{type(input_tensor).__name__}")
        shape = tuple(input_tensor.shape[1:])
        tensor = input_tensor
    else:
        shape = tuple(input_shape) if input_shape is not None else (None, None, 3)
        if len(shape) == 3:
            shape = tuple(default_size if s is None else s for s in shape[:2]) + shape[2:]
        tensor = None
    if len(shape) != 3:
        raise ValueError(f"{owner}: input_shape must be (rows, cols, channels), got {shape}")
    if shape[2] is not None and shape[2] < 1:
        raise ValueError(f"{owner}: the input must have channels, got {shape}")
    for size in shape[:2]:
        if size is not None and size < min_size:
            raise ValueError(f"{owner}: input rows and columns must be at least {min_size}, "
                             f"got input_shape={shape}")
    if tensor is None:
        tensor = Input(shape=shape)
    return tensor


def pooled(x, pooling, owner: str):
    from dlpath import layers

    if pooling is None:
        return x
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    raise ValueError(f"{owner}: pooling must be None, 'avg' or 'max', got {pooling!r}")


def load_weights(model, weights, url: str, file_name: str, file_hash=None) -> None:
    """Put ``weights`` (``"imagenet"`` or a path) into ``model``."""
    if weights is None:
        return
    if weights == "imagenet":
        from dlpath.utils.file_download import FileNotAvailableError, get_file

        try:
            weights = get_file(file_name, url + file_name, cache_subdir="models",
                               file_hash=file_hash)
        except FileNotAvailableError as error:
            raise FileNotAvailableError(
                f"{model.name}: the ImageNet weights cannot be downloaded ({error}). Pass "
                f"the path of a local copy of {file_name} as weights='/path/{file_name}', "
                f"or weights=None for random initialization") from error
    path = os.fspath(weights)
    if path.endswith((".h5", ".hdf5")):
        from dlpath.applications.keras_h5 import load_keras_h5

        load_keras_h5(model, path)
    else:
        model.load_weights(path)
