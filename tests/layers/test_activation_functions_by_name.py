"""Every activation Keras names resolves, and equals PyTorch's twin in value and gradient."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import activations
from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Dense

TWINS = {
    "selu": F.selu, "softsign": F.softsign, "swish": F.silu, "silu": F.silu,
    "hard_sigmoid": F.hardsigmoid, "hard_silu": F.hardswish, "hard_swish": F.hardswish,
    "relu6": F.relu6, "exponential": torch.exp, "mish": F.mish,
}
# Points away from the kinks of the piecewise functions (±3, 0, 6), where the
# derivative is not defined and finite differences disagree with either side.
X = np.array([[-4.1, -2.3, -0.7, 0.4, 1.9, 2.6], [3.4, 5.2, 6.5, -1.3, 0.9, -5.0]])


@pytest.mark.parametrize("name", sorted(TWINS))
def test_activation_equals_torch_in_value_and_gradient(name):
    fn = activations.get(name)
    x = Tensor(X.astype(np.float32), requires_grad=True)
    y = fn(x)
    y.sum().backward()
    reference = torch.tensor(X, dtype=torch.float32, requires_grad=True)
    expected = TWINS[name](reference)
    expected.sum().backward()
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_activation_gradients_pass_finite_differences(name):
    fn = activations.get(name)
    assert gradcheck(lambda t: fn(t), [Tensor(X, requires_grad=True)])


@pytest.mark.parametrize("name", sorted(TWINS))
def test_a_layer_given_the_name_keeps_it_in_its_config(name):
    layer = Dense(3, activation=name)
    config = layer.get_config()
    assert activations.get(config["activation"]) is activations.get(name)
