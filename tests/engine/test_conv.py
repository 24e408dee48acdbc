"""Convolutions (conv2d, conv1d, transposed, depthwise) against PyTorch, finite differences,
and fused == composite in float64."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine import conv
from dlpath.engine.activations import relu
from reference import check_op, random_inputs

GRID = list(itertools.product([1, 2, 3, 5], [1, 2], ["valid", "same"], [1, 2]))


def torch_conv2d(x, k, b, strides, padding, dilation):
    """Keras conv2d in PyTorch: NHWC -> NCHW, (kh, kw, in, out) -> (out, in, kh, kw), and
    Keras' (possibly asymmetric) 'same' padding done by F.pad."""
    (top, bottom), (left, right) = conv.conv_pads(
        x.shape[1:3], k.shape[:2], (strides,) * 2, (dilation,) * 2, padding)
    xt = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
    y = F.conv2d(xt, k.permute(3, 2, 0, 1), b, stride=strides, dilation=dilation)
    return y.permute(0, 2, 3, 1)


def torch_conv2d_transpose(x, k, b, strides, padding, output_padding, dilation):
    """Keras Conv2DTranspose in PyTorch: the full transposed output (padding 0), cropped (or
    zero-extended) to Keras' output size."""
    full = F.conv_transpose2d(x.permute(0, 3, 1, 2), k.permute(3, 2, 0, 1), b,
                              stride=strides, dilation=dilation)
    sizes = [conv.transpose_output_size(x.shape[1 + a], k.shape[a], strides, dilation,
                                        padding, output_padding) for a in range(2)]
    (h, top), (w, left) = sizes
    extra_h = max(top + h - full.shape[2], 0)
    extra_w = max(left + w - full.shape[3], 0)
    full = F.pad(full, (0, extra_w, 0, extra_h))
    if b is not None and (extra_h or extra_w):  # the extension rows still get the bias
        full = full + F.pad(torch.zeros_like(full[:, :, :full.shape[2] - extra_h,
                                                  :full.shape[3] - extra_w]),
                            (0, extra_w, 0, extra_h), value=1.0) * b[None, :, None, None]
    return full[:, :, top:top + h, left:left + w].permute(0, 2, 3, 1)


@pytest.mark.parametrize("kernel,strides,padding,dilation", GRID)
def test_conv2d_matches_torch(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 11, 9, 3), (kernel, kernel, 3, 4), (4,)], seed=kernel)
    check_op(lambda x, k, b: conv.conv2d(x, k, b, strides, padding, dilation),
             lambda x, k, b: torch_conv2d(x, k, b, strides, padding, dilation),
             [x, k, b], finite_differences=False)


@pytest.mark.parametrize("kernel,strides,padding,dilation", GRID)
def test_conv2d_fused_equals_composite_in_float64(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 10, 11, 3), (kernel, kernel, 3, 2), (2,)], seed=5)
    results = []
    for fn in (conv.conv2d, conv.conv2d_composite):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs, strides=strides, padding=padding, dilation_rate=dilation)
        y.backward(np.random.default_rng(1).standard_normal(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel,strides,padding", [(3, 1, "valid"), (2, 2, "same"),
                                                     (1, 1, "valid")])
def test_conv2d_fused_relu_equals_relu_of_composite_in_float64(kernel, strides, padding):
    x, k, b = random_inputs([(2, 6, 7, 3), (kernel, kernel, 3, 4), (4,)], seed=6)
    results = []
    for fn in (lambda *a: conv.conv2d(*a, strides, padding, relu=True),
               lambda *a: relu(conv.conv2d_composite(*a, strides, padding))):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs)
        y.backward(np.random.default_rng(1).standard_normal(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    assert np.mean(results[0][0] == 0) > 0.2  # the ReLU cuts a good part of the outputs
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)
    gradcheck(lambda x, k, b: conv.conv2d(x, k, b, strides, padding, relu=True), x, k, b)


@pytest.mark.parametrize("kernel,strides,padding,dilation", [
    (3, 1, "valid", 1), (2, 2, "same", 1), (3, 2, "same", 2), (1, 1, "valid", 1),
])
def test_conv2d_gradcheck(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 5, 6, 2), (kernel, kernel, 2, 3), (3,)], seed=7)
    gradcheck(lambda x, k, b: conv.conv2d(x, k, b, strides, padding, dilation), x, k, b)


def test_conv2d_non_square_kernel_strides_and_explicit_padding():
    x, k = random_inputs([(2, 9, 8, 2), (2, 3, 2, 3)], seed=8)
    pads = ((1, 2), (0, 1))

    def theirs(x, k):
        xt = F.pad(x.permute(0, 3, 1, 2), (0, 1, 1, 2))
        return F.conv2d(xt, k.permute(3, 2, 0, 1), stride=(2, 1)).permute(0, 2, 3, 1)

    check_op(lambda x, k: conv.conv2d(x, k, None, (2, 1), pads), theirs, [x, k])


def test_conv2d_skips_input_gradient_of_a_constant_image():
    x, k = random_inputs([(2, 6, 6, 3), (3, 3, 3, 4)], seed=9)
    image, kernel = Tensor(x), Tensor(k, requires_grad=True)
    conv.conv2d(image, kernel).sum().backward()
    assert image.grad is None and kernel.grad.shape == (3, 3, 3, 4)


def test_conv2d_keeps_float32():
    x, k, b = (a.astype(np.float32) for a in random_inputs([(1, 5, 5, 2), (3, 3, 2, 2), (2,)]))
    y = conv.conv2d(Tensor(x, requires_grad=True), Tensor(k, requires_grad=True),
                    Tensor(b, requires_grad=True), 1, "same")
    assert y.dtype == np.float32


@pytest.mark.parametrize("kernel,strides,padding,dilation", [
    (3, 1, "valid", 1), (3, 2, "same", 1), (2, 1, "causal", 2), (5, 1, "causal", 1),
    (4, 2, "same", 1), (1, 1, "valid", 1),
])
def test_conv1d_matches_torch(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 13, 3), (kernel, 3, 4), (4,)], seed=kernel + 20)

    def theirs(x, k, b):
        if padding == "causal":
            left, right = (kernel - 1) * dilation, 0
        else:
            left, right = conv.conv_pads((13,), (kernel,), (strides,), (dilation,), padding)[0]
        xt = F.pad(x.permute(0, 2, 1), (left, right))
        return F.conv1d(xt, k.permute(2, 1, 0), b, stride=strides,
                        dilation=dilation).permute(0, 2, 1)

    check_op(lambda x, k, b: conv.conv1d(x, k, b, strides, padding, dilation), theirs,
             [x, k, b], finite_differences=kernel <= 3)


TRANSPOSE_GRID = [
    (k, s, p, a, d)
    for k, s, p, d in GRID
    for a in ([None, 0, 1] if s == 2 else [None, 0])
    if not (s > 1 and d > 1)
]


@pytest.mark.parametrize("kernel,strides,padding,output_padding,dilation", TRANSPOSE_GRID)
def test_conv2d_transpose_matches_torch(kernel, strides, padding, output_padding, dilation):
    x, k, b = random_inputs([(2, 5, 4, 3), (kernel, kernel, 2, 3), (2,)], seed=kernel + 30)
    check_op(lambda x, k, b: conv.conv2d_transpose(x, k, b, strides, padding, output_padding,
                                                   dilation),
             lambda x, k, b: torch_conv2d_transpose(x, k, b, strides, padding,
                                                    output_padding, dilation),
             [x, k, b], finite_differences=False)


@pytest.mark.parametrize("kernel,strides,padding,output_padding,dilation", TRANSPOSE_GRID)
def test_conv2d_transpose_fused_equals_composite_in_float64(kernel, strides, padding,
                                                             output_padding, dilation):
    x, k, b = random_inputs([(2, 4, 5, 3), (kernel, kernel, 2, 3), (2,)], seed=31)
    results = []
    for fn in (conv.conv2d_transpose, conv.conv2d_transpose_composite):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs, strides=strides, padding=padding, output_padding=output_padding,
               dilation_rate=dilation)
        y.backward(np.random.default_rng(2).standard_normal(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)


def test_conv2d_transpose_gradcheck():
    x, k, b = random_inputs([(1, 3, 4, 2), (3, 3, 2, 2), (2,)], seed=32)
    gradcheck(lambda x, k, b: conv.conv2d_transpose(x, k, b, 2, "same", 1), x, k, b)


@pytest.mark.parametrize("kernel,strides,padding,size,expected", [
    (1, 2, "valid", 2, 4), (2, 2, "valid", 2, 4), (3, 2, "valid", 2, 5), (3, 2, "same", 2, 4),
    (3, 1, "valid", 5, 7), (3, 1, "same", 5, 5), (4, 2, "same", 3, 6), (5, 3, "valid", 3, 11),
])
def test_conv2d_transpose_output_sizes_are_keras(kernel, strides, padding, size, expected):
    x = Tensor(np.ones((1, size, size, 1)))
    y = conv.conv2d_transpose(x, Tensor(np.ones((kernel, kernel, 1, 1))), None, strides,
                              padding)
    assert y.shape == (1, expected, expected, 1)


@pytest.mark.parametrize("kernel,strides,padding", [(3, 2, "same"), (3, 1, "valid"),
                                                     (2, 2, "valid"), (4, 2, "same")])
def test_conv2d_transpose_is_the_adjoint_of_conv2d(kernel, strides, padding):
    """<conv2d(x), y> = <x, conv2d_transpose(y)> for the same kernel."""
    rng = np.random.default_rng(33)
    k = rng.standard_normal((kernel, kernel, 3, 2))
    y = rng.standard_normal((2, 4, 5, 2))
    out = conv.conv2d_transpose(Tensor(y, dtype="float64"), Tensor(k, dtype="float64"), None,
                                strides, padding)
    x = rng.standard_normal(out.shape[:3] + (3,))
    forward = conv.conv2d(Tensor(x, dtype="float64"), Tensor(k, dtype="float64"), None,
                          strides, padding)
    assert forward.shape == y.shape
    np.testing.assert_allclose(np.sum(forward.data * y), np.sum(x * out.data), rtol=1e-12)


@pytest.mark.parametrize("kernel,strides,padding,multiplier,dilation", [
    (3, 1, "valid", 1, 1), (3, 2, "same", 2, 1), (2, 1, "same", 1, 2), (5, 1, "same", 3, 1),
])
def test_depthwise_conv2d_matches_torch(kernel, strides, padding, multiplier, dilation):
    x, k, b = random_inputs([(2, 8, 7, 3), (kernel, kernel, 3, multiplier), (3 * multiplier,)],
                            seed=40 + kernel)

    def theirs(x, k, b):
        (top, bottom), (left, right) = conv.conv_pads(x.shape[1:3], (kernel, kernel),
                                                      (strides,) * 2, (dilation,) * 2, padding)
        xt = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
        weight = k.permute(2, 3, 0, 1).reshape(3 * multiplier, 1, kernel, kernel)
        return F.conv2d(xt, weight, b, stride=strides, dilation=dilation,
                        groups=3).permute(0, 2, 3, 1)

    check_op(lambda x, k, b: conv.depthwise_conv2d(x, k, b, strides, padding, dilation),
             theirs, [x, k, b], finite_differences=False)


@pytest.mark.parametrize("strides,padding,multiplier", [(1, "valid", 1), (2, "same", 2)])
def test_depthwise_conv2d_fused_equals_composite_and_gradcheck(strides, padding, multiplier):
    x, k, b = random_inputs([(2, 5, 6, 2), (3, 3, 2, multiplier), (2 * multiplier,)], seed=41)
    results = []
    for fn in (conv.depthwise_conv2d, conv.depthwise_conv2d_composite):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs, strides=strides, padding=padding)
        y.backward(np.random.default_rng(3).standard_normal(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)
    gradcheck(lambda x, k, b: conv.depthwise_conv2d(x, k, b, strides, padding), x, k, b)


@pytest.mark.parametrize("call,message", [
    (lambda: conv.conv2d(np.ones((5, 5, 3)), np.ones((3, 3, 3, 2))), r"rank 4.*\(5, 5, 3\)"),
    (lambda: conv.conv2d(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 2))),
     r"3 channels.*\(1, 5, 5, 3\).*\(3, 3, 2, 2\) expects 2"),
    (lambda: conv.conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1))), "smaller than"),
    (lambda: conv.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 2)), np.ones(3)),
     r"bias of shape \(2,\)"),
    (lambda: conv.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 2)), padding="full"),
     "'valid' or 'same'"),
    (lambda: conv.conv1d(np.ones((1, 5, 5, 1)), np.ones((3, 1, 2))), r"rank 3"),
    (lambda: conv.conv2d_transpose(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 2))),
     r"3 channels"),
    (lambda: conv.conv2d_transpose(np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 2)), None, 2,
                                   "same", 2), "output_padding"),
])
def test_conv_errors_name_expected_and_actual_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_conv2d_reads_a_channel_axis_added_with_none_correctly():
    """``x[..., None]`` gives the channel axis a stride of 0 yet NumPy still calls the array
    C-contiguous; the windows must use the true element stride."""
    from dlpath.engine import Tensor
    from dlpath.engine.conv import conv2d

    rng = np.random.default_rng(7)
    images = rng.random((4, 9, 9)).astype(np.float32)
    added = images[..., None]  # strides (.., .., 4, 0)
    kernel = Tensor(rng.standard_normal((3, 3, 1, 5)).astype(np.float32))
    expected = conv2d(Tensor(np.ascontiguousarray(added).copy()), kernel).data
    np.testing.assert_array_equal(conv2d(Tensor(added), kernel).data, expected)
