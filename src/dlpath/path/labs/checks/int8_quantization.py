"""Checks of the int8-quantization lab, against a float64 NumPy reference (dlpath has no
quantization op): scale and zero point from min/max with 0 in the range, quantization with
rounding and saturation, dequantization without int8 overflow, 0 represented exactly, the
error bound |x_hat - x| <= scale / 2 inside the range, and symmetric per-output-channel
weights."""

import numpy as np

from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["quantization_params", "quantize", "dequantize", "quantize_per_channel"]


def _params(x_min, x_max, include_zero=True, levels=255, uint8=False):
    lo, hi = (min(x_min, 0.0), max(x_max, 0.0)) if include_zero else (x_min, x_max)
    scale = (hi - lo) / levels if hi > lo else 1.0
    zero = -np.round(lo / scale) if uint8 else -128 - np.round(lo / scale)
    return scale, int(zero)


def _quantize(x, scale, zero, clip=True, rounding=np.round, sign=1):
    q = rounding(np.asarray(x, np.float64) / scale) + sign * zero
    if clip:
        return np.clip(q, -128, 127)
    return ((q.astype(np.int64) + 128) % 256) - 128  # what an unclipped int8 cast wraps to


def _dequantize(q, scale, zero):
    return (q.astype(np.float64) - zero) * scale


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _ranges(rng):
    """(x_min, x_max) pairs: mixed signs, all positive, all negative, random."""
    a, b = sorted(rng.uniform(-3, 3, 2))
    return [(-float(rng.uniform(0.5, 2)), float(rng.uniform(2, 6))),
            (float(rng.uniform(0.5, 1)), float(rng.uniform(2, 5))),
            (-float(rng.uniform(2, 5)), -float(rng.uniform(0.1, 1))),
            (float(a), float(b))]


def _expect_params(case, x_min, x_max):
    result = case.call(x_min, x_max)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("wrong_type", name="quantization_params(...)",
                  expected="a pair (scale, zero_point)", type=type(result).__name__)
    scale, zero = result
    if isinstance(scale, (str, bytes)) or not np.isscalar(scale) and np.ndim(scale) != 0:
        case.fail("wrong_type", name="the scale", expected="a float", type=type(scale).__name__)
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the scale", expected="a float", type=type(scale).__name__)
    if not _is_int(zero):
        case.fail("zero_point_not_int", value=repr(zero))
    expected_scale, expected_zero = _params(x_min, x_max)
    params = dict(scale=float(scale), zero=int(zero), expected_scale=expected_scale,
                  expected_zero=expected_zero)
    if np.isclose(scale, expected_scale, rtol=1e-9) and zero == expected_zero:
        return float(scale), int(zero)
    mistakes = {"zero_not_in_range": _params(x_min, x_max, include_zero=False),
                "scale_256": _params(x_min, x_max, levels=256),
                "uint8_zero_point": _params(x_min, x_max, uint8=True),
                "zero_point_sign": (expected_scale, -256 - expected_zero)}
    for key, (wrong_scale, wrong_zero) in mistakes.items():
        if np.isclose(scale, wrong_scale, rtol=1e-9) and zero == wrong_zero and (
                wrong_scale, wrong_zero) != (expected_scale, expected_zero):
            case.fail(key, **params)
    case.fail("params_wrong", **params)


@check("params")
def params(learner, rng):
    for x_min, x_max in _ranges(rng) + [(0.0, 0.0)]:
        case = Case(learner.quantization_params, f"x_min {x_min:.4g}, x_max {x_max:.4g}")
        _expect_params(case, x_min, x_max)


def _expect_quantize(learner, x, scale, zero, note=""):
    case = Case(learner.quantize, f"x {x.shape}, scale {scale:.4g}, zero_point {zero}"
                + (f", {note}" if note else ""))
    q = case.expect_array("q", case.call(x, scale, zero))
    case.expect_shape("q", q, x.shape)
    expected = _quantize(x, scale, zero)
    mistakes = {"wrapped_not_clipped": _quantize(x, scale, zero, clip=False),
                "truncated_not_rounded": np.clip(np.trunc(x / scale) + zero, -128, 127),
                "floor_not_round": _quantize(x, scale, zero, rounding=np.floor),
                "zero_point_subtracted": _quantize(x, scale, zero, sign=-1),
                "multiplied_by_scale": np.clip(np.round(x * scale) + zero, -128, 127)}
    case.expect_close("q", q, expected, rtol=0, atol=0, mistakes=mistakes)
    case.expect_dtype("q", q, np.int8)
    return q


@check("quantize")
def quantize(learner, rng):
    for x_min, x_max in _ranges(rng)[:3]:
        scale, zero = _params(x_min, x_max)
        x = rng.uniform(min(x_min, 0), max(x_max, 0), size=(4, 5))
        _expect_quantize(learner, x, scale, zero)


@check("saturation")
def saturation(learner, rng):
    # Values outside [lo, hi] saturate at -128 and 127; an int8 cast without np.clip
    # would wrap them around to the other end.
    scale, zero = _params(-1.0, float(rng.uniform(1.5, 3)))
    x = np.concatenate([rng.uniform(-40, -5, 4), rng.uniform(-1, 1, 4), rng.uniform(5, 40, 4)])
    _expect_quantize(learner, x, scale, zero, "values far outside the range")


def _expect_dequantize(learner, q, scale, zero, note=""):
    case = Case(learner.dequantize, f"q {q.shape} int8, scale {scale:.4g}, zero_point {zero}"
                + (f", {note}" if note else ""))
    with np.errstate(all="ignore"):
        x_hat = case.call(q, scale, zero)
    expected = _dequantize(q, scale, zero)
    wrapped = ((q.astype(np.int64) - zero + 128) % 256 - 128) * scale
    case.expect_close("x_hat", x_hat, expected, rtol=1e-6, atol=1e-7, mistakes={
        "int8_wraparound": wrapped,
        "zero_point_added": (q.astype(np.float64) + zero) * scale,
        "divided_by_scale": (q.astype(np.float64) - zero) / scale,
    })
    case.expect_dtype("x_hat", x_hat, np.float32)
    return x_hat


@check("dequantize")
def dequantize(learner, rng):
    scale, zero = _params(-float(rng.uniform(1, 2)), float(rng.uniform(2, 4)))
    q = rng.integers(-128, 128, size=(3, 6)).astype(np.int8)
    _expect_dequantize(learner, q, scale, zero)
    # All-positive data: zero_point = -128, so q - zero_point reaches 255.
    scale, zero = _params(float(rng.uniform(0.1, 1)), float(rng.uniform(2, 6)))
    q = np.array([-128, -1, 0, 1, 64, 126, 127], dtype=np.int8)
    _expect_dequantize(learner, q, scale, zero, "zero_point -128")


@check("zero-exact")
def zero_exact(learner, rng):
    # With 0 in the range and an integer zero point, 0 survives the round trip exactly.
    for x_min, x_max in _ranges(rng):
        scale, zero = _params(x_min, x_max)
        x = np.array([0.0, 0.0])
        case = Case(learner.quantize, f"x = 0, scale {scale:.4g}, zero_point {zero}")
        q = case.expect_array("q", case.call(x, scale, zero))
        case.expect_close("q", q, [zero, zero], rtol=0, atol=0)
        x_hat = Case(learner.dequantize, case.description).call(q, scale, zero)
        if not np.array_equal(np.asarray(x_hat, np.float64), x):
            case.fail("zero_not_exact", value=float(np.asarray(x_hat).flat[0]))


@check("error-bound")
def error_bound(learner, rng):
    # Inside [lo, hi] the round trip is off by at most half a step: |x_hat - x| <= scale/2.
    for x_min, x_max in _ranges(rng):
        p_case = Case(learner.quantization_params, f"x_min {x_min:.4g}, x_max {x_max:.4g}")
        scale, zero = _expect_params(p_case, x_min, x_max)
        x = rng.uniform(min(x_min, 0), max(x_max, 0), size=200)
        case = Case(learner.quantize, f"200 values in [{min(x_min, 0):.4g}, "
                                      f"{max(x_max, 0):.4g}], scale {scale:.4g}")
        q = case.call(x, scale, zero)
        x_hat = np.asarray(Case(learner.dequantize, case.description).call(q, scale, zero),
                           np.float64)
        error = np.abs(x_hat - x)
        if x_hat.shape != x.shape or not error.max() <= scale / 2 * (1 + 1e-5):
            worst = int(error.argmax()) if x_hat.shape == x.shape else 0
            case.fail("error_above_half_step", error=float(error.max()), half=scale / 2,
                      value=float(x[worst]))


def _expect_per_channel(learner, w, note=""):
    case = Case(learner.quantize_per_channel, f"w {w.shape}" + (f", {note}" if note else ""))
    with np.errstate(all="ignore"):
        result = case.call(w)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("wrong_type", name="quantize_per_channel(...)",
                  expected="a pair (q, scales)", type=type(result).__name__)
    q, scales = (case.expect_array(name, a) for name, a in zip(("q", "scales"), result))
    axes = tuple(range(w.ndim - 1))
    peak = np.abs(w).max(axis=axes)
    expected_scales = np.where(peak > 0, peak / 127, 1.0)
    if scales.shape == () or scales.size == 1 and w.shape[-1] > 1:
        case.fail("per_tensor_scale")
    if scales.shape == (w.shape[-2],) and w.shape[-2] != w.shape[-1]:
        case.fail("per_input_channel")
    if scales.shape == expected_scales.shape and not (np.isfinite(scales) & (scales > 0)).all():
        case.fail("zero_channel_scale")
    case.expect_close("scales", scales, expected_scales, rtol=1e-6, atol=0, mistakes={
        "scale_asymmetric": np.where(peak > 0, (w.max(axis=axes) - w.min(axis=axes)) / 255,
                                     1.0),
        "scale_128": np.where(peak > 0, peak / 128, 1.0),
        "scale_255": np.where(peak > 0, peak / 255, 1.0)})
    expected_q = np.clip(np.round(w / expected_scales), -127, 127)
    case.expect_close("q", q, expected_q, rtol=0, atol=0)
    case.expect_dtype("q", q, np.int8)
    return q, scales


@check("per-channel")
def per_channel(learner, rng):
    # A Keras Conv2D kernel (kh, kw, in, out), channels of very different sizes.
    w = rng.standard_normal((3, 3, 4, 6)) * rng.uniform(0.01, 2, 6)
    _expect_per_channel(learner, w)
    w = rng.standard_normal((5, 3)) * np.array([0.1, 1.0, 10.0])  # a Dense kernel
    _expect_per_channel(learner, w, "Dense kernel")


@check("zero-channel")
def zero_channel(learner, rng):
    w = rng.standard_normal((4, 3))
    w[:, 1] = 0.0  # a dead output channel
    _expect_per_channel(learner, w, "channel 1 all zeros")
