"""`MaxNumBoundingBoxes`: a fixed number of bounding boxes per image,
``keras.layers.MaxNumBoundingBoxes``."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.preprocessing.augmentation_base import ImageAugmentation


def _array(value) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else np.asarray(value)


class MaxNumBoundingBoxes(ImageAugmentation):
    """Pad or cut the boxes of ``{"images", "bounding_boxes": {"boxes", "labels"}}`` to
    ``max_number`` per image.

    ``boxes`` (batch, n, 4) becomes (batch, max_number, 4) and ``labels`` (batch, n) becomes
    (batch, max_number) (one image: without the batch axis): the first ``max_number`` boxes
    are kept, missing ones are filled with ``fill_value``. Images (and inputs without boxes)
    are returned unchanged. Applied in every call, training or not, as in Keras.
    """

    applies_at_inference = True

    def __init__(self, max_number, fill_value=-1, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.max_number = arguments.positive_int(max_number, "max_number", owner)
        if not arguments.is_int(fill_value):
            raise arguments.ArgumentTypeError(
                f"{owner}: fill_value must be an int, got {arguments.describe(fill_value)}")
        self.fill_value = int(fill_value)

    def transform(self, images, rng):
        return images

    def _fit(self, values: np.ndarray, name: str) -> Tensor:
        """``values`` (..., n[, 4]) cut or padded along the box axis to ``max_number``."""
        axis = values.ndim - (2 if name == "boxes" else 1)
        values = np.take(values, np.arange(min(values.shape[axis], self.max_number)), axis=axis)
        pad = [(0, 0)] * values.ndim
        pad[axis] = (0, self.max_number - values.shape[axis])
        return Tensor(np.pad(values, pad, constant_values=self.fill_value), dtype=values.dtype)

    def transform_bounding_boxes(self, boxes: dict) -> dict:
        owner = f"Layer '{self.name}' ({type(self).__name__})"
        extra = sorted(set(boxes) - {"boxes", "labels"})
        if extra or "boxes" not in boxes or "labels" not in boxes:
            raise arguments.InvalidArgumentError(
                f"{owner}: bounding_boxes must have exactly the keys 'boxes' and 'labels', "
                f"got {sorted(boxes)}")
        coordinates, labels = _array(boxes["boxes"]), _array(boxes["labels"])
        if coordinates.ndim not in (2, 3) or coordinates.shape[-1] != 4 or (
                labels.shape != coordinates.shape[:-1]):
            raise arguments.InvalidArgumentError(
                f"{owner}: expected boxes (batch, n, 4) and labels (batch, n), got boxes "
                f"{coordinates.shape} and labels {labels.shape}")
        return {"boxes": self._fit(coordinates, "boxes"), "labels": self._fit(labels, "labels")}

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed", None)
        config.update(max_number=self.max_number, fill_value=self.fill_value)
        return config


__all__ = ["MaxNumBoundingBoxes"]
