"""Colour-space conversions of NHWC images as compositions of engine ops (differentiable
almost everywhere; the branch conditions are constants of each call).

Grayscale uses the luma weights of ``tf.image.rgb_to_grayscale`` / ``keras.ops.image``:

.. math::  Y = 0.2989\\, R + 0.5870\\, G + 0.1140\\, B

HSV follows ``tf.image.rgb_to_hsv`` / ``hsv_to_rgb`` (hue in [0, 1)): with
:math:`V = \\max(R, G, B)`, :math:`m = \\min(R, G, B)`, :math:`\\Delta = V - m`,
:math:`S = \\Delta / V` (0 where V = 0) and

.. math::  H = \\frac{1}{6}\\begin{cases} (G - B)/\\Delta & V = R \\\\
           2 + (B - R)/\\Delta & V = G \\\\ 4 + (R - G)/\\Delta & \\text{else}\\end{cases}
           \\pmod 1

(0 where :math:`\\Delta = 0`); back, with :math:`h = 6 (H \\bmod 1)`,
:math:`R = V (1 - S + S\\, \\operatorname{clip}(|h - 3| - 1, 0, 1))`,
:math:`G = V (1 - S + S\\, \\operatorname{clip}(2 - |h - 2|, 0, 1))`,
:math:`B = V (1 - S + S\\, \\operatorname{clip}(2 - |h - 4|, 0, 1))`.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops

LUMA = (0.2989, 0.5870, 0.1140)


def rgb_to_grayscale(images):
    """(B, H, W, 3) -> (B, H, W, 1) luma; a 1-channel image is returned as it is."""
    if images.shape[-1] == 1:
        return images
    weights = Tensor(np.asarray(LUMA), dtype=images.dtype)
    return (images * weights).sum(axis=-1, keepdims=True)


def rgb_to_hsv(images):
    """(B, H, W, 3) RGB -> (B, H, W, 3) HSV (H, S in [0, 1], V in the input's scale)."""
    red, green, blue = images[..., 0], images[..., 1], images[..., 2]
    value = ops.maximum(ops.maximum(red, green), blue)
    spread = value - ops.minimum(ops.minimum(red, green), blue)
    positive_value, positive_spread = value.data > 0, spread.data > 0
    safe_value = ops.where(positive_value, value, 1.0)
    safe_spread = ops.where(positive_spread, spread, 1.0)
    saturation = ops.where(positive_value, spread / safe_value, 0.0)
    norm = 1.0 / (safe_spread * 6.0)
    hue = ops.where(value.data == green.data, norm * (blue - red) + 2.0 / 6.0,
                    norm * (red - green) + 4.0 / 6.0)
    hue = ops.where(value.data == red.data, norm * (green - blue), hue)
    hue = ops.where(positive_spread, hue, 0.0)
    hue = hue + (hue.data < 0).astype(hue.dtype)
    return ops.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images):
    """(B, H, W, 3) HSV -> (B, H, W, 3) RGB; the inverse of `rgb_to_hsv`."""
    hue, saturation, value = images[..., 0], images[..., 1], images[..., 2]
    sector = (hue - np.floor(hue.data).astype(hue.dtype)) * 6.0
    ramps = [ops.clip(abs(sector - 3.0) - 1.0, 0.0, 1.0),
             ops.clip(2.0 - abs(sector - 2.0), 0.0, 1.0),
             ops.clip(2.0 - abs(sector - 4.0), 0.0, 1.0)]
    grey = 1.0 - saturation
    return ops.stack([value * (grey + saturation * ramp) for ramp in ramps], axis=-1)


def blend(images, other, weight):
    """images + weight (other - images): weight 0 keeps ``images``, 1 gives ``other``."""
    return images + (other - images) * weight


def per_image(values, dtype) -> Tensor:
    """A (B,) array of per-image numbers as a (B, 1, 1, 1) constant for broadcasting."""
    return Tensor(np.asarray(values, dtype=np.float64).reshape(-1, 1, 1, 1), dtype=dtype)
