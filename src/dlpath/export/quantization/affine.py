"""Affine (scale, zero point) quantization: the formulas every int8 path here uses.

A real value x is stored as an integer q of a narrow type with range [q_min, q_max]:

    q = clip(round(x / s) + z, q_min, q_max)        (quantize; ONNX QuantizeLinear)
    x_hat = s (q - z)                                (dequantize; ONNX DequantizeLinear)

``round`` is round-half-to-even, as QuantizeLinear specifies (``np.rint``). Inside the
clip range the error is |x - x_hat| <= s / 2 (Jacob et al. 2018, "Quantization and
Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference").

Two choices of (s, z), the ones onnxruntime's quantization tools make on x86 ("U8S8"):

- Weights: int8, symmetric (z = 0) and per output channel c: s_c = max |W_c| / 127, so
  q in [-127, 127] (the value -128 is never used, which keeps the range symmetric).
- Activations: uint8, asymmetric, from a calibrated range [lo, hi] widened to hold 0
  (so that zero padding and ReLU zeros are exact): s = (hi - lo) / 255,
  z = clip(round(-lo / s), 0, 255). A ReLU output uses all 256 levels for [0, hi]
  instead of half of them, which a symmetric int8 activation would waste.
- Biases: int32 at scale s_b = s_x s_w (z = 0), so they add straight to the int32
  accumulator of sum_k (q_x - z_x) q_w.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int32": (-2**31, 2**31 - 1)}
WEIGHT_QMAX = 127


@dataclass
class QuantParams:
    """Scale(s) and zero point(s) of one quantized tensor.

    ``scale`` and ``zero_point`` are scalars, or vectors along ``axis`` (per channel);
    ``dtype`` names the integer type ('int8', 'uint8' or 'int32').
    """

    scale: np.ndarray
    zero_point: np.ndarray
    dtype: str = "int8"
    axis: int | None = None

    def __post_init__(self):
        if self.dtype not in RANGES:
            raise ValueError(f"QuantParams: dtype must be one of {sorted(RANGES)}, got "
                             f"{self.dtype!r}")
        self.scale = np.asarray(self.scale, np.float32)
        self.zero_point = np.asarray(self.zero_point, np.dtype(self.dtype))
        if self.scale.shape != self.zero_point.shape:
            raise ValueError(f"QuantParams: scale of shape {self.scale.shape} and zero point "
                             f"of shape {self.zero_point.shape} differ")
        if self.scale.ndim > 1 or (self.scale.ndim == 1) != (self.axis is not None):
            raise ValueError(f"QuantParams: a per-channel scale needs an axis (and a scalar "
                             f"none), got scale of shape {self.scale.shape}, axis "
                             f"{self.axis}")
        if not np.all(self.scale > 0) or not np.all(np.isfinite(self.scale)):
            raise ValueError("QuantParams: every scale must be positive and finite")

    @property
    def qmin(self) -> int:
        return RANGES[self.dtype][0]

    @property
    def qmax(self) -> int:
        return RANGES[self.dtype][1]

    def _along(self, array: np.ndarray, ndim: int) -> np.ndarray:
        """``array`` shaped to broadcast along ``axis`` of an ``ndim``-d tensor."""
        if self.axis is None:
            return array
        shape = [1] * ndim
        shape[self.axis] = -1
        return array.reshape(shape)

    def to_json(self) -> dict:
        return {"scale": self.scale.tolist(), "zero_point": self.zero_point.tolist(),
                "dtype": self.dtype, "axis": self.axis}

    @classmethod
    def from_json(cls, entry: dict, where: str) -> "QuantParams":
        try:
            return cls(np.asarray(entry["scale"], np.float32),
                       np.asarray(entry["zero_point"], np.int64).astype(entry["dtype"]),
                       str(entry["dtype"]), entry.get("axis"))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{where}: bad quantization parameters {entry!r:.200}: "
                             f"{error}") from None


def quantize(x, params: QuantParams) -> np.ndarray:
    """q = clip(round_half_even(x / s) + z, q_min, q_max), in ``params.dtype``.

    x / s is computed in float32, as QuantizeLinear divides; the rest is exact in float32
    for 8-bit types (float64 for int32)."""
    x = np.asarray(x, np.float32)
    scale = params._along(params.scale, x.ndim)
    q = np.rint(x / scale)
    if params.dtype == "int32":
        q = q.astype(np.float64)
    q += params._along(params.zero_point.astype(q.dtype), x.ndim)
    np.clip(q, params.qmin, params.qmax, out=q)
    return q.astype(params.dtype)


def dequantize(q, params: QuantParams) -> np.ndarray:
    """x_hat = s (q - z), in float32 (q - z is exact in float32 for 8-bit types)."""
    q = np.asarray(q)
    scale = params._along(params.scale, q.ndim)
    if params.dtype == "int32":
        zero = params._along(params.zero_point.astype(np.int64), q.ndim)
        return ((q.astype(np.int64) - zero) * scale).astype(np.float32)
    centred = q.astype(np.float32)
    centred -= params._along(params.zero_point.astype(np.float32), q.ndim)
    return centred * scale


def symmetric_per_channel(weights, axis: int) -> QuantParams:
    """int8 weight parameters, one per slice along ``axis``: z_c = 0,
    s_c = max |W_c| / 127 (an all-zero channel gets s_c = 1)."""
    w = np.asarray(weights, np.float32)
    axis = axis % w.ndim
    others = tuple(a for a in range(w.ndim) if a != axis)
    peak = np.max(np.abs(w), axis=others) if others else np.abs(w)
    scale = np.where(peak > 0, peak / WEIGHT_QMAX, 1.0).astype(np.float32)
    return QuantParams(scale, np.zeros_like(scale, np.int8), "int8", axis)


def quantize_weights(weights, axis: int) -> tuple:
    """``(q int8, params)``: symmetric per-channel quantization of ``weights``."""
    params = symmetric_per_channel(weights, axis)
    return quantize(weights, params), params


def asymmetric_from_range(lo: float, hi: float, dtype: str = "uint8") -> QuantParams:
    """Activation parameters for values in [lo, hi] (widened to hold 0):

        s = (hi - lo) / (q_max - q_min),   z = clip(round(q_min - lo / s), q_min, q_max)

    as onnxruntime's ``compute_scale_zp`` computes them. An empty range (lo = hi = 0)
    gets s = 1, z = 0 - q_min.
    """
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"asymmetric_from_range: the range [{lo}, {hi}] is not finite")
    qmin, qmax = RANGES[dtype]
    scale = np.float32((hi - lo) / (qmax - qmin))
    if scale == 0:
        scale = np.float32(1.0)
    zero = int(np.clip(np.rint(qmin - lo / float(scale)), qmin, qmax))
    return QuantParams(scale, np.asarray(zero), dtype)


def bias_params(input_params: QuantParams, weight_params: QuantParams) -> QuantParams:
    """int32 bias parameters: s_b = s_x s_w (per output channel), z_b = 0."""
    scale = (np.float32(input_params.scale) * weight_params.scale).astype(np.float32)
    axis = 0 if scale.ndim == 1 else None
    return QuantParams(scale, np.zeros(scale.shape, np.int32), "int32", axis)


def quantize_bias(bias, input_params: QuantParams, weight_params: QuantParams) -> tuple:
    """``(q int32, params)``: q_b = round(b / (s_x s_w))."""
    params = bias_params(input_params, weight_params)
    return quantize(bias, params), params
