"""Resizing, CenterCrop and Rescaling: values against PyTorch and Keras' rules, gradients."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import CenterCrop, Rescaling, Resizing
from dlpath.layers.arguments import InvalidArgumentError
from layers.harness import run_layer_test

RNG = np.random.default_rng(0)


def _torch_resize(images, size, mode):
    nchw = torch.tensor(images).permute(0, 3, 1, 2)
    extra = {} if mode == "nearest-exact" else {"align_corners": False, "antialias": False}
    out = torch.nn.functional.interpolate(nchw, size=size, mode=mode, **extra)
    return out.permute(0, 2, 3, 1).numpy()


@pytest.mark.parametrize("size", [(3, 5), (10, 7), (6, 6), (1, 2), (13, 4)])
def test_bilinear_equals_torch_half_pixel_interpolation(size):
    images = RNG.standard_normal((2, 6, 6, 3)).astype(np.float32)
    ours = Resizing(*size)(images).data
    np.testing.assert_allclose(ours, _torch_resize(images, size, "bilinear"), atol=1e-5)


@pytest.mark.parametrize("size", [(3, 5), (10, 7), (4, 9)])
def test_nearest_equals_torch_nearest_exact(size):
    images = RNG.standard_normal((2, 6, 6, 3)).astype(np.float32)
    ours = Resizing(*size, interpolation="nearest")(images).data
    np.testing.assert_array_equal(ours, _torch_resize(images, size, "nearest-exact"))


def test_bilinear_gradient_is_the_adjoint_of_the_linear_map():
    images = RNG.standard_normal((1, 4, 5, 2))
    gradcheck(lambda t: Resizing(3, 7, dtype="float64")(t), images)
    x = torch.tensor(images).permute(0, 3, 1, 2).requires_grad_()
    torch.nn.functional.interpolate(x, size=(3, 7), mode="bilinear").pow(2).sum().backward()
    t = Tensor(images, requires_grad=True, dtype="float64")
    (Resizing(3, 7, dtype="float64")(t) ** 2).sum().backward()
    np.testing.assert_allclose(t.grad, x.grad.permute(0, 2, 3, 1).numpy(), atol=1e-10)


def test_crop_to_aspect_ratio_resizes_the_centred_window():
    images = RNG.standard_normal((1, 6, 10, 1)).astype(np.float32)
    ours = Resizing(3, 3, crop_to_aspect_ratio=True)(images).data
    window = images[:, :, 2:8, :]  # crop width int(6 * 3 / 3) = 6, start int(4 / 2) = 2
    np.testing.assert_allclose(ours, _torch_resize(window, (3, 3), "bilinear"), atol=1e-6)


def test_pad_to_aspect_ratio_pads_centred_with_fill_value():
    images = np.ones((1, 2, 4, 1), dtype=np.float32)
    out = Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=-1.0,
                   interpolation="nearest")(images).data[0, :, :, 0]
    np.testing.assert_array_equal(out, [[-1] * 4, [1] * 4, [1] * 4, [-1] * 4])


def test_single_images_and_harness():
    assert Resizing(3, 4)(np.zeros((6, 6, 2))).shape == (3, 4, 2)
    run_layer_test(Resizing, {"height": 3, "width": 2}, (2, 5, 4, 3), (2, 3, 2, 3), 0)
    run_layer_test(CenterCrop, {"height": 3, "width": 2}, (2, 5, 4, 3), (2, 3, 2, 3), 0)


def test_center_crop_takes_the_middle_and_resizes_small_images():
    images = np.arange(2 * 5 * 6 * 1, dtype=np.float32).reshape(2, 5, 6, 1)
    np.testing.assert_array_equal(CenterCrop(3, 3)(images).data, images[:, 1:4, 1:4])
    small = RNG.standard_normal((1, 2, 4, 1)).astype(np.float32)
    expected = _torch_resize(small[:, :, 1:3], (5, 5), "bilinear")
    np.testing.assert_allclose(CenterCrop(5, 5)(small).data, expected, atol=1e-6)
    gradcheck(lambda t: CenterCrop(2, 3, dtype="float64")(t), images[:1].astype(np.float64))


def test_rescaling_formula_per_channel_and_gradient():
    images = RNG.integers(0, 256, (2, 3, 3, 3)).astype(np.uint8)
    out = Rescaling(1 / 127.5, offset=-1)(images).data
    np.testing.assert_allclose(out, images / 127.5 - 1, rtol=1e-6, atol=1e-6)
    assert out.dtype == np.float32
    out = Rescaling([1.0, 2.0, 3.0], offset=[0.0, 1.0, 2.0])(images).data
    np.testing.assert_allclose(out, images * [1, 2, 3] + [0, 1, 2], rtol=1e-6)
    gradcheck(lambda t: Rescaling(0.5, 2.0, dtype="float64")(t), RNG.standard_normal((2, 3)))
    run_layer_test(Rescaling, {"scale": 0.5, "offset": 1.0}, (2, 3), (2, 3), 0)


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="Resizing: interpolation"):
        Resizing(2, 2, interpolation="bicubic")
    with pytest.raises(TypeError, match="Resizing: height"):
        Resizing(2.5, 2)
    with pytest.raises(InvalidArgumentError, match="antialias"):
        Resizing(2, 2, antialias=True)
    with pytest.raises(InvalidArgumentError, match="rank 4"):
        Resizing(2, 2)(np.zeros((2, 3)))
    with pytest.raises(InvalidArgumentError, match="scale of shape"):
        Rescaling([1.0, 2.0])(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="Rescaling: scale"):
        Rescaling("x")
