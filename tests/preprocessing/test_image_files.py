"""load_img, img_to_array, array_to_img, save_img round trips and errors."""

import numpy as np
import pytest

from dlpath.keras.preprocessing import image
from dlpath.preprocessing.image import resize_array


def test_save_and_load_round_trip_keeps_pixels(tmp_path):
    pixels = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3) * 2
    path = tmp_path / "a.png"
    image.save_img(path, pixels, scale=False)
    loaded = image.img_to_array(image.load_img(path))
    assert loaded.dtype == np.float32 and loaded.shape == (4, 6, 3)
    np.testing.assert_array_equal(loaded, pixels)
    gray = image.img_to_array(image.load_img(path, color_mode="grayscale"))
    assert gray.shape == (4, 6, 1)
    first = image.img_to_array(image.load_img(path), data_format="channels_first")
    assert first.shape == (3, 4, 6)


def test_load_img_target_size_and_aspect_crop(tmp_path):
    path = tmp_path / "b.png"
    image.save_img(path, np.zeros((10, 20, 3)), scale=False)
    assert image.load_img(path, target_size=(5, 7)).size == (7, 5)
    assert image.load_img(path, target_size=(4, 4), keep_aspect_ratio=True).size == (4, 4)


def test_array_to_img_scales_range_to_0_255():
    img = image.array_to_img(np.array([[[0.0], [0.5]], [[1.0], [0.25]]]))
    np.testing.assert_array_equal(np.asarray(img), [[0, 128], [255, 64]])
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        image.array_to_img(np.zeros((2, 2, 2)))


def test_errors_name_the_function_and_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="load_img: no such image file"):
        image.load_img(tmp_path / "missing.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="not an image file"):
        image.load_img(bad)
    with pytest.raises(ValueError, match="color_mode"):
        image.load_img(bad, color_mode="cmyk")


def test_resize_array_is_half_pixel_bilinear():
    # s(o) = (o + 1/2) n / m - 1/2, neighbours clamped to the image
    column = np.array([0.0, 1.0, 2.0, 3.0], np.float32).reshape(4, 1, 1)
    np.testing.assert_allclose(resize_array(column, 2, 1)[:, 0, 0], [0.5, 2.5])
    pair = np.array([0.0, 1.0], np.float32).reshape(1, 2, 1)
    np.testing.assert_allclose(resize_array(pair, 1, 4)[0, :, 0], [0, 0.25, 0.75, 1])
    np.testing.assert_allclose(resize_array(pair, 1, 4, "nearest")[0, :, 0], [0, 0, 1, 1])
