"""tf.image: values against torch, Pillow, colorsys and TensorFlow's documented formulas;
gradients by finite differences."""

import colorsys
import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlpath as tf
from dlpath.engine import Tensor, gradcheck
from dlpath.tf_api import image_resize

RNG = np.random.default_rng(0)


def _nchw(x):
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def _nhwc(t):
    return t.numpy().transpose(0, 2, 3, 1)


@pytest.mark.parametrize("size", [(3, 5), (9, 11)])
@pytest.mark.parametrize("method,mode", [("bilinear", "bilinear"), ("nearest", "nearest-exact")])
def test_resize_matches_torch(size, method, mode):
    x = RNG.random((2, 6, 7, 3)).astype(np.float32)
    ours = tf.image.resize(x, size, method=method).numpy()
    theirs = _nhwc(F.interpolate(_nchw(x), size=size, mode=mode,
                                 **({} if mode.startswith("nearest") else
                                    {"align_corners": False})))
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


@pytest.mark.parametrize("method,size", [("bilinear", (3, 4)), ("bicubic", (3, 4)),
                                         ("bicubic", (13, 17))])
def test_antialias_and_bicubic_match_torch_antialias(method, size):
    # torch's antialiased kernels (Pillow's) are TF's scale-and-translate kernels; Keys'
    # cubic with a = -1/2 and renormalised border taps is TF's upscaling bicubic as well.
    x = RNG.random((1, 8, 9, 2)).astype(np.float32)
    ours = tf.image.resize(x, size, method=method, antialias=size[0] < 8).numpy()
    theirs = _nhwc(F.interpolate(_nchw(x), size=size, mode=method, align_corners=False,
                                 antialias=True))
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_area_averages_the_covered_pixels():
    x = RNG.random((1, 6, 8, 1)).astype(np.float32)
    ours = tf.image.resize(x, (3, 4), method="area").numpy()
    np.testing.assert_allclose(ours, _nhwc(F.adaptive_avg_pool2d(_nchw(x), (3, 4))),
                               atol=1e-6)
    row = np.array([[[[1.0], [2.0], [4.0]]]], dtype=np.float32)  # 3 -> 2: boxes of 1.5
    np.testing.assert_allclose(tf.image.resize(row, (1, 2), "area").numpy().ravel(),
                               [(1 + 0.5 * 2) / 1.5, (0.5 * 2 + 4) / 1.5], rtol=1e-6)


def test_lanczos3_matches_pillow():
    from PIL import Image

    x = RNG.random((10, 12)).astype(np.float32)
    ours = tf.image.resize(x[None, :, :, None], (4, 5), "lanczos3", antialias=True).numpy()
    theirs = np.asarray(Image.fromarray(x, mode="F").resize((5, 4), Image.LANCZOS))
    np.testing.assert_allclose(ours[0, :, :, 0], theirs, atol=1e-5)


def test_resize_dtypes_rank_and_aspect_ratio():
    image = RNG.integers(0, 255, (10, 20, 3)).astype(np.uint8)
    out = tf.image.resize(image, [8, 8])
    assert out.shape == (8, 8, 3) and out.dtype == np.float32
    assert tf.image.resize(image, [8, 8], "nearest").dtype == np.uint8
    kept = tf.image.resize(image, [8, 8], preserve_aspect_ratio=True)
    assert kept.shape == (4, 8, 3)
    assert tf.image.resize(image, [4, 4], tf.image.ResizeMethod.AREA).shape == (4, 4, 3)
    with pytest.raises(ValueError, match="resize: image must be of rank 3 or 4"):
        tf.image.resize(np.zeros((4, 4)), [2, 2])
    with pytest.raises(ValueError, match="method must be one of"):
        tf.image.resize(image, [2, 2], method="cubic")
    with pytest.raises(ValueError, match="size must be 2 integers"):
        tf.image.resize(image, [2, 2, 2])


@pytest.mark.parametrize("method,antialias", [("bilinear", False), ("bicubic", False),
                                              ("area", False), ("bilinear", True)])
def test_resize_gradcheck(method, antialias):
    x = Tensor(RNG.random((1, 5, 4, 2)), dtype="float64", requires_grad=True)
    gradcheck(lambda t: image_resize.resize_float(t, 3, 6, method, antialias), x)


def test_resize_with_pad_and_crop_or_pad():
    image = np.ones((4, 8, 1), dtype=np.float32)
    padded = tf.image.resize_with_pad(image, 8, 8).numpy()[:, :, 0]
    assert padded.shape == (8, 8)
    np.testing.assert_allclose(padded[2:6], 1.0, atol=1e-6)
    assert padded[:2].max() == 0 and padded[6:].max() == 0
    x = np.arange(5 * 4, dtype=np.float32).reshape(5, 4, 1)
    out = tf.image.resize_with_crop_or_pad(x, 3, 6).numpy()[:, :, 0]
    expected = np.zeros((3, 6), np.float32)
    expected[:, 1:5] = x[1:4, :, 0]
    np.testing.assert_array_equal(out, expected)


def test_crops_pads_flips_rotations():
    x = np.arange(2 * 4 * 6 * 1, dtype=np.float32).reshape(2, 4, 6, 1)
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(x, 1, 2, 2, 3).numpy(),
                                  x[:, 1:3, 2:5])
    padded = tf.image.pad_to_bounding_box(x, 1, 2, 6, 9).numpy()
    np.testing.assert_array_equal(padded[:, 1:5, 2:8], x)
    assert padded.sum() == x.sum()
    np.testing.assert_array_equal(tf.image.central_crop(x, 0.5).numpy(), x[:, 1:3, 1:5])
    np.testing.assert_array_equal(tf.image.flip_left_right(x).numpy(), x[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(x[0]).numpy(), x[0, ::-1])
    for k in range(4):
        np.testing.assert_array_equal(tf.image.rot90(x, k).numpy(), np.rot90(x, k, (1, 2)))
    np.testing.assert_array_equal(tf.image.transpose(x).numpy(), x.transpose(0, 2, 1, 3))
    with pytest.raises(ValueError, match="crop_to_bounding_box: width must be >= target"):
        tf.image.crop_to_bounding_box(x, 0, 4, 2, 3)
    with pytest.raises(ValueError, match="central_fraction must be within"):
        tf.image.central_crop(x, 1.5)


def test_random_flips_and_crop_are_seeded():
    x = RNG.random((16, 3, 3, 1)).astype(np.float32)
    flipped = tf.image.random_flip_left_right(x, seed=3).numpy()
    same = [np.array_equal(f, i) for f, i in zip(flipped, x)]
    mirrored = [np.array_equal(f, i[:, ::-1]) for f, i in zip(flipped, x)]
    assert all(s or m for s, m in zip(same, mirrored)) and any(same) and any(mirrored)
    np.testing.assert_array_equal(flipped, tf.image.random_flip_left_right(x, seed=3).numpy())
    crop = tf.image.random_crop(x, [16, 2, 2, 1], seed=1).numpy()
    assert crop.shape == (16, 2, 2, 1)
    assert any(np.array_equal(crop, x[:, i:i + 2, j:j + 2]) for i in (0, 1) for j in (0, 1))
    with pytest.raises(ValueError, match="random_crop: need value.shape >= size"):
        tf.image.random_crop(x, [16, 4, 2, 1])


def test_extract_patches_matches_torch_unfold_and_gradcheck():
    x = RNG.random((2, 7, 8, 3)).astype(np.float32)
    out = tf.image.extract_patches(x, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 2, 1], "VALID")
    unfolded = F.unfold(_nchw(x), (3, 2), dilation=(1, 2), stride=(2, 3))  # (B, C*3*2, L)
    rows, cols = out.shape[1], out.shape[2]
    theirs = unfolded.numpy().reshape(2, 3, 3, 2, rows, cols).transpose(0, 4, 5, 2, 3, 1)
    np.testing.assert_allclose(out.numpy(), theirs.reshape(2, rows, cols, 18), atol=1e-7)
    same = tf.image.extract_patches(x, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    assert same.shape == (2, 4, 4, 27)
    first = same.numpy()[0, 0, 0].reshape(3, 3, 3)  # padding: 1 row above, 0 columns left
    np.testing.assert_allclose(first[1:], x[0, :2, :3])
    assert (first[0] == 0).all()
    t = Tensor(RNG.random((1, 4, 4, 1)), dtype="float64", requires_grad=True)
    gradcheck(lambda v: tf.image.extract_patches(v, [1, 2, 2, 1], [1, 1, 1, 1],
                                                 [1, 1, 1, 1], "SAME"), t)


def test_convert_image_dtype_scales_as_tensorflow():
    u8 = np.array([0, 127, 255], dtype=np.uint8)
    np.testing.assert_allclose(tf.image.convert_image_dtype(u8, tf.float32).numpy(),
                               [0, 127 / 255, 1], rtol=1e-6)
    floats = np.array([0.0, 0.5, 1.0, 1.5], dtype=np.float32)
    np.testing.assert_array_equal(tf.image.convert_image_dtype(floats, tf.uint8, True).numpy(),
                                  [0, 127, 255, 255])
    wide = tf.image.convert_image_dtype(u8, tf.int32).numpy()
    np.testing.assert_array_equal(wide, u8.astype(np.int64) * 2 ** 23)
    np.testing.assert_array_equal(tf.image.convert_image_dtype(wide, tf.uint8).numpy(), u8)


def test_grayscale_and_hsv():
    rgb = RNG.random((4, 5, 3))
    gray = tf.image.rgb_to_grayscale(rgb).numpy()
    np.testing.assert_allclose(gray[..., 0], rgb @ [0.2989, 0.5870, 0.1140], rtol=1e-12)
    assert tf.image.grayscale_to_rgb(gray).shape == (4, 5, 3)
    hsv = tf.image.rgb_to_hsv(rgb).numpy()
    expected = np.array([colorsys.rgb_to_hsv(*p) for p in rgb.reshape(-1, 3)])
    np.testing.assert_allclose(hsv.reshape(-1, 3), expected, atol=1e-12)
    np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv).numpy(), rgb, atol=1e-12)
    u8 = np.array([[[255, 0, 0]]], dtype=np.uint8)
    assert tf.image.rgb_to_grayscale(u8).numpy().item() == 76  # 0.2989 * 255.5 truncated


def test_adjustments_follow_the_formulas():
    x = RNG.random((2, 3, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(tf.image.adjust_brightness(x, 0.1).numpy(), x + 0.1, rtol=1e-6)
    u8 = np.array([[[250, 10, 0]]], dtype=np.uint8)
    np.testing.assert_array_equal(tf.image.adjust_brightness(u8, 0.1).numpy(),
                                  [[[255, 35, 25]]])
    mean = x.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(tf.image.adjust_contrast(x, 2.0).numpy(), (x - mean) * 2 + mean,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tf.image.adjust_gamma(x, 2.0, 0.5).numpy(), 0.5 * x ** 2,
                               rtol=1e-6)
    gray = tf.image.adjust_saturation(x, 0.0).numpy()
    np.testing.assert_allclose(gray, np.repeat(x.max(-1, keepdims=True), 3, -1), rtol=1e-6)
    red = np.array([[[1.0, 0.0, 0.0]]], dtype=np.float32)
    np.testing.assert_allclose(tf.image.adjust_hue(red, 1 / 3).numpy(), [[[0, 1, 0]]],
                               atol=1e-6)
    np.testing.assert_allclose(tf.image.adjust_hue(x, 0.0).numpy(), x, atol=1e-6)
    with pytest.raises(ValueError, match="adjust_hue: delta must be in the interval"):
        tf.image.adjust_hue(x, 2.0)
    with pytest.raises(ValueError, match="non-negative"):
        tf.image.adjust_gamma(x, -1.0)


@pytest.mark.parametrize("fn", [
    lambda t: tf.image.adjust_saturation(t, 1.7), lambda t: tf.image.adjust_hue(t, 0.2),
    lambda t: tf.image.adjust_contrast(t, 1.5), lambda t: tf.image.adjust_gamma(t, 1.3),
    lambda t: tf.image.rgb_to_hsv(t), tf.image.per_image_standardization,
    tf.image.rgb_to_grayscale])
def test_colour_gradcheck(fn):
    x = Tensor(0.1 + 0.8 * RNG.random((1, 3, 3, 3)), dtype="float64", requires_grad=True)
    gradcheck(fn, x)


def test_random_adjustments_are_seeded_and_checked():
    x = RNG.random((3, 3, 3)).astype(np.float32)
    a = tf.image.random_brightness(x, 0.2, seed=5).numpy()
    np.testing.assert_array_equal(a, tf.image.random_brightness(x, 0.2, seed=5).numpy())
    assert np.ptp(a - x) < 1e-6 and abs((a - x).mean()) <= 0.2
    for fn in (tf.image.random_contrast, tf.image.random_saturation):
        assert fn(x, 0.5, 1.5, seed=1).shape == x.shape
        with pytest.raises(ValueError, match="upper must be > lower"):
            fn(x, 1.0, 0.5)
    assert tf.image.random_hue(x, 0.3, seed=2).shape == x.shape
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        tf.image.random_hue(x, 0.6)
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.random_brightness(x, -1)


def test_per_image_standardization_documented_example():
    image = np.arange(1, 13, dtype=np.int32).reshape(2, 2, 3)
    out = tf.image.per_image_standardization(image)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy()[0, 0], [-1.593255, -1.3035723, -1.0138896],
                               rtol=1e-5)
    flat = tf.image.per_image_standardization(np.full((2, 2, 1), 3.0, np.float32)).numpy()
    np.testing.assert_array_equal(flat, 0.0)


def _ssim_reference(a, b, max_val):
    coords = np.arange(11) - 5.0
    g = np.exp(-coords ** 2 / (2 * 1.5 ** 2))
    window = np.outer(g, g) / np.outer(g, g).sum()
    c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
    values = []
    for i in range(a.shape[0] - 10):
        for j in range(a.shape[1] - 10):
            for c in range(a.shape[2]):
                pa, pb = a[i:i + 11, j:j + 11, c], b[i:i + 11, j:j + 11, c]
                ma, mb = (window * pa).sum(), (window * pb).sum()
                va = (window * pa * pa).sum() - ma ** 2
                vb = (window * pb * pb).sum() - mb ** 2
                cov = (window * pa * pb).sum() - ma * mb
                values.append((2 * ma * mb + c1) * (2 * cov + c2)
                              / ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2)))
    return np.mean(values)


def test_ssim_and_psnr():
    a = RNG.random((2, 13, 14, 2))
    b = np.clip(a + 0.1 * RNG.standard_normal(a.shape), 0, 1)
    ours = tf.image.ssim(a, b, 1.0).numpy()
    assert ours.shape == (2,)
    np.testing.assert_allclose(ours, [_ssim_reference(a[i], b[i], 1.0) for i in range(2)],
                               rtol=1e-10)
    np.testing.assert_allclose(tf.image.ssim(a, a, 1.0).numpy(), 1.0)
    u8a, u8b = (np.round(v * 255).astype(np.uint8) for v in (a, b))
    np.testing.assert_allclose(tf.image.ssim(u8a, u8b, 255).numpy(), ours, atol=0.01)
    mse = ((a - b) ** 2).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(tf.image.psnr(a, b, 1.0).numpy(), -10 * np.log10(mse),
                               rtol=1e-10)
    with pytest.raises(ValueError, match="smaller than filter_size"):
        tf.image.ssim(a[:, :5], b[:, :5], 1.0)
    small_a = Tensor(RNG.random((1, 4, 4, 1)), dtype="float64", requires_grad=True)
    small_b = Tensor(RNG.random((1, 4, 4, 1)), dtype="float64")
    gradcheck(lambda t: tf.image.ssim(t, small_b, 1.0, filter_size=3), small_a)


def test_image_gradients_sobel_and_total_variation():
    image = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)
    dy, dx = tf.image.image_gradients(image)
    assert (dy.numpy()[0, :4] == 5).all() and (dy.numpy()[0, 4] == 0).all()
    assert (dx.numpy()[0, :, :4] == 1).all() and (dx.numpy()[0, :, 4] == 0).all()
    x = RNG.random((2, 5, 6, 3)).astype(np.float32)
    edges = tf.image.sobel_edges(x).numpy()
    kernel_dy = torch.tensor([[-1., -2., -1.], [0., 0., 0.], [1., 2., 1.]])
    padded = F.pad(_nchw(x), (1, 1, 1, 1), mode="reflect")
    for index, kernel in enumerate((kernel_dy, kernel_dy.T)):
        weight = kernel.repeat(3, 1, 1, 1)
        theirs = _nhwc(F.conv2d(padded, weight, groups=3))
        np.testing.assert_allclose(edges[..., index], theirs, atol=1e-5)
    tv = np.abs(np.diff(x, axis=1)).sum(axis=(1, 2, 3)) + np.abs(np.diff(x, axis=2)).sum(
        axis=(1, 2, 3))
    np.testing.assert_allclose(tf.image.total_variation(x).numpy(), tv, rtol=1e-5)
    assert tf.image.total_variation(x[0]).shape == ()
    with pytest.raises(ValueError, match="must be either 3 or 4-dimensional"):
        tf.image.total_variation(x[0, 0])


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_png_round_trip(channels):
    image = RNG.integers(0, 256, (5, 7, channels)).astype(np.uint8)
    data = tf.image.encode_png(image)
    assert isinstance(data, bytes) and data[:4] == b"\x89PNG"
    np.testing.assert_array_equal(tf.image.decode_png(data).numpy(), image)
    np.testing.assert_array_equal(tf.image.decode_image(data).numpy(), image)
    assert tf.image.decode_png(data, channels=3).shape == (5, 7, 3)


def test_png_uint16_jpeg_gif_and_errors():
    from PIL import Image

    deep = RNG.integers(0, 65536, (4, 3, 1)).astype(np.uint16)
    decoded = tf.image.decode_png(tf.image.encode_png(deep), dtype=tf.uint16)
    np.testing.assert_array_equal(decoded.numpy(), deep)
    smooth = np.tile(np.linspace(0, 255, 16).astype(np.uint8)[None, :, None], (16, 1, 3))
    jpeg = tf.image.encode_jpeg(smooth, quality=95)
    assert tf.image.is_jpeg(jpeg)
    back = tf.image.decode_jpeg(jpeg).numpy()
    assert back.shape == (16, 16, 3) and np.abs(back.astype(int) - smooth).max() <= 8
    as_float = tf.image.decode_image(jpeg, dtype=tf.float32)
    assert as_float.dtype == np.float32 and as_float.numpy().max() <= 1.0
    frames = [Image.fromarray(np.full((4, 4, 3), v, np.uint8)) for v in (0, 128)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert tf.image.decode_image(buffer.getvalue()).shape == (2, 4, 4, 3)
    assert tf.image.decode_image(buffer.getvalue(), expand_animations=False).shape == (4, 4, 3)
    with pytest.raises(ValueError, match="decode_png: contents are not PNG"):
        tf.image.decode_png(b"not an image")
    with pytest.raises(TypeError, match="pass the bytes, not a path"):
        tf.image.decode_image("cat.png")
    with pytest.raises(ValueError, match="encode_png: image must be"):
        tf.image.encode_png(np.zeros((4, 4), np.uint8))


def test_yuv_yiq_round_trips_and_gradcheck():
    rgb = RNG.random((2, 3, 3))
    yuv = tf.image.rgb_to_yuv(rgb).numpy()
    np.testing.assert_allclose(yuv[..., 0], rgb @ [0.299, 0.587, 0.114], rtol=1e-12)
    np.testing.assert_allclose(tf.image.yuv_to_rgb(yuv).numpy(), rgb, atol=1e-12)
    np.testing.assert_allclose(tf.image.yiq_to_rgb(tf.image.rgb_to_yiq(rgb)).numpy(), rgb,
                               atol=1e-12)
    white = np.ones((1, 1, 3))
    np.testing.assert_allclose(tf.image.rgb_to_yuv(white).numpy()[0, 0], [1, 0, 0], atol=1e-7)
    gradcheck(tf.image.rgb_to_yuv, Tensor(rgb, dtype="float64", requires_grad=True))


def test_stateless_random_image_ops_follow_their_seed():
    x = RNG.random((8, 4, 4, 3)).astype(np.float32)
    for fn in (lambda s: tf.image.stateless_random_brightness(x, 0.3, s),
               lambda s: tf.image.stateless_random_contrast(x, 0.5, 1.5, s),
               lambda s: tf.image.stateless_random_saturation(x, 0.5, 1.5, s),
               lambda s: tf.image.stateless_random_hue(x, 0.2, s),
               lambda s: tf.image.stateless_random_flip_left_right(x, s),
               lambda s: tf.image.stateless_random_flip_up_down(x, s),
               lambda s: tf.image.stateless_random_crop(x, [8, 2, 2, 3], s)):
        np.testing.assert_array_equal(fn([1, 2]).numpy(), fn([1, 2]).numpy())
        assert any(not np.array_equal(fn([1, 2]).numpy(), fn([3, s]).numpy())
                   for s in range(4))


def test_jpeg_quality_and_non_max_suppression():
    smooth = np.tile(np.linspace(0, 1, 16, dtype=np.float32)[None, :, None], (16, 1, 3))
    out = tf.image.adjust_jpeg_quality(smooth, 90)
    assert out.dtype == np.float32 and np.abs(out.numpy() - smooth).max() < 0.05
    assert tf.image.random_jpeg_quality(smooth, 50, 90, seed=1).shape == smooth.shape
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11],
                      [0, 10.1, 1, 11.1], [0, 100, 1, 101]], dtype=np.float32)
    scores = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], dtype=np.float32)
    kept = tf.image.non_max_suppression(boxes, scores, 3, iou_threshold=0.5)
    assert kept.dtype == np.int32 and kept.numpy().tolist() == [3, 0, 5]
    assert tf.image.non_max_suppression(boxes, scores, 10, score_threshold=0.55).numpy(
    ).tolist() == [3, 0]


def test_crop_and_resize():
    x = RNG.random((2, 5, 6, 3)).astype(np.float32)
    whole = tf.image.crop_and_resize(x, [[0, 0, 1, 1]], [1], (4, 9)).numpy()
    theirs = _nhwc(F.interpolate(_nchw(x[1:]), size=(4, 9), mode="bilinear",
                                 align_corners=True))
    np.testing.assert_allclose(whole, theirs, atol=1e-6)
    same = tf.image.crop_and_resize(x, [[0, 0, 1, 1], [0.25, 0.2, 0.75, 0.6]], [0, 0], (5, 6))
    np.testing.assert_allclose(same.numpy()[0], x[0], atol=1e-6)
    np.testing.assert_allclose(same.numpy()[1, 0, 0], x[0, 1, 1], atol=1e-6)  # y=1, x=1
    outside = tf.image.crop_and_resize(x, [[-1, 0, 0, 1]], [0], (3, 2), method="nearest",
                                       extrapolation_value=-7.0).numpy()
    assert (outside[0, 0] == -7).all() and np.allclose(outside[0, 2, 0], x[0, 0, 0])
    with pytest.raises(ValueError, match="box_indices must be in"):
        tf.image.crop_and_resize(x, [[0, 0, 1, 1]], [2], (2, 2))
    t = Tensor(RNG.random((1, 4, 4, 1)), dtype="float64", requires_grad=True)
    gradcheck(lambda v: tf.image.crop_and_resize(v, [[0.1, 0.2, 0.8, 0.9]], [0], (3, 3)), t)


def test_draw_boxes_soft_nms_and_overlaps():
    canvas = np.zeros((1, 5, 5, 3), np.float32)
    drawn = tf.image.draw_bounding_boxes(canvas, [[[0.25, 0.25, 0.75, 1.0]]],
                                         [[1.0, 0.0, 0.0]]).numpy()[0, :, :, 0]
    expected = np.zeros((5, 5))
    expected[1, 1:] = expected[3, 1:] = expected[1:4, 1] = expected[1:4, 4] = 1
    np.testing.assert_array_equal(drawn, expected)
    boxes = np.array([[0, 0, 1, 1], [0, 0.5, 1, 1.5], [0, 5, 1, 6]], np.float32)
    scores = np.array([0.9, 0.8, 0.7], np.float32)
    hard, hard_scores = tf.image.non_max_suppression_with_scores(boxes, scores, 3, 0.2)
    assert hard.numpy().tolist() == [0, 2] and np.allclose(hard_scores.numpy(), [0.9, 0.7])
    soft, soft_scores = tf.image.non_max_suppression_with_scores(boxes, scores, 3, 1.0,
                                                                 soft_nms_sigma=0.5)
    decayed = 0.8 * np.exp(-(1 / 3) ** 2 / (2 * 0.5))  # IoU 1/3: 0.716 > 0.7
    assert soft.numpy().tolist() == [0, 1, 2]
    np.testing.assert_allclose(soft_scores.numpy(), [0.9, decayed, 0.7], rtol=1e-6)
    overlaps = np.array([[1, 0.9, 0], [0.9, 1, 0], [0, 0, 1]], np.float32)
    assert tf.image.non_max_suppression_overlaps(overlaps, scores, 3).numpy().tolist() == [0, 2]
    jpeg = tf.image.encode_jpeg(np.zeros((7, 9, 3), np.uint8))
    assert tf.image.extract_jpeg_shape(jpeg).numpy().tolist() == [7, 9, 3]
    smooth = np.full((8, 8, 3), 0.5, np.float32)
    np.testing.assert_array_equal(
        tf.image.stateless_random_jpeg_quality(smooth, 40, 90, [1, 2]).numpy(),
        tf.image.stateless_random_jpeg_quality(smooth, 40, 90, [1, 2]).numpy())


def _ms_ssim_reference(a, b, weights, size):
    """NumPy multi-scale SSIM of one (H, W, C) pair, following TensorFlow's definition."""
    coords = np.arange(size) - (size - 1) / 2
    g = np.exp(-coords ** 2 / (2 * 1.5 ** 2))
    window = np.outer(g, g) / np.outer(g, g).sum()
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    factors = []
    for scale, weight in enumerate(weights):
        if scale:
            a, b = (np.pad(v, ((0, v.shape[0] % 2), (0, v.shape[1] % 2), (0, 0)), "symmetric")
                    for v in (a, b))
            a, b = (v.reshape(v.shape[0] // 2, 2, v.shape[1] // 2, 2, -1).mean(axis=(1, 3))
                    for v in (a, b))
        ssim_maps, cs_maps = [], []
        for i in range(a.shape[0] - size + 1):
            for j in range(a.shape[1] - size + 1):
                pa, pb = a[i:i + size, j:j + size], b[i:i + size, j:j + size]
                ma, mb = (np.tensordot(window, p, 2) for p in (pa, pb))
                va = np.tensordot(window, pa * pa, 2) - ma ** 2
                vb = np.tensordot(window, pb * pb, 2) - mb ** 2
                cov = np.tensordot(window, pa * pb, 2) - ma * mb
                cs = (2 * cov + c2) / (va + vb + c2)
                cs_maps.append(cs)
                ssim_maps.append((2 * ma * mb + c1) / (ma ** 2 + mb ** 2 + c1) * cs)
        chosen = ssim_maps if scale == len(weights) - 1 else cs_maps
        factors.append(np.maximum(np.mean(chosen, axis=0), 0) ** weight)
    return np.prod(factors, axis=0).mean()


def test_ssim_multiscale_matches_the_definition():
    a = RNG.random((2, 13, 11, 2))
    b = np.clip(a + 0.2 * RNG.standard_normal(a.shape), 0, 1)
    weights = (0.3, 0.3, 0.4)
    ours = tf.image.ssim_multiscale(a, b, 1.0, power_factors=weights, filter_size=3).numpy()
    expected = [_ms_ssim_reference(a[i], b[i], weights, 3) for i in range(2)]
    np.testing.assert_allclose(ours, expected, rtol=1e-10)
    np.testing.assert_allclose(tf.image.ssim_multiscale(a, a, 1.0, weights, 3).numpy(), 1.0)
    with pytest.raises(ValueError, match="ssim_multiscale: images of height 2 and width 2"):
        tf.image.ssim_multiscale(a, b, 1.0, filter_size=3)  # 5 scales: 13, 7, 4, 2


def test_combined_non_max_suppression():
    boxes = np.array([[[[0, 0, 0.5, 0.5]], [[0, 0.05, 0.5, 0.55]], [[0.5, 0.5, 1.2, 1.0]]]],
                     np.float32)  # (1, 3, 1, 4): shared by both classes
    scores = np.array([[[0.9, 0.1], [0.8, 0.7], [0.2, 0.6]]], np.float32)
    out_boxes, out_scores, out_classes, valid = tf.image.combined_non_max_suppression(
        boxes, scores, max_output_size_per_class=2, max_total_size=5, iou_threshold=0.5,
        score_threshold=0.15)
    assert valid.numpy().tolist() == [4]
    np.testing.assert_allclose(out_scores.numpy()[0], [0.9, 0.7, 0.6, 0.2, 0.0])
    assert out_classes.numpy()[0].tolist() == [0, 1, 1, 0, 0]
    np.testing.assert_allclose(out_boxes.numpy()[0, 2], [0.5, 0.5, 1.0, 1.0])  # clipped
    assert out_boxes.shape == (1, 5, 4)
    padded = tf.image.combined_non_max_suppression(boxes, scores, 1, 5, pad_per_class=True)
    assert padded[0].shape == (1, 2, 4) and padded[3].numpy().tolist() == [2]


def test_tf_image_loads_pillow_only_to_decode_or_encode():
    import subprocess
    import sys

    code = ("import sys, numpy as np, dlpath as tf; tf.image.resize(np.ones((2, 2, 1)), [3, 3]);"
            " print('PIL' in sys.modules); tf.image.encode_png(np.ones((2, 2, 1), np.uint8));"
            " print('PIL' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["False", "True"], result.stderr[-2000:]
