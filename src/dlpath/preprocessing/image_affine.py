"""The geometric and colour transforms of ``ImageDataGenerator``, one image at a time.

One affine matrix per image acts on pixel coordinates ``(row, column, 1)``: output pixel
``p`` samples the input at ``A p`` (``scipy.ndimage.affine_transform``), with

.. math::
    A = C\\, R(\\theta)\\, T(t_x, t_y)\\, S(s)\\, Z(z_x, z_y)\\, C^{-1},\\qquad
    R = \\begin{pmatrix}\\cos\\theta & -\\sin\\theta & 0\\\\ \\sin\\theta & \\cos\\theta & 0
        \\\\ 0 & 0 & 1\\end{pmatrix},\\;
    T = \\begin{pmatrix}1 & 0 & t_x\\\\ 0 & 1 & t_y\\\\ 0 & 0 & 1\\end{pmatrix},\\;
    S = \\begin{pmatrix}1 & -\\sin s & 0\\\\ 0 & \\cos s & 0\\\\ 0 & 0 & 1\\end{pmatrix},\\;
    Z = \\mathrm{diag}(z_x, z_y, 1)

where ``C`` moves the origin to ``(h/2 + 1/2, w/2 + 1/2)`` — Keras' matrices, centre
included (it lies half a pixel to one pixel past the middle ``((h - 1)/2, (w - 1)/2)``),
so results equal Keras' for the same parameters. ``t_x`` is along rows
(``height_shift_range``), ``t_y`` along columns: the content moves by ``-t``. A zoom
factor ``z > 1`` samples a larger area, so the content shrinks. Points sampled outside
the image are filled as ``fill_mode`` says (scipy's modes: "constant" with ``cval``,
"nearest", "reflect", "wrap").
"""

from __future__ import annotations

import numpy as np

FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def affine_matrix(theta=0.0, tx=0.0, ty=0.0, shear=0.0, zx=1.0, zy=1.0):
    """``R T S Z`` (3x3) for a rotation and shear in degrees, shifts in pixels, zooms."""
    theta, shear = np.deg2rad(theta), np.deg2rad(shear)
    rotation = np.array([[np.cos(theta), -np.sin(theta), 0],
                         [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=np.float64)
    shearing = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
    zoom = np.diag([zx, zy, 1.0])
    return rotation @ shift @ shearing @ zoom


def centred(matrix, height, width):
    """``C matrix C^{-1}``: the same transform about the image centre."""
    o_x, o_y = height / 2 + 0.5, width / 2 + 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ matrix @ reset


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=0,
                           col_axis=1, channel_axis=2, fill_mode="nearest", cval=0.0,
                           order=1):
    """``x`` (one image) sampled through the affine transform of the module docstring."""
    if fill_mode not in FILL_MODES:
        raise ValueError(f"apply_affine_transform: fill_mode must be one of {FILL_MODES}, "
                         f"got {fill_mode!r}")
    if theta == 0 and tx == 0 and ty == 0 and shear == 0 and zx == 1 and zy == 1:
        return x
    from scipy import ndimage

    image = np.moveaxis(np.asarray(x), (row_axis, col_axis, channel_axis), (0, 1, 2))
    matrix = centred(affine_matrix(theta, tx, ty, shear, zx, zy), image.shape[0],
                     image.shape[1])
    full = np.eye(3)  # the channel axis maps to itself
    full[:2, :2] = matrix[:2, :2]
    offset = np.array([matrix[0, 2], matrix[1, 2], 0.0])
    out = ndimage.affine_transform(image, full, offset, order=order, mode=fill_mode,
                                   cval=cval)
    return np.moveaxis(out, (0, 1, 2), (row_axis, col_axis, channel_axis))


def flip_axis(x, axis):
    """``x`` mirrored along ``axis``."""
    return np.flip(x, axis=axis).copy()


def apply_channel_shift(x, intensity, channel_axis=2):
    """Add ``intensity`` to every channel, clipped to the image's own [min, max]."""
    low, high = np.min(x), np.max(x)
    return np.clip(x + intensity, low, high).astype(x.dtype, copy=False)


def apply_brightness_shift(x, brightness, scale=True):
    """Pillow's brightness enhancement by ``brightness``, the value range kept."""
    from PIL import ImageEnhance

    from .image import array_to_img, img_to_array

    low, high = np.min(x), np.max(x)
    image = ImageEnhance.Brightness(array_to_img(x, scale=scale)).enhance(brightness)
    out = img_to_array(image)
    if scale:
        out = out / 255 * (high - low) + low
    return out.astype(x.dtype, copy=False)
