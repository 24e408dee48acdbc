"""The integer products of int8 inference, computed exactly.

A quantized Dense or Conv2D layer needs the int32 accumulator

    acc[m, n] = q_b[n] + sum_k (q_x[m, k] - z_x) q_w[k, n]

(a convolution is the same product on the im2col rows of the centred input, see
`dlpath.engine.conv`). NumPy's integer matmul computes it exactly but without BLAS, some
ten to a hundred times slower than a float product. A float product is exact as well when
every partial sum is an integer the float type represents exactly, whatever the order in
which BLAS adds them:

    K max|q_x - z_x| max|q_w| < 2^p   (p = 24 for float32, 53 for float64)

`exact_float_dtype` picks float32 when that bound allows it (with uint8
activations and int8 weights, K <= 518), float64 otherwise (K up to about 2.8e11), and the result
is then cast to int32: it equals the int32 reference exactly (the tests check this).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.conv import im2col, output_size, pad_nhwc

FLOAT32_EXACT = 2 ** 24
FLOAT64_EXACT = 2 ** 53
INT32_MAX = 2 ** 31 - 1


def exact_float_dtype(k: int, x_bound: int, w_bound: int, bias_bound: int = 0) -> np.dtype:
    """The narrowest float type in which a K-term sum of products |a| <= x_bound,
    |b| <= w_bound, plus a bias |q_b| <= bias_bound, is exact (see the module docstring)."""
    worst = int(k) * int(x_bound) * int(w_bound) + int(bias_bound)
    if worst > INT32_MAX:
        raise ValueError(f"int8 kernel: a sum of {k} products of magnitude up to "
                         f"{x_bound} x {w_bound} may overflow the int32 accumulator")
    return np.dtype(np.float32 if worst < FLOAT32_EXACT else np.float64)


def centred(q_x: np.ndarray, zero_point, dtype) -> np.ndarray:
    """q_x - z_x in ``dtype`` (exact: |q_x - z_x| <= 255)."""
    return q_x.astype(dtype) - np.asarray(zero_point, dtype)


def float_accumulator(a: np.ndarray, b: np.ndarray, q_bias=None) -> np.ndarray:
    """``a @ b (+ q_bias)`` for integer-valued float ``a`` and ``b`` of a float type that
    `exact_float_dtype` chose for their bounds: exact integers, still as floats."""
    acc = np.matmul(a, b)
    if q_bias is not None:
        acc += q_bias.astype(acc.dtype)
    return acc


def exact_matmul(a: np.ndarray, b: np.ndarray, q_bias=None) -> np.ndarray:
    """The int32 accumulator from `float_accumulator` (the cast is exact)."""
    return float_accumulator(a, b, q_bias).astype(np.int32)


def int32_matmul(a: np.ndarray, b: np.ndarray, q_bias=None) -> np.ndarray:
    """The reference: the same product in NumPy's int32 arithmetic (no BLAS)."""
    acc = np.matmul(a.astype(np.int32), b.astype(np.int32))
    if q_bias is not None:
        acc = acc + q_bias.astype(np.int32)
    return acc


def conv_rows(x: np.ndarray, kernel_hw: tuple, strides: tuple, pads: tuple,
              dilation: tuple) -> tuple:
    """``(rows (N Ho Wo, kh kw C), (N, Ho, Wo))``: the im2col rows of a centred NHWC
    input, padded with zeros (the centred value of a real 0, since 0 = s (z - z))."""
    n, h, w, _ = x.shape
    out_hw = (output_size(h, kernel_hw[0], strides[0], dilation[0], *pads[0]),
              output_size(w, kernel_hw[1], strides[1], dilation[1], *pads[1]))
    xp = pad_nhwc(np.ascontiguousarray(x), pads)
    rows = im2col(xp, kernel_hw, strides, dilation, out_hw)
    return rows, (n, out_hw[0], out_hw[1])
