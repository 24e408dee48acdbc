"""conv3d against PyTorch (values and gradients), finite differences, fused == composite."""

import itertools

import numpy as np
import pytest
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine import conv3d
from reference import check_op, random_inputs

GRID = list(itertools.product([1, 2, 3], [1, 2], ["valid", "same"], [1, 2]))


def torch_conv3d(x, k, b, strides, padding, dilation):
    """Keras conv3d in PyTorch: NDHWC -> NCDHW, (kd, kh, kw, in, out) -> (out, in, kd, kh, kw),
    Keras' (possibly asymmetric) 'same' padding done by F.pad."""
    s3, d3 = conv3d.triple_of(strides, "s", "t"), conv3d.triple_of(dilation, "d", "t")
    pads = conv3d.volume_pads(x.shape[1:4], k.shape[:3], s3, d3, padding)
    flat = [p for pair in reversed(pads) for p in pair]  # (left, right, top, bottom, ...)
    xt = F.pad(x.permute(0, 4, 1, 2, 3), flat)
    y = F.conv3d(xt, k.permute(4, 3, 0, 1, 2), b, stride=s3, dilation=d3)
    return y.permute(0, 2, 3, 4, 1)


@pytest.mark.parametrize("kernel,strides,padding,dilation", GRID)
def test_conv3d_matches_torch(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 6, 7, 5, 3), (kernel, kernel, kernel, 3, 4), (4,)],
                            seed=kernel)
    check_op(lambda x, k, b: conv3d.conv3d(x, k, b, strides, padding, dilation),
             lambda x, k, b: torch_conv3d(x, k, b, strides, padding, dilation),
             [x, k, b], finite_differences=False)


@pytest.mark.parametrize("kernel,strides,padding", [((1, 2, 3), (2, 1, 3), "same"),
                                                     ((3, 1, 2), (1, 2, 1), "valid")])
def test_conv3d_uneven_kernel_and_strides_match_torch(kernel, strides, padding):
    x, k = random_inputs([(1, 5, 6, 7, 2), kernel + (2, 3)], seed=2)
    check_op(lambda x, k: conv3d.conv3d(x, k, None, strides, padding),
             lambda x, k: torch_conv3d(x, k, None, strides, padding, 1),
             [x, k], finite_differences=False)


@pytest.mark.parametrize("kernel,strides,padding,dilation", [(2, 1, "same", 1),
                                                              (3, 2, "same", 1),
                                                              (2, 1, "valid", 2)])
def test_conv3d_fused_equals_composite_in_float64(kernel, strides, padding, dilation):
    x, k, b = random_inputs([(2, 5, 6, 5, 2), (kernel,) * 3 + (2, 3), (3,)], seed=5)
    results = []
    for fn in (conv3d.conv3d, conv3d.conv3d_composite):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs, strides=strides, padding=padding, dilation_rate=dilation)
        y.backward(np.random.default_rng(1).standard_normal(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("strides,padding", [(1, "same"), (2, "valid")])
def test_conv3d_gradcheck(strides, padding):
    x, k, b = random_inputs([(1, 4, 3, 4, 2), (2, 2, 2, 2, 2), (2,)], seed=6)
    gradcheck(lambda x, k, b: conv3d.conv3d(x, k, b, strides, padding), x, k, b)


def test_conv3d_keeps_float32_and_errors_name_shapes():
    x = Tensor(np.ones((1, 3, 3, 3, 2), np.float32))
    assert conv3d.conv3d(x, np.ones((2, 2, 2, 2, 1), np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match=r"rank 5.*\(3, 3, 3, 2\)"):
        conv3d.conv3d(np.ones((3, 3, 3, 2)), np.ones((2, 2, 2, 2, 1)))
    with pytest.raises(ValueError, match=r"2 channels.*expects 3"):
        conv3d.conv3d(x, np.ones((2, 2, 2, 3, 1)))
    with pytest.raises(ValueError, match=r"smaller than the dilated kernel"):
        conv3d.conv3d(x, np.ones((4, 1, 1, 2, 1)))
    with pytest.raises(ValueError, match=r"bias of shape \(1,\)"):
        conv3d.conv3d(x, np.ones((2, 2, 2, 2, 1)), np.ones(2))
    with pytest.raises(ValueError, match=r"strides must be"):
        conv3d.conv3d(x, np.ones((2, 2, 2, 2, 1)), strides=(1, 2))
