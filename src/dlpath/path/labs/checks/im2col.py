"""Checks of the im2col lab: the matrix against dlpath's im2col (dlpath.engine.conv, the one
its conv2d is built on), with strides and padding, and conv as one matrix product against
dlpath's conv2d."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.conv import conv2d as engine_conv2d
from dlpath.engine.conv import im2col as engine_im2col
from dlpath.engine.conv import output_size, pad_nhwc
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["im2col", "conv2d_im2col"]


def _out_hw(x, kh, kw, stride, pad):
    return (output_size(x.shape[1], kh, stride, 1, pad, pad),
            output_size(x.shape[2], kw, stride, 1, pad, pad))


def _cols(x, kh, kw, stride, pad):
    xp = np.ascontiguousarray(pad_nhwc(x, ((pad, pad), (pad, pad))))
    return engine_im2col(xp, (kh, kw), (stride, stride), (1, 1), _out_hw(x, kh, kw, stride, pad))


def _conv(x, kernel, bias, stride, pad):
    b = None if bias is None else Tensor(bias, dtype=bias.dtype)
    return engine_conv2d(Tensor(x, dtype=x.dtype), Tensor(kernel, dtype=kernel.dtype), b,
                         strides=stride, padding=((pad, pad), (pad, pad))).data


def _image(rng, dtype=np.float64, n=None, hw=None, c=None):
    n = int(rng.integers(2, 4)) if n is None else n
    h, w = (int(rng.integers(5, 9)), int(rng.integers(5, 9))) if hw is None else hw
    c = int(rng.integers(2, 4)) if c is None else c
    return rng.standard_normal((n, h, w, c)).astype(dtype)


def _kernel_size(rng):
    """(kh, kw) with kh != kw, so that mixing the two up shows."""
    kh = int(rng.integers(2, 4))
    return kh, int(rng.choice([k for k in (2, 3, 4) if k != kh]))


def _expect_cols(case, x, kh, kw, stride, pad, rtol=1e-12, atol=0.0):
    cols = case.expect_array("cols", case.call(x, kh, kw, stride, pad))
    expected = _cols(x, kh, kw, stride, pad)
    n, c = x.shape[0], x.shape[3]
    ho, wo = _out_hw(x, kh, kw, stride, pad)
    params = dict(actual=tuple(cols.shape), expected=expected.shape)
    if cols.shape != expected.shape:
        if cols.shape in ((n, ho, wo, kh, kw, c), (n, ho, wo, kh * kw * c)):
            case.fail("not_flattened", **params)
        if stride > 1 and cols.shape == _cols(x, kh, kw, 1, pad).shape:
            case.fail("ignored_stride", stride=stride, **params)
        if pad > 0 and cols.shape == _cols(x, kh, kw, stride, 0).shape:
            case.fail("ignored_padding", pad=pad, **params)
    six = expected.reshape(n, ho, wo, kh, kw, c)
    rows = n * ho * wo
    mistakes = {
        "columns_channel_first": six.transpose(0, 1, 2, 5, 3, 4).reshape(rows, -1),
        "columns_kw_kh": six.transpose(0, 1, 2, 4, 3, 5).reshape(rows, -1),
        "flipped_window": six[:, :, :, ::-1, ::-1].reshape(rows, -1),
        "rows_column_major": six.transpose(0, 2, 1, 3, 4, 5).reshape(rows, -1),
        "rows_batch_last": six.transpose(1, 2, 0, 3, 4, 5).reshape(rows, -1),
    }
    case.expect_close("cols", cols, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    return cols


def _describe(x, kh, kw, stride, pad):
    return f"x {x.shape}, kh {kh}, kw {kw}, stride {stride}, pad {pad}, {x.dtype}"


@check("im2col-shape")
def im2col_shape(learner, rng):
    x = _image(rng)
    kh, kw = _kernel_size(rng)
    case = Case(learner.im2col, _describe(x, kh, kw, 1, 0))
    cols = case.expect_array("cols", case.call(x, kh, kw, 1, 0))
    ho, wo = _out_hw(x, kh, kw, 1, 0)
    n, c = x.shape[0], x.shape[3]
    if cols.shape in ((n, ho, wo, kh, kw, c), (n, ho, wo, kh * kw * c)):
        case.fail("not_flattened", actual=tuple(cols.shape), expected=(n * ho * wo,
                                                                       kh * kw * c))
    case.expect_shape("cols", cols, (n * ho * wo, kh * kw * c))


@check("im2col-values")
def im2col_values(learner, rng):
    for _ in range(2):
        x = _image(rng)
        kh, kw = _kernel_size(rng)
        _expect_cols(Case(learner.im2col, _describe(x, kh, kw, 1, 0)), x, kh, kw, 1, 0)


@check("im2col-stride-pad")
def im2col_stride_pad(learner, rng):
    for stride, pad in ((2, 0), (1, 1), (2, 1), (3, 2)):
        x = _image(rng, hw=(int(rng.integers(6, 10)), int(rng.integers(6, 10))))
        kh, kw = _kernel_size(rng)
        _expect_cols(Case(learner.im2col, _describe(x, kh, kw, stride, pad)), x, kh, kw,
                     stride, pad)


def _expect_conv(case, x, kernel, bias, stride, pad, rtol=1e-7, atol=1e-9):
    y = case.expect_array("y", case.call(x, kernel, bias, stride, pad))
    expected = _conv(x, kernel, bias, stride, pad)
    kh, kw, _, o = kernel.shape
    cols = _cols(x, kh, kw, stride, pad)
    shift = 0 if bias is None else bias
    mistakes = {
        "kernel_channel_first": (cols @ kernel.transpose(2, 0, 1, 3).reshape(-1, o)
                                 + shift).reshape(expected.shape),
        "kernel_kw_kh": (cols @ kernel.transpose(1, 0, 2, 3).reshape(-1, o)
                         + shift).reshape(expected.shape),
    }
    if bias is not None:
        mistakes["forgot_bias"] = _conv(x, kernel, None, stride, pad)
    case.expect_close("y", y, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    return y


def _conv_inputs(rng, dtype=np.float64, kernel=None, **image):
    x = _image(rng, dtype, **image)
    kh, kw = _kernel_size(rng) if kernel is None else kernel
    o = int(rng.integers(2, 5))
    k = rng.standard_normal((kh, kw, x.shape[3], o)).astype(dtype)
    return x, k, rng.standard_normal(o).astype(dtype)


def _describe_conv(x, k, stride, pad, bias=True):
    return (f"x {x.shape}, kernel {k.shape}, stride {stride}, pad {pad}"
            f"{'' if bias else ', bias None'}, {x.dtype}")


@check("conv-matmul")
def conv_matmul(learner, rng):
    for stride, pad in ((1, 0), (2, 1), (1, 2)):
        x, k, b = _conv_inputs(rng)
        _expect_conv(Case(learner.conv2d_im2col, _describe_conv(x, k, stride, pad)), x, k, b,
                     stride, pad)


@check("uses-im2col")
def uses_im2col(learner, rng):
    x, k, b = _conv_inputs(rng)
    calls = []
    original = learner.im2col

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    learner.im2col = counted
    try:
        case = Case(learner.conv2d_im2col, _describe_conv(x, k, 1, 0))
        case.call(x, k, b, 1, 0)
    finally:
        learner.im2col = original
    if not calls:
        case.fail("not_using_im2col")


@check("float32")
def float32(learner, rng):
    x = _image(rng, np.float32)
    case = Case(learner.im2col, _describe(x, 3, 2, 2, 1))
    cols = _expect_cols(case, x, 3, 2, 2, 1)
    case.expect_dtype("cols", cols, np.float32)
    x, k, b = _conv_inputs(rng, np.float32)
    case = Case(learner.conv2d_im2col, _describe_conv(x, k, 1, 1))
    y = _expect_conv(case, x, k, b, 1, 1, rtol=1e-4, atol=1e-5)
    case.expect_dtype("y", y, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # A 1 x 1 kernel (im2col is a reshape), batch 1 with one channel, a kernel as large as
    # the padded image (one window), and no bias.
    x = _image(rng)
    _expect_cols(Case(learner.im2col, _describe(x, 1, 1, 1, 0)), x, 1, 1, 1, 0)
    x = _image(rng, n=1, c=1)
    _expect_cols(Case(learner.im2col, _describe(x, 2, 3, 1, 0)), x, 2, 3, 1, 0)
    x, k, b = _conv_inputs(rng, hw=(3, 4), kernel=(5, 6))
    _expect_conv(Case(learner.conv2d_im2col, _describe_conv(x, k, 1, 1)), x, k, b, 1, 1)
    x, k, _ = _conv_inputs(rng, n=1)
    _expect_conv(Case(learner.conv2d_im2col, _describe_conv(x, k, 2, 0, bias=False)), x, k,
                 None, 2, 0)
