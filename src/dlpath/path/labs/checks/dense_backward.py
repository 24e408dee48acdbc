"""Checks of the dense-backward lab: dW, db, da and the delta recursion against dlpath's
autograd and finite differences, on random and square shapes, batch 1 and float32."""

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.engine import activations as engine
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["dense_backward", "activation_grad", "backprop_delta"]
ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid")


def _leaf(array):
    return Tensor(array, requires_grad=True, dtype=array.dtype)


def _engine_layer_grads(delta, a, W):
    """dW, db, da of L = sum(z * delta), z = W a + b, by dlpath's autograd."""
    b = np.zeros((W.shape[0], 1), dtype=a.dtype)
    tW, ta, tb = _leaf(W), _leaf(a), _leaf(b)
    z = ops.matmul(tW, ta) + tb
    (z * Tensor(delta, dtype=a.dtype)).sum().backward()
    return tW.grad, tb.grad, ta.grad


def _engine_delta(W_next, delta_next, z, activation):
    """dL/dz of L = sum((W_next sigma(z)) * delta_next), by autograd."""
    tz = _leaf(z)
    h = getattr(engine, activation)(tz)
    (ops.matmul(Tensor(W_next, dtype=z.dtype), h) * Tensor(delta_next, dtype=z.dtype)) \
        .sum().backward()
    return tz.grad


def _expect_triple(case, result):
    if not isinstance(result, tuple) or len(result) != 3:
        case.fail("not_a_triple", type=type(result).__name__)
    return result


def _check_layer(learner, delta, a, W, rtol=1e-7, atol=1e-10):
    out, batch = delta.shape
    n_in = a.shape[0]
    case = Case(learner.dense_backward, f"delta {delta.shape}, a {a.shape}, W {W.shape}, "
                                        f"{a.dtype}")
    dW, db, da = _expect_triple(case, case.call(delta, a, W))
    dW_expected, db_expected, da_expected = _engine_layer_grads(delta, a, W)
    d, x, w = (v.astype(np.float64) for v in (delta, a, W))
    dW_mistakes = {"dW_mean": d @ x.T / batch}
    if out == n_in:
        dW_mistakes["dW_swapped"] = x @ d.T
    if batch == n_in:
        dW_mistakes["dW_no_transpose"] = d @ x
    case.expect_close("dW", dW, dW_expected, rtol=rtol, atol=atol, mistakes=dW_mistakes)
    db_mistakes = {"db_not_summed": d, "db_no_keepdims": d.sum(axis=1),
                   "db_wrong_axis": d.sum(axis=0, keepdims=True),
                   "db_wrong_axis_flat": d.sum(axis=0), "db_mean": d.mean(axis=1, keepdims=True)}
    case.expect_close("db", db, db_expected, rtol=rtol, atol=atol, mistakes=db_mistakes)
    da_mistakes = {"da_mean": w.T @ d / batch}
    if out == n_in:
        da_mistakes["da_no_transpose"] = w @ d
    case.expect_close("da", da, da_expected, rtol=rtol, atol=atol, mistakes=da_mistakes)
    return dW, db, da


@check("square-shapes")
def square_shapes(learner, rng):
    # First out == in == batch: a wrong transpose keeps the shape, runs, and is named.
    n = int(rng.integers(2, 6))
    _check_layer(learner, rng.normal(0, 1, size=(n, n)), rng.normal(0, 1, size=(n, n)),
                 rng.normal(0, 1, size=(n, n)))


@check("layer-gradients")
def layer_gradients(learner, rng):
    n_in, out, batch = (int(n) for n in rng.choice(np.arange(2, 8), size=3, replace=False))
    for _ in range(2):
        delta = rng.normal(0, 1, size=(out, batch))
        _check_layer(learner, delta, rng.normal(0, 1, size=(n_in, batch)),
                     rng.normal(0, 1, size=(out, n_in)))


@check("batch-of-one")
def batch_of_one(learner, rng):
    n_in, out = (int(n) for n in rng.integers(1, 6, size=2))
    _check_layer(learner, rng.normal(0, 1, size=(out, 1)), rng.normal(0, 1, size=(n_in, 1)),
                 rng.normal(0, 1, size=(out, n_in)))


@check("dtype")
def dtype(learner, rng):
    delta = rng.normal(0, 1, size=(3, 4)).astype(np.float32)
    a = rng.normal(0, 1, size=(5, 4)).astype(np.float32)
    W = rng.normal(0, 1, size=(3, 5)).astype(np.float32)
    case = Case(learner.dense_backward, "delta, a, W float32")
    for name, value in zip(("dW", "db", "da"), _expect_triple(case, case.call(delta, a, W))):
        case.expect_dtype(name, value, np.float32)
    _check_layer(learner, delta, a, W, rtol=1e-5, atol=1e-6)
    z = rng.normal(0, 2, size=(3, 4)).astype(np.float32)
    for activation in ACTIVATIONS:
        case = Case(learner.activation_grad, f'z float32, "{activation}"')
        case.expect_dtype("sigma'(z)", case.call(z, activation), np.float32)


def _random_z(rng, shape):
    z = rng.normal(0, 2, size=shape)
    z[np.abs(z) < 1e-2] = 0.5  # keep finite differences away from relu's kink ...
    z.flat[0] = 0.0            # ... except one exact zero, where relu'(0) must be 0
    return z


@check("activation-derivatives")
def activation_derivatives(learner, rng):
    for activation in ACTIVATIONS:
        z = _random_z(rng, (int(rng.integers(2, 5)), int(rng.integers(2, 5))))
        case = Case(learner.activation_grad, f'z of shape {z.shape}, "{activation}"')
        grad = case.call(z, activation)
        expected = numerical_gradient(
            lambda v: float(getattr(engine, activation)(Tensor(v, dtype="float64")).data.sum()),
            z)
        if activation == "relu":
            expected.flat[0] = 0.0  # relu'(0) is 0 by convention, as in dlpath's engine
        h = getattr(engine, activation)(Tensor(z, dtype="float64")).data
        mistakes = {"relu_grad_at_zero": (z >= 0).astype(float)} if activation == "relu" else {}
        if activation != "linear":
            mistakes["activation_not_derivative"] = h
        case.expect_close(f"sigma'(z) for {activation}", grad, expected, rtol=1e-5, atol=1e-7,
                          mistakes=mistakes)


@check("delta-recursion")
def delta_recursion(learner, rng):
    out = int(rng.integers(2, 6))
    for out_next in (out, out + int(rng.integers(1, 3))):  # square first: transposes run
        for activation in ACTIVATIONS:
            batch = int(rng.integers(1, 5))
            W_next = rng.normal(0, 1, size=(out_next, out))
            delta_next = rng.normal(0, 1, size=(out_next, batch))
            z = _random_z(rng, (out, batch))
            case = Case(learner.backprop_delta, f"W_next {W_next.shape}, delta_next "
                                                f"{delta_next.shape}, z {z.shape}, {activation}")
            delta = case.call(W_next, delta_next, z, activation)
            back = W_next.T @ delta_next
            h = getattr(engine, activation)(Tensor(z, dtype="float64")).data
            mistakes = {}
            if activation != "linear":
                mistakes["forgot_activation_derivative"] = back
                mistakes["activation_not_derivative"] = back * h
            if out_next == out:
                prime = _engine_delta(np.eye(out), np.ones((out, batch)), z, activation)
                mistakes["delta_no_transpose"] = (W_next @ delta_next) * prime
            case.expect_close("delta", delta, _engine_delta(W_next, delta_next, z, activation),
                              rtol=1e-7, atol=1e-10, mistakes=mistakes)


@check("two-layer-network")
def two_layer_network(learner, rng):
    """Backpropagation through x -> dense -> tanh -> dense, loss sum((z2 - y)^2) / (2 batch):
    the learner's functions chained give dW1 of finite differences."""
    n_in, hidden, out, batch = 3, 4, 2, int(rng.integers(2, 5))
    x, y = rng.normal(0, 1, size=(n_in, batch)), rng.normal(0, 1, size=(out, batch))
    W1, b1 = rng.normal(0, 1, size=(hidden, n_in)), rng.normal(0, 1, size=(hidden, 1))
    W2, b2 = rng.normal(0, 1, size=(out, hidden)), rng.normal(0, 1, size=(out, 1))

    def loss(w1):
        z2 = W2 @ np.tanh(w1 @ x + b1) + b2
        return float(np.sum((z2 - y) ** 2) / (2 * batch))

    z1 = W1 @ x + b1
    h1 = np.tanh(z1)
    delta2 = (W2 @ h1 + b2 - y) / batch
    case = Case(learner.dense_backward, "layer 2 of a 3-4-2 network")
    _, _, dh1 = _expect_triple(case, case.call(delta2, h1, W2))
    numeric_h = numerical_gradient(
        lambda v: float(np.sum((W2 @ v + b2 - y) ** 2) / (2 * batch)), h1)
    case.expect_close("da = dL/dh1", dh1, numeric_h, rtol=1e-5, atol=1e-8)
    case = Case(learner.backprop_delta, "layer 1 of a 3-4-2 network, tanh")
    delta1 = case.call(W2, delta2, z1, "tanh")
    case = Case(learner.dense_backward, "layer 1 of a 3-4-2 network")
    dW1, db1, _ = _expect_triple(case, case.call(delta1, x, W1))
    numeric = numerical_gradient(loss, W1)
    case.expect_close("dW1", dW1, numeric, rtol=1e-5, atol=1e-8)
    numeric_b = numerical_gradient(
        lambda v: float(np.sum((W2 @ np.tanh(W1 @ x + v) + b2 - y) ** 2) / (2 * batch)), b1)
    case.expect_close("db1", db1, numeric_b, rtol=1e-5, atol=1e-8)
