"""Random image layers: identity at inference, reproducible under a seed, Keras' geometry
(against hand-worked cases and scipy.ndimage), gradients, and a model that trains."""

import numpy as np
import pytest
from scipy import ndimage

import dlpath.random
from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    Conv2D, Dense, Flatten, RandomContrast, RandomCrop, RandomFlip, RandomRotation,
    RandomTranslation, RandomZoom, Rescaling,
)
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.input_layer import Input
from dlpath.layers.preprocessing import image_sampling
from dlpath.models import Sequential
from layers.harness import run_layer_test

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (4, 6, 6, 2)).astype(np.float32)
LAYERS = [
    lambda **k: RandomFlip(**k), lambda **k: RandomRotation(0.2, **k),
    lambda **k: RandomTranslation(0.3, 0.3, **k), lambda **k: RandomZoom(0.3, **k),
    lambda **k: RandomContrast(0.5, **k),
]


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference_and_reproducible_while_training(make):
    layer = make()
    np.testing.assert_array_equal(layer(IMAGES).data, IMAGES)
    np.testing.assert_array_equal(layer(IMAGES, training=False).data, IMAGES)
    dlpath.random.set_seed(3)
    first = layer(IMAGES, training=True).data
    dlpath.random.set_seed(3)
    np.testing.assert_array_equal(layer(IMAGES, training=True).data, first)
    assert not np.array_equal(first, IMAGES)
    seeded = [make(seed=7)(IMAGES, training=True).data for _ in range(2)]
    np.testing.assert_array_equal(seeded[0], seeded[1])


@pytest.mark.parametrize("make", LAYERS)
def test_gradient_flows_through_the_sampling(make):
    layer = make(seed=1, dtype="float64")
    gradcheck(lambda t: make(seed=1, dtype="float64")(t, training=True),
              IMAGES[:2, :4, :4].astype(np.float64) / 255)
    run_layer_test(type(layer), layer.get_config(), (2, 5, 5, 1), (2, 5, 5, 1), 0,
                   training=True)


def test_flip_gives_each_image_or_its_mirror_and_both_occur():
    images = RNG.standard_normal((64, 3, 4, 1)).astype(np.float32)
    out = RandomFlip("horizontal", seed=0)(images, training=True).data
    flipped = [np.array_equal(o, i[:, ::-1]) for o, i in zip(out, images)]
    kept = [np.array_equal(o, i) for o, i in zip(out, images)]
    assert all(f or k for f, k in zip(flipped, kept)) and 10 < sum(flipped) < 54
    out = RandomFlip("vertical", seed=0)(images, training=True).data
    assert all(np.array_equal(o, i) or np.array_equal(o, i[::-1]) for o, i in zip(out, images))


def test_quarter_turn_is_rot90_counter_clockwise():
    images = RNG.standard_normal((2, 5, 5, 3)).astype(np.float32)
    out = RandomRotation((0.25, 0.25), interpolation="nearest")(images, training=True).data
    np.testing.assert_allclose(out, np.rot90(images, axes=(1, 2)), atol=1e-6)


def test_integer_translation_shifts_down_right_with_constant_fill():
    images = RNG.standard_normal((1, 4, 5, 1)).astype(np.float32)
    layer = RandomTranslation((0.25, 0.25), (0.4, 0.4), fill_mode="constant", fill_value=9.0)
    out = layer(images, training=True).data[0, :, :, 0]
    expected = np.full((4, 5), 9.0)
    expected[1:, 2:] = images[0, :3, :3, 0]
    np.testing.assert_allclose(out, expected, atol=1e-5)


@pytest.mark.parametrize("fill_mode, scipy_mode", [
    ("reflect", "reflect"), ("wrap", "grid-wrap"), ("nearest", "nearest"),
    ("constant", "grid-constant")])
@pytest.mark.parametrize("order, interpolation", [(1, "bilinear"), (0, "nearest")])
def test_affine_sampling_equals_scipy_map_coordinates(fill_mode, scipy_mode, order,
                                                      interpolation):
    image = RNG.standard_normal((7, 6)).astype(np.float64)
    transform = image_sampling.rotation_transforms(np.array([0.7]), 7, 6)
    transform = transform + image_sampling.translation_transforms(
        np.array([2.3]), np.array([-1.6])) - image_sampling.translation_transforms(
        np.zeros(1), np.zeros(1))
    rows, columns = image_sampling.source_coordinates(transform, 7, 6)
    if order == 0:  # round half up, as ours does (scipy rounds half to even)
        rows, columns = np.floor(rows[0] + 0.5), np.floor(columns[0] + 0.5)
    else:
        rows, columns = rows[0], columns[0]
    expected = ndimage.map_coordinates(image, [rows, columns], order=order, mode=scipy_mode,
                                       cval=2.5)
    ours = image_sampling.affine_transform(Tensor(image[None, :, :, None], dtype="float64"),
                                           transform, interpolation, fill_mode, 2.5)
    np.testing.assert_allclose(ours.data[0, :, :, 0], expected, atol=1e-10)


def test_zoom_out_by_two_samples_every_other_pixel_about_the_centre():
    images = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)
    out = RandomZoom((1.0, 1.0), fill_mode="constant")(images, training=True).data[0, :, :, 0]
    # zoom 2: output pixel p samples 2 p - 2, so the middle row/column is the input's
    np.testing.assert_array_equal(out[1:4, 1:4], images[0, 0:5:2, 0:5:2, 0])
    assert out[0, 0] == 0.0 and out[2, 2] == 12.0
    assert RandomZoom(0.2, width_factor=(-0.1, 0.1)).width_factor == (-0.1, 0.1)


def test_contrast_follows_the_formula_and_clips_to_value_range():
    images = RNG.uniform(0, 1, (3, 4, 4, 2)).astype(np.float32)
    layer = RandomContrast((0.5, 0.5), value_range=(0, 1), seed=5)
    out = layer(images, training=True).data
    factors = np.random.default_rng(5).uniform(0.5, 1.5, size=3)[:, None, None, None]
    mean = images.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, np.clip((images - mean) * factors + mean, 0, 1), atol=1e-6)


def test_random_crop_window_while_training_and_resize_at_inference():
    images = np.arange(2 * 6 * 8, dtype=np.float32).reshape(2, 6, 8, 1)
    out = RandomCrop(3, 4, seed=2)(images, training=True).data
    rng = np.random.default_rng(2)
    top, left = rng.integers(0, 4), rng.integers(0, 5)
    np.testing.assert_array_equal(out, images[:, top:top + 3, left:left + 4])
    assert RandomCrop(3, 4)(images).shape == (2, 3, 4, 1)
    gradcheck(lambda t: RandomCrop(2, 2, seed=0, dtype="float64")(t, training=True),
              images[:1, :3, :3].astype(np.float64))


def test_a_model_with_augmentation_layers_trains_and_is_identity_at_predict():
    dlpath.random.set_seed(0)
    x = RNG.uniform(0, 255, (32, 8, 8, 3)).astype(np.float32)
    y = (x.mean(axis=(1, 2, 3)) > 127).astype(np.int64)
    model = Sequential([Input((8, 8, 3)), RandomFlip("horizontal"), RandomRotation(0.05),
                        RandomZoom(0.1), RandomContrast(0.1), Rescaling(1 / 255),
                        Conv2D(4, 3, activation="relu"), Flatten(), Dense(2)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="RandomFlip: mode"):
        RandomFlip("diagonal")
    with pytest.raises(InvalidArgumentError, match="RandomRotation: fill_mode"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(InvalidArgumentError, match="RandomTranslation: height_factor"):
        RandomTranslation(1.5, 0.1)
    with pytest.raises(InvalidArgumentError, match="lower <= upper"):
        RandomZoom((0.3, 0.1))
    with pytest.raises(InvalidArgumentError, match="RandomContrast: factor"):
        RandomContrast(1.5)
    with pytest.raises(TypeError, match="seed"):
        RandomFlip(seed="x")
    with pytest.raises(InvalidArgumentError, match="rank 4"):
        RandomFlip()(np.zeros((2, 3)))
