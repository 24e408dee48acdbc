"""`ImageAugmentation`: the base of Keras 3's image augmentation layers, and their argument
rules.

Like every `RandomLayer`, an augmentation draws from its seeded generator (or dlpath's
shared one) and acts only while training, unless the class sets ``applies_at_inference``
(the deterministic layers that Keras applies in every call, such as `AutoContrast`).

Inputs are NHWC images, batched (rank 4) or one image (rank 3), or, as in Keras 3, a dict
``{"images": ..., "labels": ...}``: the images are augmented, the labels are passed through
unchanged except by the layers that mix images (`MixUp`, `CutMix`), which mix the labels with
the same weights. Other keys of the dict are returned as they came; the layers that move
pixels (warps, mixing, policies) refuse ``bounding_boxes`` and ``segmentation_masks``, which
they would leave out of step with the images.
"""

from __future__ import annotations

import numpy as np

from dlpath.layers import arguments
from dlpath.layers.preprocessing.random_layer import RandomLayer

_NUMBER = (int, float, np.integer, np.floating)


def is_number(value) -> bool:
    return isinstance(value, _NUMBER) and not isinstance(value, (bool, np.bool_))


def keras_factor(value, name: str, owner: str, bounds=(0.0, 1.0)) -> tuple:
    """``(lower, upper)`` by Keras' rule: a number f in ``bounds`` means
    ``(max(-f, bounds[0]), f)``, so ``(0, f)`` when the bounds start at 0; a pair is sorted
    and each value must lie in ``bounds``."""
    low, high = bounds
    accepted = f"a number or a pair of numbers in [{low}, {high}]"
    if is_number(value):
        if not low <= value <= high:
            raise arguments.InvalidArgumentError(
                f"{owner}: {name} must be {accepted}, got {value!r}")
        value = abs(float(value))
        return (max(-value, float(low)), value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(map(is_number, value)):
        lower, upper = sorted(float(v) for v in value)
        if lower < low or upper > high:
            raise arguments.InvalidArgumentError(
                f"{owner}: {name} must be {accepted}, got {tuple(value)}")
        return (lower, upper)
    raise arguments.ArgumentTypeError(
        f"{owner}: {name} must be {accepted}, got {arguments.describe(value)}")


def value_range_pair(value, owner: str) -> tuple:
    """``value_range`` as a sorted ``(low, high)`` pair of distinct numbers."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2
            and all(map(is_number, value))):
        raise arguments.ArgumentTypeError(
            f"{owner}: value_range must be a pair of numbers (low, high), got "
            f"{arguments.describe(value)}")
    low, high = sorted(float(v) for v in value)
    if low == high:
        raise arguments.InvalidArgumentError(
            f"{owner}: value_range must have low < high, got {tuple(value)}")
    return (low, high)


def to_unit(images, value_range):
    """Map pixel values from ``value_range`` to [0, 1]: (x - low) / (high - low)."""
    low, high = value_range
    if (low, high) == (0.0, 1.0):
        return images
    return (images - low) * (1.0 / (high - low))


def from_unit(images, value_range):
    """Map pixel values from [0, 1] back to ``value_range``: x (high - low) + low."""
    low, high = value_range
    if (low, high) == (0.0, 1.0):
        return images
    return images * (high - low) + low


def check_rgb(layer, images) -> None:
    if images.shape[-1] != 3:
        raise arguments.InvalidArgumentError(
            f"Layer '{layer.name}' ({type(layer).__name__}): expected RGB images with 3 "
            f"channels (last axis), got an input of shape {tuple(images.shape)}")


class ImageAugmentation(RandomLayer):
    """Base class: batches a single image, unpacks dict inputs, and calls
    ``augment(images, labels, rng)`` on a rank-4 batch; subclasses that leave labels alone
    implement ``transform(images, rng)`` instead."""

    applies_at_inference = False
    keeps_geometry = True  # False: pixels move, so boxes and masks would need moving too

    def build(self, input_shape) -> None:
        if isinstance(input_shape, list):  # a dict of images and labels: checked per call
            self.built = True
            return
        super().build(input_shape)

    def __call__(self, inputs, *args, **kwargs):
        """Keras' ``bounding_boxes`` entry, a dict ``{"boxes", "labels"}``, bypasses the
        tensor conversion of `Layer.__call__` and goes to ``transform_bounding_boxes``."""
        boxes = None
        if isinstance(inputs, dict) and isinstance(inputs.get("bounding_boxes"), dict):
            self._check_geometry(inputs)
            inputs = dict(inputs)
            boxes = inputs.pop("bounding_boxes")
        outputs = super().__call__(inputs, *args, **kwargs)
        if boxes is None:
            return outputs
        outputs = dict(outputs)
        outputs["bounding_boxes"] = self.transform_bounding_boxes(boxes)
        return outputs

    def transform_bounding_boxes(self, boxes: dict) -> dict:
        return boxes  # the layers that keep the geometry keep the boxes

    def _check_geometry(self, inputs: dict) -> None:
        geometric = sorted({"bounding_boxes", "segmentation_masks"} & set(inputs))
        if geometric and not self.keeps_geometry:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' ({type(self).__name__}): moves pixels but does not "
                f"transform {', '.join(geometric)}; pass only 'images' and 'labels'")

    def _unpack(self, inputs):
        if not isinstance(inputs, dict):
            return inputs, None
        if "images" not in inputs:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' ({type(self).__name__}): a dict input must have an "
                f"'images' key, got keys {sorted(inputs)}")
        self._check_geometry(inputs)
        return inputs["images"], inputs.get("labels")

    def call(self, inputs, training=False):
        images, labels = self._unpack(inputs)
        if images.ndim not in (3, 4):
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' ({type(self).__name__}): expected images of rank 4 "
                f"(batch, height, width, channels) or rank 3 (one image), got an input of "
                f"shape {tuple(images.shape)}")
        if not training and not self.applies_at_inference:
            return inputs
        single = images.ndim == 3
        if single:
            images = images.reshape((1,) + images.shape)
            labels = None if labels is None else labels.reshape((1,) + labels.shape)
        images, labels = self.augment(images, labels, self.generator(), bool(training))
        if single:
            images = images[0]
            labels = None if labels is None else labels[0]
        if not isinstance(inputs, dict):
            return images
        outputs = dict(inputs)
        outputs["images"] = images
        if labels is not None:
            outputs["labels"] = labels
        return outputs

    def augment(self, images, labels, rng, training: bool):
        return self.transform(images, rng), labels

    def compute_output_shape(self, input_shape):
        return input_shape
