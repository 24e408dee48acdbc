"""Conv3DTranspose and its fused op against torch's conv_transpose3d (weights copied),
gradcheck in float64, harness, save/load and errors that name the layer."""

import numpy as np
import pytest
import torch.nn.functional as F

from dlpath.engine import conv, gradcheck
from dlpath.engine import Tensor
from dlpath.engine.conv3d_transpose import conv3d_transpose, conv3d_transpose_composite
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import Conv3DTranspose, Convolution3DTranspose
from harness import run_layer_test
from reference import check_op, random_inputs


def torch_conv3d_transpose(x, k, b, strides, padding, output_padding, dilation):
    """Keras' Conv3DTranspose in PyTorch: the full output (padding 0), zero-extended where
    an output_padding reaches past it (the bias still added there), then cropped."""
    full = F.conv_transpose3d(x.permute(0, 4, 1, 2, 3), k.permute(4, 3, 0, 1, 2), None,
                              stride=strides, dilation=dilation)  # (N, O, D, H, W)
    extra = [None] * 3 if output_padding is None else [output_padding[a] for a in range(3)]
    sizes = [conv.transpose_output_size(x.shape[1 + a], k.shape[a], strides[a], dilation[a],
                                        padding, extra[a]) for a in range(3)]
    pads = []
    for a in reversed(range(3)):
        length, top = sizes[a]
        pads += [0, max(top + length - full.shape[2 + a], 0)]
    full = F.pad(full, pads)
    index = (slice(None), slice(None)) + tuple(slice(t, t + n) for n, t in sizes)
    y = full[index] + (0 if b is None else b[None, :, None, None, None])
    return y.permute(0, 2, 3, 4, 1)


@pytest.mark.parametrize("kernel,strides,padding,dilation,output_padding", [
    ((2, 3, 1), (1, 1, 1), "valid", (1, 1, 1), None),
    ((3, 3, 3), (2, 2, 1), "same", (1, 1, 1), None),
    ((2, 3, 2), (2, 3, 2), "valid", (1, 1, 1), (1, 2, 0)),
    ((3, 2, 3), (2, 1, 2), "same", (1, 1, 1), (1, 0, 1)),
    ((2, 2, 2), (1, 1, 1), "same", (2, 1, 2), None),
    ((1, 1, 1), (3, 2, 2), "valid", (1, 1, 1), None),
])
def test_conv3d_transpose_matches_torch(kernel, strides, padding, dilation, output_padding):
    x, k, b = random_inputs([(2, 3, 4, 3, 2), kernel + (3, 2), (3,)], seed=sum(kernel))
    check_op(lambda x, k, b: conv3d_transpose(x, k, b, strides, padding, output_padding,
                                              dilation),
             lambda x, k, b: torch_conv3d_transpose(x, k, b, strides, padding,
                                                    output_padding, dilation),
             [x, k, b], finite_differences=False)


@pytest.mark.parametrize("strides,padding,output_padding,dilation", [
    ((1, 1, 1), "valid", None, (1, 1, 1)), ((2, 1, 3), "same", None, (1, 1, 1)),
    ((2, 2, 2), "valid", (1, 0, 1), (1, 1, 1)), ((1, 1, 1), "same", None, (2, 1, 2)),
])
def test_fused_equals_composite_in_float64(strides, padding, output_padding, dilation):
    x, k, b = random_inputs([(2, 3, 2, 3, 2), (2, 3, 2, 3, 2), (3,)], seed=7)
    results = []
    for fn in (conv3d_transpose, conv3d_transpose_composite):
        inputs = [Tensor(a, requires_grad=True, dtype="float64") for a in (x, k, b)]
        y = fn(*inputs, strides, padding, output_padding, dilation)
        y.backward(np.cos(np.arange(y.size)).reshape(y.shape))
        results.append([y.data] + [t.grad for t in inputs])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-10, atol=1e-12)


def test_conv3d_transpose_gradcheck_in_float64():
    x, k, b = random_inputs([(1, 2, 3, 2, 2), (2, 2, 3, 2, 2), (2,)], seed=3)
    gradcheck(lambda x, k, b: conv3d_transpose(x, k, b, (2, 1, 2), "same", (1, 0, 1)), x, k, b)


@pytest.mark.parametrize("kwargs, expected", [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 6, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 6, 8, 10, 3)),
    ({"filters": 2, "kernel_size": (1, 2, 3), "strides": (1, 2, 2), "output_padding": (0, 1, 1),
      "activation": "relu"}, (2, 3, 9, 12, 2)),
])
def test_harness(kwargs, expected):
    run_layer_test(Conv3DTranspose, kwargs, (2, 3, 4, 5, 2), expected, 2)


def test_layer_weights_alias_and_save_load(tmp_path):
    layer = Conv3DTranspose(4, (3, 2, 1), name="up3")
    layer(np.zeros((1, 2, 2, 2, 5), np.float32))
    assert [(w.name, w.shape) for w in layer.weights] == [("up3/kernel", (3, 2, 1, 4, 5)),
                                                          ("up3/bias", (4,))]
    assert Convolution3DTranspose is Conv3DTranspose
    inputs = Input((2, 3, 3, 2))
    model = Model(inputs, Conv3DTranspose(3, 2, strides=2, padding="same")(inputs))
    x = np.random.default_rng(5).standard_normal((2, 2, 3, 3, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.predict(x, verbose=0).shape == (2, 4, 6, 6, 3)


def test_errors_name_the_layer_argument_and_shapes():
    with pytest.raises(ValueError, match=r"'t3' \(Conv3DTranspose\).*rank 5.*\(2, 3, 4, 5\)"
                                         r".*\(batch, depth, height, width, channels\)"):
        Conv3DTranspose(2, 2, name="t3")(np.zeros((2, 3, 4, 5), np.float32))
    with pytest.raises(ValueError, match=r"Conv3DTranspose: output_padding must be 3"):
        Conv3DTranspose(2, 2, strides=2, output_padding=(2, 0, 0))
    with pytest.raises(ValueError, match=r"conv3d_transpose: the input has 4 channels"):
        conv3d_transpose(np.zeros((1, 2, 2, 2, 4)), np.zeros((2, 2, 2, 3, 2)))
