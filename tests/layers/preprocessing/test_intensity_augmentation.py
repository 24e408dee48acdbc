"""Posterization, solarization, sharpness, auto-contrast and equalization: NumPy / SciPy
references and hand-worked cases, which ones act at inference (as Keras), configs, errors."""

import numpy as np
import pytest
from scipy import ndimage

import dlpath.random
from dlpath.engine import gradcheck
from dlpath.layers import (
    AutoContrast, Equalization, RandomPosterization, RandomSharpness, Solarization,
)
from dlpath.layers.arguments import InvalidArgumentError
from layers.harness import run_layer_test

RNG = np.random.default_rng(1)
LEVELS = RNG.integers(0, 256, (3, 5, 6, 3)).astype(np.float32)
RANDOM = [lambda **k: RandomPosterization(4, **k), lambda **k: Solarization(0.3, 0.6, **k),
          lambda **k: RandomSharpness(0.9, **k), lambda **k: Equalization(**k)]


@pytest.mark.parametrize("make", RANDOM)
def test_identity_at_inference_and_seeded_while_training(make):
    layer = make()
    np.testing.assert_array_equal(layer(LEVELS).data, LEVELS)
    out = layer(LEVELS, training=True).data
    assert out.dtype == np.float32 and out.shape == LEVELS.shape
    assert 0 <= out.min() and out.max() <= 255 and not np.array_equal(out, LEVELS)
    dlpath.random.set_seed(5)
    first = layer(LEVELS, training=True).data
    dlpath.random.set_seed(5)
    np.testing.assert_array_equal(layer(LEVELS, training=True).data, first)
    assert layer(LEVELS[0], training=True).shape == LEVELS[0].shape


@pytest.mark.parametrize("make", RANDOM + [lambda **k: AutoContrast()])
def test_config_round_trip(make):
    layer = make()
    run_layer_test(type(layer), layer.get_config(), (2, 4, 4, 3), (2, 4, 4, 3), 0,
                   input_data=RNG.uniform(0, 255, (2, 4, 4, 3)), training=True)


def test_posterization_keeps_the_top_bits():
    out = RandomPosterization((3, 3))(LEVELS, training=True).data
    np.testing.assert_array_equal(out, (LEVELS.astype(np.uint8) >> 5) << 5)
    unit = LEVELS / 255
    out = RandomPosterization((4, 4), value_range=(0, 1))(unit, training=True).data
    np.testing.assert_allclose(out, ((LEVELS.astype(np.uint8) >> 4) << 4) / 255, atol=1e-6)
    bits = RandomPosterization(8, seed=0)  # draws b from {1, ..., 7}: upper bound excluded
    assert bits.factor == (1, 8)
    one = np.full((200, 1, 1, 1), 255, dtype=np.float32)
    values = set(np.unique(bits(one, training=True).data))
    assert values == {float(255 >> s << s) for s in range(1, 8)}


def test_solarization_inverts_levels_above_the_threshold():
    out = Solarization(threshold_factor=(0.5, 0.5))(LEVELS, training=True).data
    np.testing.assert_allclose(out, np.where(LEVELS < 127.5, LEVELS, 255 - LEVELS))
    out = Solarization((0.1, 0.1), (1.0, 1.0))(LEVELS, training=True).data
    shifted = np.clip(LEVELS + 25.5, 0, 255)
    np.testing.assert_allclose(out, np.where(shifted < 255, shifted, 0), atol=1e-4)
    np.testing.assert_allclose(Solarization()(LEVELS, training=True).data, 255 - LEVELS)


def test_sharpness_equals_a_blend_with_the_scipy_smoothed_image():
    kernel = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13.0
    smoothed = np.stack([ndimage.correlate(LEVELS[b, ..., c].astype(np.float64), kernel,
                                           mode="constant")
                         for b in range(3) for c in range(3)]).reshape(3, 3, 5, 6)
    smoothed = smoothed.transpose(0, 2, 3, 1)
    blur = RandomSharpness((0.0, 0.0))(LEVELS, training=True).data
    np.testing.assert_allclose(blur, np.clip(smoothed, 0, 255), rtol=1e-5)
    sharp = RandomSharpness((0.8, 0.8))(LEVELS, training=True).data
    np.testing.assert_allclose(sharp, np.clip(LEVELS - 0.6 * (smoothed - LEVELS), 0, 255),
                               rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(RandomSharpness((0.5, 0.5))(LEVELS, training=True).data,
                               LEVELS)
    gradcheck(lambda t: RandomSharpness((0.7, 0.7), value_range=(-9, 9), dtype="float64")(
        t, training=True), RNG.standard_normal((1, 3, 3, 2)))


def test_auto_contrast_stretches_each_channel_and_applies_at_inference():
    images = RNG.uniform(0.2, 0.6, (2, 4, 4, 3)).astype(np.float32)
    images[1, ..., 2] = 0.5  # a constant channel stays as it is
    out = AutoContrast(value_range=(0, 1))(images).data
    low, high = images.min((1, 2), keepdims=True), images.max((1, 2), keepdims=True)
    expected = np.where(high > low, (images - low) / np.where(high > low, high - low, 1),
                        images)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    np.testing.assert_array_equal(out, AutoContrast(value_range=(0, 1))(images,
                                                                       training=True).data)
    gradcheck(lambda t: AutoContrast(value_range=(0, 1), dtype="float64")(t),
              images[:1, :3, :3].astype(np.float64))


def test_equalization_maps_the_cumulative_histogram_to_full_range():
    image = np.array([10, 10, 20, 30], dtype=np.float32).reshape(1, 2, 2, 1)
    out = Equalization()(image, training=True).data.ravel()
    np.testing.assert_array_equal(out, [0, 0, 128, 255])  # cdf 2, 3, 4; round(127.5) = 128
    flat = np.full((1, 2, 2, 1), 7.0, dtype=np.float32)
    np.testing.assert_array_equal(Equalization()(flat, training=True).data, flat)
    unit = Equalization(value_range=(0, 1))(image / 255, training=True).data.ravel()
    np.testing.assert_allclose(unit, [0, 0, 128 / 255, 1], atol=1e-6)
    both = Equalization()(np.concatenate([image, flat]), training=True).data
    np.testing.assert_array_equal(both[1], flat[0])  # each image has its own histogram


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="RandomPosterization: factor"):
        RandomPosterization(9)
    with pytest.raises(InvalidArgumentError, match="RandomPosterization: factor"):
        RandomPosterization((2.5, 4))
    with pytest.raises(InvalidArgumentError, match="Solarization: threshold_factor"):
        Solarization(threshold_factor=1.5)
    with pytest.raises(InvalidArgumentError, match="RandomSharpness: factor"):
        RandomSharpness("high")
    with pytest.raises(InvalidArgumentError, match="AutoContrast: value_range"):
        AutoContrast(value_range=(0, 1, 2))
    with pytest.raises(InvalidArgumentError, match="Equalization: bins"):
        Equalization(bins=0)
