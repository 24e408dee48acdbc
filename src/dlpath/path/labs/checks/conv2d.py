"""Checks of the conv2d lab: output sizes and 'same' padding against the formulas, the
convolution against dlpath's engine (dlpath.engine.conv.conv2d) with strides, integer and
'same' padding, float32, and edge cases."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.conv import conv2d as engine_conv2d
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["conv_output_size", "same_padding", "conv2d"]


def _engine(x, kernel, bias=None, stride=1, padding="valid"):
    if not isinstance(padding, str):
        padding = ((padding, padding), (padding, padding))
    b = None if bias is None else Tensor(bias, dtype=bias.dtype)
    return engine_conv2d(Tensor(x, dtype=x.dtype), Tensor(kernel, dtype=kernel.dtype), b,
                         strides=stride, padding=padding).data


def _same(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def _out(size, k, s, before, after):
    return (size + before + after - k) // s + 1


def _inputs(rng, dtype=np.float64, n=None, hw=None, kernel=None, channels=None):
    n = int(rng.integers(1, 4)) if n is None else n
    h, w = (int(rng.integers(5, 9)), int(rng.integers(5, 9))) if hw is None else hw
    kh, kw = (int(rng.integers(2, 4)), int(rng.integers(2, 4))) if kernel is None else kernel
    c, o = (int(rng.integers(1, 4)), int(rng.integers(2, 4))) if channels is None else channels
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    k = rng.standard_normal((kh, kw, c, o)).astype(dtype)
    b = rng.standard_normal(o).astype(dtype)
    return x, k, b


def _describe(x, k, stride, padding, bias=True):
    return (f"x {x.shape}, kernel {k.shape}, stride {stride}, padding {padding!r}"
            f"{'' if bias else ', bias None'}, {x.dtype}")


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@check("output-size")
def output_size(learner, rng):
    cases = [(7, 3, 1, 0), (7, 3, 2, 1), (8, 2, 2, 0), (5, 5, 1, 0), (6, 3, 3, 2), (9, 4, 2, 1)]
    for _ in range(6):
        k = int(rng.integers(1, 5))
        cases.append((int(rng.integers(k, 12)), k, int(rng.integers(1, 4)),
                      int(rng.integers(0, 3))))
    for size, k, s, p in cases:
        case = Case(learner.conv_output_size, f"size {size}, kernel_size {k}, stride {s}, "
                                              f"pad {p}")
        actual = case.call(size, k, s, p)
        params = dict(size=size, k=k, s=s, p=p, actual=actual)
        if not _is_int(actual):
            case.fail("not_int", value=repr(actual), type=type(actual).__name__)
        expected = (size + 2 * p - k) // s + 1
        if actual == expected:
            continue
        mistakes = {"output_size_plus_one": (size + 2 * p - k) // s,
                    "output_size_one_pad": (size + p - k) // s + 1,
                    "output_size_ceil": -(-(size + 2 * p - k) // s) + 1,
                    "output_size_stride_ignored": size + 2 * p - k + 1}
        for key, wrong in mistakes.items():
            if actual == wrong:
                case.fail(key, expected=expected, **params)
        case.fail("output_size_wrong", expected=expected, **params)


@check("same-padding")
def same_padding(learner, rng):
    cases = [(7, 3, 1), (8, 2, 1), (8, 3, 2), (7, 4, 2), (5, 1, 3), (6, 1, 2), (9, 5, 3)]
    for _ in range(6):
        cases.append((int(rng.integers(3, 12)), int(rng.integers(1, 6)),
                      int(rng.integers(1, 4))))
    for size, k, s in cases:
        case = Case(learner.same_padding, f"size {size}, kernel_size {k}, stride {s}")
        actual = case.call(size, k, s)
        if not isinstance(actual, (tuple, list)) or len(actual) != 2:
            case.fail("wrong_type", name="same_padding(...)", expected="a pair (before, after)",
                      type=type(actual).__name__)
        if not all(_is_int(v) for v in actual):
            case.fail("not_int", value=repr(tuple(actual)),
                      type=", ".join(type(v).__name__ for v in actual))
        actual = (int(actual[0]), int(actual[1]))
        expected = _same(size, k, s)
        if actual == expected:
            continue
        params = dict(size=size, k=k, s=s, actual=actual, expected=expected)
        out = -(-size // s)
        raw = (out - 1) * s + k - size
        if raw < 0 and actual in ((raw // 2, raw - raw // 2), (raw - raw // 2, raw // 2)):
            case.fail("same_not_clamped", **params)
        if actual == expected[::-1]:
            case.fail("same_extra_before", **params)
        if actual == ((k - 1) // 2, (k - 1) // 2) or actual == ((k - 1) // 2, k // 2):
            case.fail("same_ignores_stride", **params)
        case.fail("same_padding_wrong", **params)


def _expect_conv(learner, case, x, k, b, stride, padding, rtol=1e-7, atol=1e-9):
    y = case.call(x, k, b, stride, padding)
    expected = _engine(x, k, b, stride, padding)
    y = case.expect_array("y", y)
    if y.shape != expected.shape:
        _diagnose_shape(case, x, k, stride, padding, y.shape, expected.shape)
    mistakes = {"flipped_kernel": _engine(x, np.ascontiguousarray(k[::-1, ::-1]), b, stride,
                                          padding)}
    if b is not None:
        mistakes["forgot_bias"] = _engine(x, k, None, stride, padding)
    if padding == "same":
        (top, bottom), (left, right) = (_same(x.shape[1], k.shape[0], stride),
                                        _same(x.shape[2], k.shape[1], stride))
        if (top, left) != (bottom, right):
            flipped = engine_conv2d(Tensor(x, dtype=x.dtype), Tensor(k, dtype=k.dtype),
                                    None if b is None else Tensor(b, dtype=b.dtype),
                                    strides=stride,
                                    padding=((bottom, top), (right, left))).data
            mistakes["same_extra_before_values"] = flipped
    case.expect_close("y", y, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    return y


def _diagnose_shape(case, x, k, stride, padding, actual, expected):
    h, w = x.shape[1:3]
    kh, kw = k.shape[:2]
    params = dict(actual=tuple(actual), expected=tuple(expected), stride=stride)
    if isinstance(padding, str):
        pads = ((0, 0), (0, 0)) if padding == "valid" else (_same(h, kh, stride),
                                                            _same(w, kw, stride))
    else:
        pads = ((padding, padding), (padding, padding))
    unstrided = (x.shape[0], _out(h, kh, 1, *pads[0]), _out(w, kw, 1, *pads[1]), k.shape[3])
    if stride > 1 and tuple(actual) == unstrided:
        case.fail("ignored_stride", **params)
    if not isinstance(padding, str):
        for wrong in (padding - 1, padding + 1):
            if wrong >= 0 and tuple(actual) == (x.shape[0], _out(h, kh, stride, wrong, wrong),
                                                _out(w, kw, stride, wrong, wrong), k.shape[3]):
                case.fail("padding_off_by_one", pad=padding, wrong=wrong, **params)
        if tuple(actual) == (x.shape[0], _out(h, kh, stride, padding, 0),
                             _out(w, kw, stride, padding, 0), k.shape[3]):
            case.fail("padded_one_side", pad=padding, **params)
        if padding > 0 and tuple(actual) == (x.shape[0], _out(h, kh, stride, 0, 0),
                                             _out(w, kw, stride, 0, 0), k.shape[3]):
            case.fail("ignored_padding", pad=padding, **params)
    case.expect_shape("y", np.zeros(actual), expected)


@check("valid")
def valid(learner, rng):
    for _ in range(2):
        x, k, b = _inputs(rng)
        case = Case(learner.conv2d, _describe(x, k, 1, "valid"))
        _expect_conv(learner, case, x, k, b, 1, "valid")


@check("stride")
def strides(learner, rng):
    for stride in (2, 3):
        x, k, b = _inputs(rng, hw=(int(rng.integers(7, 11)), int(rng.integers(7, 11))))
        case = Case(learner.conv2d, _describe(x, k, stride, "valid"))
        _expect_conv(learner, case, x, k, b, stride, "valid")


@check("int-padding")
def int_padding(learner, rng):
    for stride, pad in ((1, 1), (2, 2), (1, 2)):
        x, k, b = _inputs(rng)
        case = Case(learner.conv2d, _describe(x, k, stride, pad))
        _expect_conv(learner, case, x, k, b, stride, pad)


@check("same-padding-conv")
def same_padding_conv(learner, rng):
    for stride, kernel in ((1, (3, 3)), (1, (2, 4)), (2, (3, 2)), (3, (4, 3))):
        x, k, b = _inputs(rng, kernel=kernel)
        case = Case(learner.conv2d, _describe(x, k, stride, "same"))
        _expect_conv(learner, case, x, k, b, stride, "same")


@check("float32")
def float32(learner, rng):
    x, k, b = _inputs(rng, np.float32)
    case = Case(learner.conv2d, _describe(x, k, 2, 1))
    y = _expect_conv(learner, case, x, k, b, 2, 1, rtol=1e-4, atol=1e-5)
    case.expect_dtype("y", y, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # batch 1 and one channel; a 1x1 kernel; a kernel as large as the image; no bias.
    x, k, b = _inputs(rng, n=1, channels=(1, 1))
    case = Case(learner.conv2d, _describe(x, k, 1, "valid"))
    _expect_conv(learner, case, x, k, b, 1, "valid")
    x, k, b = _inputs(rng, kernel=(1, 1))
    case = Case(learner.conv2d, _describe(x, k, 2, "same"))
    _expect_conv(learner, case, x, k, b, 2, "same")
    x, k, b = _inputs(rng, hw=(4, 5), kernel=(4, 5))
    case = Case(learner.conv2d, _describe(x, k, 1, "valid"))
    _expect_conv(learner, case, x, k, b, 1, "valid")
    x, k, _ = _inputs(rng)
    case = Case(learner.conv2d, _describe(x, k, 1, 1, bias=False))
    _expect_conv(learner, case, x, k, None, 1, 1)
