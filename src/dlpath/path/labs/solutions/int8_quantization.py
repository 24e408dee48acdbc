import numpy as np


def quantization_params(x_min, x_max):
    """Scale and zero point of affine int8 quantization for values in [x_min, x_max].

    The range is first widened to contain 0, lo = min(x_min, 0), hi = max(x_max, 0), so
    that 0 (padding, ReLU outputs) is represented exactly; then
        scale = (hi - lo) / 255          (1.0 when hi == lo: nothing to spread)
        zero_point = -128 - round(lo / scale)        (np.round), an int in [-128, 127]
    so that lo maps to -128 and hi to 127. Returns (scale: float, zero_point: int).
    """
    lo, hi = min(x_min, 0.0), max(x_max, 0.0)
    scale = (hi - lo) / 255 if hi > lo else 1.0
    zero_point = int(-128 - np.round(lo / scale))
    return float(scale), zero_point


def quantize(x, scale, zero_point):
    """q = clip(round(x / scale) + zero_point, -128, 127) as int8 (np.round).

    Values outside the range saturate at -128 or 127 (they must not wrap around).
    x: float array of any shape; returns an int8 array of x's shape.
    """
    q = np.round(x / scale) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def dequantize(q, scale, zero_point):
    """x_hat = (q - zero_point) * scale, as float32.

    q: int8 array. Compute q - zero_point in a wider type than int8 (float32 here):
    127 - (-128) = 255 does not fit in an int8. Returns a float32 array of q's shape.
    """
    return (q.astype(np.float32) - np.float32(zero_point)) * np.float32(scale)


def quantize_per_channel(w):
    """Symmetric int8 quantization of a weight tensor, one scale per OUTPUT channel (the
    last axis of a Keras kernel (..., in, out)), zero point 0:

        scale[c] = max |w[..., c]| / 127       (1.0 for a channel of zeros)
        q[..., c] = clip(round(w[..., c] / scale[c]), -127, 127)   as int8

    w: float array (..., C). Returns (q: int8 array of w's shape, scales: (C,) array).
    """
    axes = tuple(range(w.ndim - 1))
    peak = np.abs(w).max(axis=axes)
    scales = np.where(peak > 0, peak / 127, 1.0)
    q = np.clip(np.round(w / scales), -127, 127).astype(np.int8)
    return q, scales
