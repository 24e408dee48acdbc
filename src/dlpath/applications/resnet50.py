"""``keras.applications.resnet50``: the ResNet50 module under its tf.keras 2 name."""

from dlpath.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "preprocess_input", "decode_predictions"]
