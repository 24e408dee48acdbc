"""``keras.applications.vgg19``: `VGG19`, ``preprocess_input`` (mode ``"caffe"``: RGB to
BGR minus ImageNet's BGR mean) and ``decode_predictions``."""

from dlpath.applications import imagenet_utils
from dlpath.applications.vgg import VGG19


def preprocess_input(x, data_format=None):
    """RGB to BGR, minus ImageNet's BGR mean (mode ``"caffe"``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions

__all__ = ["VGG19", "preprocess_input", "decode_predictions"]
