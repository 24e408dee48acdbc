"""EinsumDense and the einsum op: values against np.einsum and torch.einsum, gradients
against PyTorch and by finite differences, Keras' kernel and bias shapes, config and
save/load round trips, errors that name the layer."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.einsum import einsum
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import EinsumDense
from harness import run_layer_test
from reference import check_op, random_inputs

EQUATIONS = [
    ("ab,bc->ac", [(2, 3), (3, 4)]),
    ("abc,cd->abd", [(2, 5, 3), (3, 4)]),
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 3)]),
    ("...b,bc->...c", [(2, 5, 3), (3, 4)]),
    ("ab...,bc->ac...", [(2, 3, 5, 6), (3, 4)]),
    ("abcd,cde->abe", [(2, 3, 4, 2), (4, 2, 5)]),
    ("ab,c->ac", [(2, 3), (4,)]),  # b is summed away in the input alone
    ("bij,bjk,k->bi", [(2, 3, 4), (2, 4, 5), (5,)]),
]


@pytest.mark.parametrize("equation, shapes", EQUATIONS)
def test_einsum_matches_torch_and_gradcheck(equation, shapes):
    arrays = random_inputs(shapes, seed=len(equation))
    out = check_op(lambda *xs: einsum(equation, *xs),
                   lambda *xs: torch.einsum(equation, *xs), arrays)
    np.testing.assert_allclose(out.data, np.einsum(equation, *arrays), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, kernel, bias, out", [
    ("ab,bc->ac", 4, None, (2, 3), (3, 4), None, (2, 4)),
    ("ab,bc->ac", (4,), "c", (2, 3), (3, 4), (4,), (2, 4)),
    ("abc,cd->abd", (None, 6), "d", (2, 5, 3), (3, 6), (6,), (2, 5, 6)),
    ("abc,cd->abd", (None, 6), "b", (2, 5, 3), (3, 6), (5, 1), (2, 5, 6)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4), (2, 4), (2, 5, 2, 4)),
    ("...b,bc->...c", 4, "c", (2, 5, 6, 3), (3, 4), (4,), (2, 5, 6, 4)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 5), (3, 4), (4, 1), (2, 4, 5)),
    ("abcd,cde->abe", (3, 7), "e", (2, 3, 4, 2), (4, 2, 7), (7,), (2, 3, 7)),
])
def test_kernel_and_bias_shapes_follow_keras(equation, output_shape, bias_axes, input_shape,
                                             kernel, bias, out):
    layer, y = run_layer_test(EinsumDense, {"equation": equation, "output_shape": output_shape,
                                            "bias_axes": bias_axes}, input_shape, out,
                              1 if bias is None else 2)
    assert layer.kernel.shape == kernel
    assert (layer.bias is None) == (bias is None)
    if bias is not None:
        assert layer.bias.shape == bias


def test_values_and_gradients_match_torch_with_weights_copied():
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype(np.float32)
    layer = EinsumDense("abc,cde->abde", (None, 2, 4), bias_axes="de", activation="tanh",
                        bias_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    y = layer(inputs)
    xt = torch.tensor(x, requires_grad=True)
    kernel = torch.tensor(layer.kernel.data, requires_grad=True)
    bias = torch.tensor(layer.bias.data, requires_grad=True)
    expected = torch.tanh(torch.einsum("abc,cde->abde", xt, kernel) + bias)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    for ours, theirs in ((inputs.grad, xt), (layer.kernel.grad, kernel),
                         (layer.bias.grad, bias)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-4, atol=1e-5)
    double = EinsumDense("...b,bc->...c", 3, bias_axes="c", dtype="float64")
    gradcheck(lambda v: double(v), np.random.default_rng(2).standard_normal((2, 3, 4)))


def test_save_and_load(tmp_path):
    inputs = Input((5, 3))
    h = EinsumDense("abc,cde->abde", (None, 2, 4), bias_axes="de")(inputs)
    model = Model(inputs, EinsumDense("abcd,cde->abe", (5, 6), bias_axes="e")(h))
    x = np.random.default_rng(5).standard_normal((2, 5, 3)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert loaded.layers[1].get_config()["equation"] == "abc,cde->abde"


def test_errors_name_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"EinsumDense: equation 'ab->b' is not of the form"):
        EinsumDense("ab->b", 3)
    with pytest.raises(ValueError, match=r"'ed' \(EinsumDense\): output_shape \(3, 4\) has 2 "
                                         r"entries.*expects 1"):
        EinsumDense("ab,bc->ac", (3, 4), name="ed")(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"\(EinsumDense\): bias_axes 'z' must be letters"):
        EinsumDense("ab,bc->ac", 3, bias_axes="z")(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"\(EinsumDense\): axis 'b' is 5 in the input.*but 4"):
        EinsumDense("abc,cd->abd", (4, 2))(np.zeros((2, 5, 3), np.float32))
    layer = EinsumDense("ab,bc->ac", 3, name="fixed")
    layer(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"'fixed' \(EinsumDense\)"):
        layer(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"einsum: subscript 'b' of 'ab,bc->ac' has sizes 3 "
                                         r"and 4"):
        einsum("ab,bc->ac", np.zeros((2, 3)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"einsum: repeated subscripts"):
        einsum("aa->a", np.zeros((2, 2)))
