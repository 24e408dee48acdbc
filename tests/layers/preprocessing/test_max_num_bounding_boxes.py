"""MaxNumBoundingBoxes pads or cuts boxes and labels; colour layers pass boxes through and
the layers that move pixels refuse them, rather than leave them out of step."""

import numpy as np
import pytest

from dlpath.layers import MaxNumBoundingBoxes, RandomHue, RandomPerspective, MixUp
from dlpath.layers.arguments import InvalidArgumentError

IMAGES = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype(np.float32)
BOXES = {"boxes": np.arange(24.0).reshape(2, 3, 4), "labels": np.array([[1, 2, 3], [4, 5, 6]])}


def test_boxes_are_padded_with_fill_value_or_cut_and_images_kept():
    out = MaxNumBoundingBoxes(5, fill_value=-2)({"images": IMAGES, "bounding_boxes": BOXES})
    np.testing.assert_array_equal(out["images"].data, IMAGES)
    boxes, labels = out["bounding_boxes"]["boxes"].data, out["bounding_boxes"]["labels"].data
    assert boxes.shape == (2, 5, 4) and labels.shape == (2, 5)
    np.testing.assert_array_equal(boxes[:, :3], BOXES["boxes"])
    assert (boxes[:, 3:] == -2).all() and labels.tolist() == [[1, 2, 3, -2, -2], [4, 5, 6, -2, -2]]
    one = MaxNumBoundingBoxes(2)({"images": IMAGES[0], "bounding_boxes": {
        "boxes": BOXES["boxes"][0], "labels": BOXES["labels"][0]}})
    np.testing.assert_array_equal(one["bounding_boxes"]["boxes"].data, BOXES["boxes"][0, :2])
    assert one["bounding_boxes"]["labels"].data.tolist() == [1, 2]
    np.testing.assert_array_equal(MaxNumBoundingBoxes(3)(IMAGES).data, IMAGES)
    layer = MaxNumBoundingBoxes(4, fill_value=0)
    assert MaxNumBoundingBoxes.from_config(layer.get_config()).get_config() == layer.get_config()


def test_colour_layers_keep_boxes_and_moving_layers_refuse_them():
    out = RandomHue(0.3)({"images": IMAGES, "bounding_boxes": BOXES}, training=True)
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], BOXES["boxes"])
    for layer in (RandomPerspective(), MixUp()):
        with pytest.raises(InvalidArgumentError, match="does not transform bounding_boxes"):
            layer({"images": IMAGES, "bounding_boxes": BOXES}, training=True)
    with pytest.raises(InvalidArgumentError, match="segmentation_masks"):
        RandomPerspective()({"images": IMAGES, "segmentation_masks": IMAGES[..., :1]},
                            training=True)


def test_bad_arguments_and_boxes_name_the_layer():
    with pytest.raises(InvalidArgumentError, match="MaxNumBoundingBoxes: max_number"):
        MaxNumBoundingBoxes(0)
    with pytest.raises(InvalidArgumentError, match="MaxNumBoundingBoxes: fill_value"):
        MaxNumBoundingBoxes(3, fill_value=0.5)
    with pytest.raises(InvalidArgumentError, match="MaxNumBoundingBoxes.*'boxes' and 'labels'"):
        MaxNumBoundingBoxes(3)({"images": IMAGES, "bounding_boxes": {"boxes": BOXES["boxes"]}})
    with pytest.raises(InvalidArgumentError, match=r"MaxNumBoundingBoxes.*\(batch, n, 4\)"):
        MaxNumBoundingBoxes(3)({"images": IMAGES, "bounding_boxes": {
            "boxes": np.zeros((2, 3, 5)), "labels": np.zeros((2, 3))}})
