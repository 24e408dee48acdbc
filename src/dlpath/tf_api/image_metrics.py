r"""``tf.image`` measures: `ssim`, `psnr`, `image_gradients`, `sobel_edges`,
`total_variation` (engine ops, so differentiable in float images).

SSIM (Wang et al. 2004) with TensorFlow's constants: with Gaussian-weighted local means
:math:`\mu`, variances :math:`\sigma^2` and covariance :math:`\sigma_{xy}` over VALID
``filter_size`` windows, :math:`c_1 = (k_1 L)^2`, :math:`c_2 = (k_2 L)^2`,

.. math::  \mathrm{SSIM} = \mathrm{mean}\Big[\frac{2 \mu_x \mu_y + c_1}
           {\mu_x^2 + \mu_y^2 + c_1} \cdot \frac{2 \sigma_{xy} + c_2}
           {\sigma_x^2 + \sigma_y^2 + c_2}\Big]

over the windows and channels of each image. PSNR is
:math:`20 \log_{10} L - 10 \log_{10} \mathrm{MSE}` per image. Integer images (and
``max_val``) are first scaled to [0, 1] as `convert_image_dtype` does.
"""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor
from dlpath.tf_api.image_checks import as_tensor, at_least_3d
from dlpath.tf_api.image_color import convert_image_dtype
from dlpath.tf_api.image_resize import apply_along


def _pair(img1, img2, max_val, owner: str) -> tuple:
    first, second = at_least_3d(img1, owner), at_least_3d(img2, owner)
    try:
        np.broadcast_shapes(first.shape, second.shape)
    except ValueError:
        raise ValueError(f"{owner}: img1 of shape {tuple(first.shape)} and img2 of shape "
                         f"{tuple(second.shape)} are not broadcast-compatible") from None
    if first.dtype.kind != "f":
        max_val = float(max_val) / float(np.iinfo(first.dtype).max)
    dtype = "float64" if first.dtype == np.float64 else "float32"
    first, second = (convert_image_dtype(t, dtype) for t in (first, second))
    return first, second, float(max_val)


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio of each image (shape: the batch axes)."""
    first, second, max_val = _pair(a, b, max_val, "psnr")
    mse = ops.mean(ops.square(first - second), axis=(-3, -2, -1))
    return 20.0 * np.log10(max_val) - ops.log(mse) * (10.0 / np.log(10.0))


def _gaussian_band(n: int, size: int, sigma: float) -> np.ndarray:
    """The (n - size + 1, n) matrix of VALID windows of a normalised 1-D Gaussian."""
    coords = np.arange(size) - (size - 1) / 2.0
    taps = np.exp(-0.5 * coords ** 2 / sigma ** 2)
    taps /= taps.sum()
    band = np.zeros((n - size + 1, n))
    for start in range(n - size + 1):
        band[start, start:start + size] = taps
    return band


def _ssim_maps(first, second, max_val: float, filter_size: int, filter_sigma: float,
               k1: float, k2: float, owner: str) -> tuple:
    """(SSIM map, contrast-structure map) over the VALID windows, per channel."""
    height, width = first.shape[-3], first.shape[-2]
    if height < filter_size or width < filter_size:
        raise ValueError(f"{owner}: images of height {height} and width {width} are smaller "
                         f"than filter_size={filter_size}")
    rows = _gaussian_band(height, int(filter_size), float(filter_sigma))
    columns = _gaussian_band(width, int(filter_size), float(filter_sigma))

    def local_mean(x):
        return apply_along(apply_along(x, rows, -3), columns, -2)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mean1, mean2 = local_mean(first), local_mean(second)
    num0 = mean1 * mean2 * 2.0
    den0 = ops.square(mean1) + ops.square(mean2)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = local_mean(first * second) * 2.0
    den1 = local_mean(ops.square(first) + ops.square(second))
    structure = (num1 - num0 + c2) / (den1 - den0 + c2)
    return luminance * structure, structure


def ssim(img1, img2, max_val, filter_size: int = 11, filter_sigma: float = 1.5,
         k1: float = 0.01, k2: float = 0.03, return_index_map: bool = False):
    """Structural similarity of each image pair (shape: the broadcast batch axes); with
    ``return_index_map`` the per-window map (mean over channels) instead."""
    first, second, max_val = _pair(img1, img2, max_val, "ssim")
    index_map, _ = _ssim_maps(first, second, max_val, filter_size, filter_sigma, k1, k2,
                              "ssim")
    index_map = ops.mean(index_map, axis=-1)
    if return_index_map:
        return index_map
    return ops.mean(index_map, axis=(-2, -1))


_MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _halve(images):
    """2x2 average pooling of (..., H, W, C), after padding odd sides symmetrically."""
    height, width = images.shape[-3], images.shape[-2]
    pads = [(0, 0)] * (images.ndim - 3) + [(0, height % 2), (0, width % 2), (0, 0)]
    if height % 2 or width % 2:
        images = ops.pad(images, pads, mode="symmetric")
    height, width = images.shape[-3], images.shape[-2]
    lead = tuple(images.shape[:-3])
    blocks = images.reshape(lead + (height // 2, 2, width // 2, 2, images.shape[-1]))
    axis = len(lead)
    return ops.mean(blocks, axis=(axis + 1, axis + 3))


def ssim_multiscale(img1, img2, max_val, power_factors=_MS_SSIM_WEIGHTS,
                    filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01,
                    k2: float = 0.03):
    r"""Multi-scale SSIM (Wang et al. 2003): :math:`\prod_{j<M} cs_j^{w_j} \cdot
    ssim_M^{w_M}` over M = len(power_factors) scales (each a 2x2 average pooling of the
    last), the channel means of relu'd values, averaged over channels."""
    first, second, max_val = _pair(img1, img2, max_val, "ssim_multiscale")
    if first.shape != second.shape:  # the 2x2 pooling needs the batch axes spelled out
        shape = np.broadcast_shapes(first.shape, second.shape)
        first, second = ops.broadcast_to(first, shape), ops.broadcast_to(second, shape)
    weights = [float(w) for w in power_factors]
    factors = []
    for scale, weight in enumerate(weights):
        if scale:
            first, second = _halve(first), _halve(second)
        index_map, structure = _ssim_maps(first, second, max_val, filter_size, filter_sigma,
                                          k1, k2, "ssim_multiscale")
        chosen = index_map if scale == len(weights) - 1 else structure
        value = ops.relu(ops.mean(chosen, axis=(-3, -2)))
        factors.append(ops.pow(value, weight))
    product = factors[0]
    for factor in factors[1:]:
        product = product * factor
    return ops.mean(product, axis=-1)


def image_gradients(image):
    """(dy, dx) of (B, H, W, C) images: forward differences, 0 in the last row (dy) and
    the last column (dx)."""
    tensor = as_tensor(image, "image_gradients")
    if tensor.ndim != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"shape {tuple(tensor.shape)}")
    dy = tensor[:, 1:, :, :] - tensor[:, :-1, :, :]
    dx = tensor[:, :, 1:, :] - tensor[:, :, :-1, :]
    return (ops.pad(dy, ((0, 0), (0, 1), (0, 0), (0, 0))),
            ops.pad(dx, ((0, 0), (0, 0), (0, 1), (0, 0))))


def sobel_edges(image):
    """(B, H, W, C, 2): the Sobel responses [dy, dx] of each channel, the image padded by
    reflection; dy uses [[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dx its transpose."""
    tensor = as_tensor(image, "sobel_edges")
    if tensor.ndim != 4:
        raise ValueError(f"sobel_edges: image must be of rank 4 (batch, height, width, "
                         f"channels), got shape {tuple(tensor.shape)}")
    if tensor.dtype.kind != "f":
        tensor = ops.cast(tensor, "float32")
    height, width = tensor.shape[1], tensor.shape[2]
    padded = ops.pad(tensor, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    smooth, diff = np.array([1.0, 2.0, 1.0]), np.array([-1.0, 0.0, 1.0])

    def window(i: int, j: int):
        return padded[:, i:i + height, j:j + width, :]

    dy = sum(window(i, j) * float(diff[i] * smooth[j]) for i in range(3) for j in range(3)
             if diff[i] != 0)
    dx = sum(window(i, j) * float(smooth[i] * diff[j]) for i in range(3) for j in range(3)
             if diff[j] != 0)
    return ops.stack([dy, dx], -1)


def total_variation(images, name=None):
    """:math:`\\sum |x_{i+1,j} - x_{i,j}| + \\sum |x_{i,j+1} - x_{i,j}|` over each image
    (a scalar for one (H, W, C) image, a vector for a batch). Integer images are summed
    exactly in int64 (TensorFlow computes in their own dtype)."""
    tensor = as_tensor(images, "total_variation")
    if tensor.ndim not in (3, 4):
        raise ValueError(f"total_variation: 'images' must be either 3 or 4-dimensional, got "
                         f"shape {tuple(tensor.shape)}")
    if tensor.dtype.kind != "f":
        tensor = Tensor(tensor.data.astype(np.int64))
    axes = tuple(range(tensor.ndim - 3, tensor.ndim))
    height, width = axes[0], axes[1]
    down = ops.abs(ops.diff(tensor, axis=height)) if tensor.shape[height] > 1 else None
    right = ops.abs(ops.diff(tensor, axis=width)) if tensor.shape[width] > 1 else None
    total = 0
    for part in (down, right):
        if part is not None:
            total = ops.sum(part, axis=axes) + total
    if isinstance(total, int):
        shape = tensor.shape[:-3]
        return Tensor(np.zeros(shape, dtype=tensor.dtype), dtype=tensor.dtype)
    return total


__all__ = ["image_gradients", "psnr", "sobel_edges", "ssim", "ssim_multiscale",
           "total_variation"]
