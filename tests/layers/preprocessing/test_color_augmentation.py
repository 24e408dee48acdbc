"""Keras 3's colour augmentations: each equals a NumPy / colorsys reference of its formula
for pinned factors, keeps dtype and range, is the identity at inference, reproducible under a
seed, takes one image or a dict, and names the layer and argument in its errors."""

import colorsys

import numpy as np
import pytest

import dlpath.random
from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    RandomColorDegeneration, RandomColorJitter, RandomGrayscale, RandomHue, RandomInvert,
    RandomSaturation,
)
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.preprocessing import image_color
from layers.harness import run_layer_test

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (3, 5, 4, 3)).astype(np.float32)
LUMA = np.array([0.2989, 0.5870, 0.1140])
LAYERS = [
    lambda **k: RandomGrayscale(0.9, **k), lambda **k: RandomHue(0.5, **k),
    lambda **k: RandomSaturation((0.1, 0.9), **k), lambda **k: RandomColorDegeneration(0.8, **k),
    lambda **k: RandomInvert(**k),
    lambda **k: RandomColorJitter(brightness_factor=0.2, contrast_factor=0.3,
                                  saturation_factor=(0.2, 0.8), hue_factor=0.3, **k),
]


def _colorsys(images, fn):
    flat = images.reshape(-1, 3).astype(np.float64)
    return np.array([fn(*pixel) for pixel in flat]).reshape(images.shape)


def test_hsv_conversions_equal_colorsys_and_invert_each_other():
    unit = IMAGES / 255.0
    hsv = image_color.rgb_to_hsv(Tensor(unit)).data
    np.testing.assert_allclose(hsv, _colorsys(unit, colorsys.rgb_to_hsv), atol=1e-5)
    back = image_color.hsv_to_rgb(Tensor(hsv)).data
    np.testing.assert_allclose(back, unit, atol=1e-5)
    gray = np.full((1, 2, 2, 3), 0.4, dtype=np.float32)  # no hue, no saturation
    np.testing.assert_allclose(image_color.rgb_to_hsv(Tensor(gray)).data[..., :2], 0.0)


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference_reproducible_and_in_range_while_training(make):
    layer = make()
    np.testing.assert_array_equal(layer(IMAGES).data, IMAGES)
    dlpath.random.set_seed(2)
    first = layer(IMAGES, training=True).data
    dlpath.random.set_seed(2)
    np.testing.assert_array_equal(layer(IMAGES, training=True).data, first)
    assert first.dtype == np.float32 and first.shape == IMAGES.shape
    assert first.min() >= -1e-3 and first.max() <= 255 + 1e-3
    assert not np.allclose(first, IMAGES)
    seeded = [make(seed=4)(IMAGES, training=True).data for _ in range(2)]
    np.testing.assert_array_equal(seeded[0], seeded[1])
    single = make(seed=4)(IMAGES[0], training=True)
    assert single.shape == IMAGES[0].shape


@pytest.mark.parametrize("make", LAYERS)
def test_config_round_trip_and_gradient_reaches_the_input(make):
    layer = make(seed=1)
    run_layer_test(type(layer), layer.get_config(), (2, 4, 4, 3), (2, 4, 4, 3), 0,
                   input_data=RNG.uniform(0, 255, (2, 4, 4, 3)), training=True)


def test_grayscale_replaces_every_channel_by_the_luma():
    out = RandomGrayscale(1.0)(IMAGES, training=True).data
    luma = (IMAGES.astype(np.float64) @ LUMA)[..., None]
    np.testing.assert_allclose(out, np.broadcast_to(luma, IMAGES.shape), rtol=1e-5)
    np.testing.assert_array_equal(RandomGrayscale(0.0)(IMAGES, training=True).data, IMAGES)
    one_channel = IMAGES[..., :1]
    np.testing.assert_array_equal(RandomGrayscale(1.0)(one_channel, training=True).data,
                                  one_channel)


def test_hue_shift_equals_colorsys_rotation_of_hue():
    layer = RandomHue((0.4, 0.4), value_range=(0, 255), seed=3)
    out = layer(IMAGES, training=True).data
    rng = np.random.default_rng(3)
    sign = np.where(rng.uniform(size=3) > 0.5, -1.0, 1.0)
    expected = []
    for image, s in zip(IMAGES / 255.0, sign):
        hsv = _colorsys(image, colorsys.rgb_to_hsv)
        hsv[..., 0] = np.mod(hsv[..., 0] + s * 0.2, 1.0)
        expected.append(_colorsys(hsv, colorsys.hsv_to_rgb) * 255.0)
    np.testing.assert_allclose(out, np.stack(expected), atol=1e-3)


def test_saturation_half_keeps_zero_grays_and_one_saturates():
    unit = IMAGES / 255
    keep = RandomSaturation((0.5, 0.5), value_range=(0, 1))(unit, training=True).data
    np.testing.assert_allclose(keep, unit, atol=1e-5)
    gray = RandomSaturation((0.0, 0.0), value_range=(0, 1))(unit, training=True).data
    np.testing.assert_allclose(gray, np.broadcast_to(unit.max(-1, keepdims=True), unit.shape),
                               atol=1e-6)
    full = RandomSaturation((1.0, 1.0), value_range=(0, 1))(unit, training=True).data
    np.testing.assert_allclose(full.min(-1), 0.0, atol=1e-6)
    np.testing.assert_allclose(full.max(-1), unit.max(-1), atol=1e-6)


def test_color_degeneration_blends_towards_the_luma():
    out = RandomColorDegeneration((0.25, 0.25))(IMAGES, training=True).data
    luma = (IMAGES.astype(np.float64) @ LUMA)[..., None]
    np.testing.assert_allclose(out, IMAGES + 0.25 * (luma - IMAGES), rtol=1e-5)
    gradcheck(lambda t: RandomColorDegeneration((0.6, 0.6), dtype="float64")(t, training=True),
              IMAGES[:1, :2, :2].astype(np.float64) / 255)


def test_invert_flips_values_within_the_value_range():
    np.testing.assert_allclose(RandomInvert((1.0, 1.0))(IMAGES, training=True).data,
                               255.0 - IMAGES)
    unit = IMAGES / 255
    np.testing.assert_allclose(
        RandomInvert((1.0, 1.0), value_range=(0, 1))(unit, training=True).data, 1 - unit,
        atol=1e-6)
    np.testing.assert_array_equal(RandomInvert(0.0)(IMAGES, training=True).data, IMAGES)
    many = np.zeros((400, 1, 1, 1), dtype=np.float32)
    inverted = RandomInvert(seed=0)(many, training=True).data  # p ~ U(0, 1): half on average
    assert 150 < np.count_nonzero(inverted) < 250


def test_color_jitter_applies_only_the_given_steps():
    np.testing.assert_array_equal(RandomColorJitter()(IMAGES, training=True).data, IMAGES)
    out = RandomColorJitter(brightness_factor=(0.1, 0.1))(IMAGES, training=True).data
    np.testing.assert_allclose(out, np.clip(IMAGES + 25.5, 0, 255), rtol=1e-6)


def test_dict_input_keeps_labels_and_other_keys():
    labels = np.eye(3, dtype=np.float32)
    out = RandomHue(0.3, seed=0)({"images": IMAGES, "labels": labels, "ids": np.arange(3)},
                                 training=True)
    assert set(out) == {"images", "labels", "ids"}
    np.testing.assert_array_equal(out["labels"].data, labels)
    np.testing.assert_array_equal(out["images"].data,
                                  RandomHue(0.3, seed=0)(IMAGES, training=True).data)


def test_bad_arguments_and_inputs_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="RandomGrayscale: factor"):
        RandomGrayscale(1.5)
    with pytest.raises(InvalidArgumentError, match="RandomHue: factor"):
        RandomHue(2.0)
    with pytest.raises(InvalidArgumentError, match="RandomSaturation: value_range"):
        RandomSaturation(0.5, value_range=5)
    with pytest.raises(InvalidArgumentError, match="RandomInvert: value_range"):
        RandomInvert(value_range=(1, 1))
    with pytest.raises(InvalidArgumentError, match=r"RandomHue.*3 channels.*\(2, 4, 4, 1\)"):
        RandomHue(0.2)(np.zeros((2, 4, 4, 1)), training=True)
    with pytest.raises(InvalidArgumentError, match="RandomColorDegeneration.*rank 4"):
        RandomColorDegeneration(0.2)(np.zeros((4, 3)), training=True)
    with pytest.raises(InvalidArgumentError, match="'images' key"):
        RandomHue(0.2)({"pixels": IMAGES}, training=True)
