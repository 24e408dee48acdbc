"""ImageNet helpers: ``preprocess_input`` (per model family) and ``decode_predictions``.

Modes, as Keras' ``imagenet_utils``:

- ``"tf"`` (MobileNet, MobileNetV2): :math:`x / 127.5 - 1`, pixels to [-1, 1].
- ``"torch"``: :math:`(x / 255 - \\mu) / \\sigma` per channel, with ImageNet's RGB mean
  and standard deviation.
- ``"caffe"`` (ResNet50): RGB to BGR, then minus the BGR mean
  ``[103.939, 116.779, 123.68]``.

``decode_predictions`` reads Keras' class index file (``imagenet_class_index.json``,
fetched with `get_file` into ``<cache>/models/``; offline, its error says where to put it).
"""

from __future__ import annotations

import json

import numpy as np

CLASS_INDEX_URL = ("https://storage.googleapis.com/download.tensorflow.org/data/"
                   "imagenet_class_index.json")
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_CAFFE_MEAN = np.array([103.939, 116.779, 123.68])
_TORCH_MEAN = np.array([0.485, 0.456, 0.406])
_TORCH_STD = np.array([0.229, 0.224, 0.225])
_class_index = None


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scale a batch of RGB images (channels last, 0-255) as the model expects."""
    if data_format not in (None, "channels_last"):
        raise ValueError(f"preprocess_input: dlpath images are channels_last, got "
                         f"data_format={data_format!r}")
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype("float32")
    if array.ndim < 1 or array.shape[-1] != 3:
        raise ValueError(f"preprocess_input: expected RGB images with 3 channels last, got "
                         f"shape {array.shape}")
    if mode == "tf":
        return array / 127.5 - 1.0
    if mode == "torch":
        return ((array / 255.0 - _TORCH_MEAN) / _TORCH_STD).astype(array.dtype)
    if mode == "caffe":
        return (array[..., ::-1] - _CAFFE_MEAN).astype(array.dtype)
    raise ValueError(f"preprocess_input: mode must be 'caffe', 'tf' or 'torch', got {mode!r}")


def _load_class_index() -> dict:
    global _class_index
    if _class_index is None:
        from dlpath.utils.file_download import get_file

        path = get_file("imagenet_class_index.json", CLASS_INDEX_URL, cache_subdir="models",
                        file_hash=CLASS_INDEX_HASH)
        with open(path, encoding="utf-8") as file:
            index = json.load(file)
        if not isinstance(index, dict) or len(index) != 1000:
            raise ValueError(f"{path}: expected the 1000 ImageNet classes as "
                             f'{{"0": ["n01440764", "tench"], ...}}')
        _class_index = index
    return _class_index


def decode_predictions(preds, top=5):
    """For each row of ``preds`` (n, 1000): the ``top`` ``(class id, name, score)``."""
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(f"decode_predictions: expects a batch of predictions of shape "
                         f"(samples, 1000), got {preds.shape}")
    index = _load_class_index()
    results = []
    for row in preds:
        best = np.argsort(row)[-top:][::-1]
        results.append([tuple(index[str(i)]) + (float(row[i]),) for i in best])
    return results
