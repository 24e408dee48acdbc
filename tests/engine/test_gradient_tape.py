"""GradientTape: the same gradients as Tensor.backward and torch.autograd, TF's structure and
one-call rules, watch, unconnected sources, jacobians, and no .grad left behind."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpath.engine import GradientTape, Tensor, Variable
from dlpath.engine.tape import UnconnectedGradients
from dlpath.layers import LSTM, Conv2D, Dense


def _backward_grads(loss_fn, variables):
    for v in variables:
        v.grad = None
    loss_fn().backward()
    grads = [v.grad.copy() for v in variables]
    for v in variables:
        v.grad = None
    return grads


@pytest.mark.parametrize("make", [
    lambda: (Dense(4, activation="tanh"), (3, 5)),
    lambda: (Conv2D(2, 3, activation="relu"), (2, 6, 6, 3)),
    lambda: (LSTM(3), (2, 4, 5)),
], ids=["dense", "conv", "lstm"])
def test_tape_gradients_equal_backward_on_layers(make):
    layer, shape = make()
    x = Tensor(np.random.default_rng(0).standard_normal(shape))
    layer(x)
    variables = layer.trainable_variables

    def loss():
        return (layer(x) ** 2).mean()

    expected = _backward_grads(loss, variables)
    with GradientTape() as tape:
        value = loss()
    grads = tape.gradient(value, variables)
    assert isinstance(grads, list) and len(grads) == len(variables)
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_tape_matches_torch_autograd_on_an_mlp():
    rng = np.random.default_rng(1)
    x, w1, w2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    ours = [Variable(a, dtype="float64") for a in (w1, w2)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (w1, w2)]
    with GradientTape() as tape:
        loss = ((Tensor(x, dtype="float64") @ ours[0]).tanh() @ ours[1]).exp().sum()
    grads = tape.gradient(loss, {"w1": ours[0], "w2": ours[1]})
    torch.exp(torch.tanh(torch.tensor(x) @ theirs[0]) @ theirs[1]).sum().backward()
    assert set(grads) == {"w1", "w2"}
    np.testing.assert_allclose(grads["w1"].numpy(), theirs[0].grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["w2"].numpy(), theirs[1].grad.numpy(), rtol=1e-10)


def test_tape_leaves_existing_grads_untouched():
    w = Variable(np.ones((2, 2)))
    w.grad = np.full((2, 2), 7.0, dtype=np.float32)
    with GradientTape() as tape:
        loss = (w * 3.0).sum()
    (grad,) = tape.gradient(loss, [w])
    np.testing.assert_allclose(grad.numpy(), 3.0)
    np.testing.assert_allclose(w.grad, 7.0)
    other = Variable(np.ones(2))
    with GradientTape() as tape:
        loss = (w.sum() * other).sum()
    tape.gradient(loss, w)
    assert other.grad is None


def test_nested_structures_and_unconnected_sources():
    a, b, c = Variable([1.0, 2.0]), Variable([3.0]), Variable([5.0])
    with GradientTape(persistent=True) as tape:
        y = (a * a).sum() + b.sum() * 2
    grads = tape.gradient(y, {"x": [a, (b, c)]})
    np.testing.assert_allclose(grads["x"][0].numpy(), [2.0, 4.0])
    np.testing.assert_allclose(grads["x"][1][0].numpy(), [2.0])
    assert isinstance(grads["x"][1], tuple) and grads["x"][1][1] is None
    zero = tape.gradient(y, c, unconnected_gradients=UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(zero.numpy(), [0.0])
    assert tape.gradient(y, c, unconnected_gradients="zero").shape == (1,)
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, c, unconnected_gradients="ones")


def test_non_persistent_tape_gives_one_gradient():
    w = Variable([2.0])
    with GradientTape() as tape:
        y = (w * w).sum()
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [4.0])
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, w)


def test_persistent_tape_gives_many_gradients():
    w = Variable([2.0])
    with GradientTape(persistent=True) as tape:
        y = (w * w).sum()
        z = (w * w * w).sum()
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [4.0])
    np.testing.assert_allclose(tape.gradient(z, w).numpy(), [12.0])
    np.testing.assert_allclose(tape.gradient([y, z], w).numpy(), [16.0])


def test_watch_a_constant_and_restore_it_after_the_block():
    x = Tensor([3.0, 4.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = (x * x).sum()
    assert not x.requires_grad
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [6.0, 8.0])
    with GradientTape() as tape:
        y = (x * x).sum()
    assert tape.gradient(y, x) is None


def test_watch_accessed_variables_false_only_answers_watched():
    a, b = Variable([1.0]), Variable([2.0])
    with GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = (a * b).sum()
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_allclose(ga.numpy(), [2.0])
    assert gb is None


def test_gradient_to_an_intermediate_tensor_and_output_gradients():
    w = Variable([1.0, 2.0])
    with GradientTape() as tape:
        h = w * 3.0
        y = h * h
    gh = tape.gradient(y, h, output_gradients=[np.array([1.0, 0.5])])
    np.testing.assert_allclose(gh.numpy(), [6.0, 6.0])
    assert h.grad is None and not h._retains_grad


def test_stop_recording_cuts_the_graph():
    w = Variable([2.0])
    with GradientTape() as tape:
        with tape.stop_recording():
            frozen = w * 10.0
        y = (w * frozen).sum()
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [20.0])


def test_jacobian_and_batch_jacobian():
    x = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), dtype="float64")
    with GradientTape(persistent=True) as tape:
        y = x * x
    jac = tape.jacobian(y, x)
    assert jac.shape == (2, 2, 2, 2)
    expected = np.zeros((2, 2, 2, 2))
    for i in range(2):
        for j in range(2):
            expected[i, j, i, j] = 2 * x.data[i, j]
    np.testing.assert_allclose(jac.numpy(), expected)
    batch = tape.batch_jacobian(y, x)
    np.testing.assert_allclose(batch.numpy(), expected[[0, 1], :, [0, 1], :])


def test_bad_arguments_are_named():
    w = Variable([1.0])
    with GradientTape(persistent=True) as tape:
        y = (w * 2).sum()
    with pytest.raises(TypeError, match="sources"):
        tape.gradient(y, np.ones(1))
    with pytest.raises(ValueError, match="output gradient has shape"):
        tape.gradient(y, w, output_gradients=[np.ones(3)])


def test_second_order_raises_a_clear_error_instead_of_a_silent_zero():
    w = Variable([3.0])
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = (w * w * w).sum()
        dy = inner.gradient(y, w)
        np.testing.assert_allclose(dy.numpy(), [27.0])
        z = dy.sum()
    with pytest.raises(NotImplementedError, match="second order"):
        outer.gradient(z, w)


def test_custom_training_loop_lowers_the_loss():
    from dlpath import keras

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype("float32")
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model(x)
    optimizer = keras.optimizers.Adam(learning_rate=0.05)
    losses = []
    for _ in range(30):
        with GradientTape() as tape:
            loss = ((model(x, training=True) - y) ** 2).mean()
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
    assert all(v.grad is None for v in model.trainable_variables)
