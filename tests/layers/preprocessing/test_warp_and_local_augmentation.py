"""RandomShear and RandomPerspective against scipy.ndimage and exact homographies;
RandomErasing's rectangles and RandomGaussianBlur against scipy's correlation."""

import numpy as np
import pytest
from scipy import ndimage

import dlpath.random
from dlpath.engine import gradcheck
from dlpath.layers import RandomErasing, RandomGaussianBlur, RandomPerspective, RandomShear
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.preprocessing import image_warps
from dlpath.layers.preprocessing.local_augmentation import gaussian_kernel
from layers.harness import run_layer_test

RNG = np.random.default_rng(2)
IMAGES = RNG.uniform(1, 255, (3, 8, 8, 2)).astype(np.float32)
LAYERS = [lambda **k: RandomShear(0.3, 0.2, **k), lambda **k: RandomPerspective(scale=0.5, **k),
          lambda **k: RandomErasing(**k), lambda **k: RandomGaussianBlur(**k)]


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference_seeded_while_training_and_config(make):
    layer = make()
    np.testing.assert_array_equal(layer(IMAGES).data, IMAGES)
    dlpath.random.set_seed(1)
    first = layer(IMAGES, training=True).data
    dlpath.random.set_seed(1)
    np.testing.assert_array_equal(layer(IMAGES, training=True).data, first)
    assert first.dtype == np.float32 and not np.allclose(first, IMAGES)
    assert layer(IMAGES[0], training=True).shape == IMAGES[0].shape
    run_layer_test(type(layer), make(seed=3).get_config(), (2, 5, 5, 1), (2, 5, 5, 1), 0,
                   training=True)


def test_shear_samples_the_input_at_x_plus_s_y():
    layer = RandomShear(x_factor=(0.5, 0.5), fill_mode="reflect", seed=6)
    out = layer(IMAGES, training=True).data
    sign = np.where(np.random.default_rng(6).uniform(size=3) > 0.5, -1.0, 1.0)
    rows, columns = np.meshgrid(np.arange(8.0), np.arange(8.0), indexing="ij")
    for b in range(3):
        for c in range(2):
            expected = ndimage.map_coordinates(IMAGES[b, ..., c].astype(np.float64),
                                               [rows, columns + 0.5 * sign[b] * rows],
                                               order=1, mode="reflect")
            np.testing.assert_allclose(out[b, ..., c], expected, rtol=1e-5)
    assert RandomShear(0.3).x_factor == (-0.3, 0.3)
    gradcheck(lambda t: RandomShear(0.4, 0.4, seed=0, dtype="float64")(t, training=True),
              IMAGES[:1, :4, :4, :1].astype(np.float64) / 255)


def test_homography_maps_the_moved_corners_back_onto_the_corners():
    starts = np.array([[[0.0, 0.0], [7.0, 0.0], [0.0, 7.0], [7.0, 7.0]]])
    ends = starts + RNG.uniform(-1.5, 1.5, starts.shape)
    a = image_warps.homography(starts, ends)[0]
    x, y = ends[0, :, 0], ends[0, :, 1]
    k = a[6] * x + a[7] * y + 1
    np.testing.assert_allclose((a[0] * x + a[1] * y + a[2]) / k, starts[0, :, 0], atol=1e-9)
    np.testing.assert_allclose((a[3] * x + a[4] * y + a[5]) / k, starts[0, :, 1], atol=1e-9)
    halved = image_warps.homography(starts, starts * 0.5)[0]
    np.testing.assert_allclose(halved, [2, 0, 0, 0, 2, 0, 0, 0], atol=1e-12)


def test_perspective_without_shift_or_chance_is_the_identity():
    np.testing.assert_allclose(RandomPerspective(scale=0.0)(IMAGES, training=True).data,
                               IMAGES, rtol=1e-6)
    np.testing.assert_array_equal(RandomPerspective(factor=0.0)(IMAGES, training=True).data,
                                  IMAGES)
    out = RandomPerspective(scale=1.0, fill_value=-1.0, seed=0)(IMAGES, training=True).data
    assert out[:, 0, 0].tolist() == IMAGES[:, 0, 0].tolist()  # Keras keeps the top-left corner
    assert (out == -1.0).any()


def test_erasing_fills_one_rectangle_of_the_drawn_size():
    layer = RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=0.0)
    out = layer(IMAGES, training=True).data
    for image in out:
        erased = np.argwhere(image[..., 0] == 0.0)
        assert len(erased) == 16  # sqrt(0.25) of 8 = 4 rows by 4 columns
        assert np.ptp(erased[:, 0]) == 3 and np.ptp(erased[:, 1]) == 3
        np.testing.assert_array_equal(image[..., 1] == 0.0, image[..., 0] == 0.0)
    noise = RandomErasing((1.0, 1.0), fill_value=None, value_range=(0, 1))(
        IMAGES / 255, training=True).data
    assert 0 <= noise.min() and noise.max() <= 1
    per_channel = RandomErasing((1.0, 1.0), fill_value=(3.0, 4.0, 5.0))(
        RNG.uniform(100, 200, (2, 6, 6, 3)), training=True).data
    assert {3.0, 4.0, 5.0} <= set(np.unique(per_channel))
    np.testing.assert_array_equal(RandomErasing(0.0)(IMAGES, training=True).data, IMAGES)


def test_gaussian_blur_equals_scipy_correlation_with_zero_padding():
    layer = RandomGaussianBlur(factor=(1.0, 1.0), kernel_size=(3, 5), sigma=(0.8, 0.8))
    out = layer(IMAGES, training=True).data
    sigma = 0.8 + 1e-6
    kernel = np.outer(gaussian_kernel(5, sigma), gaussian_kernel(3, sigma))  # (rows, columns)
    np.testing.assert_allclose(kernel.sum(), 1.0)
    for b in range(3):
        for c in range(2):
            expected = ndimage.correlate(IMAGES[b, ..., c].astype(np.float64), kernel,
                                         mode="constant")
            np.testing.assert_allclose(out[b, ..., c], np.clip(expected, 0, 255), rtol=1e-5)
    t = np.arange(3) - 1.0
    np.testing.assert_allclose(gaussian_kernel(3, 0.8),
                               np.exp(-t ** 2 / 1.28) / np.exp(-t ** 2 / 1.28).sum())


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="RandomShear: x_factor"):
        RandomShear(1.5)
    with pytest.raises(InvalidArgumentError, match="RandomShear: fill_mode"):
        RandomShear(0.1, fill_mode="mirror")
    with pytest.raises(InvalidArgumentError, match="RandomPerspective: scale"):
        RandomPerspective(scale=2.0)
    with pytest.raises(InvalidArgumentError, match="RandomErasing: fill_value"):
        RandomErasing(fill_value=(1.0, 2.0))
    with pytest.raises(InvalidArgumentError, match="RandomErasing: scale"):
        RandomErasing(scale=(0.2, 1.5))
    with pytest.raises(InvalidArgumentError, match="RandomGaussianBlur: kernel_size"):
        RandomGaussianBlur(kernel_size=4)
    with pytest.raises(InvalidArgumentError, match="RandomGaussianBlur: sigma"):
        RandomGaussianBlur(sigma=-1.0)
