"""Checks of the dense-forward lab: z = W a + b and the activations against dlpath's engine
(matmul, activations), on random shapes, batch 1, float32, large inputs and a small MLP."""

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.engine import activations as engine
from dlpath.path.labs.checking import Case, check, fail

FUNCTIONS = ["activate", "dense_forward", "mlp_forward"]
ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid")


def _engine_activation(z, name):
    return getattr(engine, name)(Tensor(z, dtype=z.dtype)).data


def _engine_dense(W, a, b, activation):
    """z and h by dlpath's engine: matmul, broadcasting add, activation."""
    dtype = a.dtype
    z = ops.matmul(Tensor(W, dtype=dtype), Tensor(a, dtype=dtype)) + Tensor(b, dtype=dtype)
    return z.data, getattr(engine, activation)(z).data


def _layer(rng, n_in, n_out, dtype=np.float64):
    W = rng.normal(0, 1, size=(n_out, n_in)).astype(dtype)
    b = rng.normal(0, 1, size=(n_out, 1)).astype(dtype)
    return W, b


def _expect_pair(case, result):
    if not isinstance(result, tuple) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    return result


def _check_layer(learner, W, a, b, activation, rtol, atol):
    case = Case(learner.dense_forward, f"W {W.shape}, a {a.shape}, b {b.shape}, "
                                       f"{activation}, {a.dtype}")
    z, h = _expect_pair(case, case.call(W, a, b, activation))
    z_expected, h_expected = _engine_dense(W, a, b, activation)
    product = (W @ a).astype(np.float64)
    z_mistakes = {"forgot_bias": product}
    if W.shape[0] == a.shape[1]:  # b added as a row still broadcasts when out == batch
        z_mistakes["bias_as_row"] = product + b.reshape(1, -1)
        z_mistakes["row_convention"] = z_expected.T
    case.expect_close("z", z, z_expected, rtol=rtol, atol=atol, mistakes=z_mistakes)
    h_mistakes = {}
    if activation != "linear":
        h_mistakes["activation_not_applied"] = z_expected
        h_mistakes["activation_before_bias"] = _engine_activation(W @ a, activation) + b
    case.expect_close("h", h, h_expected, rtol=rtol, atol=atol, mistakes=h_mistakes)
    return z, h


@check("activations")
def activations(learner, rng):
    for name in ACTIVATIONS:
        shape = tuple(int(n) for n in rng.integers(1, 6, size=2))
        z = rng.normal(0, 3, size=shape)
        case = Case(learner.activate, f'z of shape {shape}, "{name}"')
        mistakes = {"sigmoid_sign": 1 / (1 + np.exp(z))} if name == "sigmoid" else {}
        case.expect_close(f'activate(z, "{name}")', case.call(z, name),
                          _engine_activation(z, name), rtol=1e-7, atol=1e-10,
                          mistakes=mistakes)
    z = rng.normal(0, 1, size=(2, 3))
    for name in ("softmax", "Relu"):
        try:
            learner.activate(z, name)
        except ValueError:
            continue
        except NotImplementedError:
            fail("not_implemented", name="activate")
        except Exception as error:
            fail("unknown_name_wrong_error", error=type(error).__name__, activation=name)
        fail("unknown_name_accepted", activation=name)


@check("values")
def values(learner, rng):
    n_in, n_out, batch = (int(n) for n in rng.integers(2, 7, size=3))
    batch = n_out + 1 if batch == n_out else batch
    # First out == batch: a bias added along the wrong axis still broadcasts there, and is
    # named; with out != batch the same mistake raises.
    W, b = _layer(rng, n_in, n_out)
    _check_layer(learner, W, rng.normal(0, 1, size=(n_in, n_out)), b, "tanh", 1e-7, 1e-10)
    for activation in ACTIVATIONS:
        W, b = _layer(rng, n_in, n_out)
        a = rng.normal(0, 1, size=(n_in, batch))
        _check_layer(learner, W, a, b, activation, rtol=1e-7, atol=1e-10)


@check("batch-of-one")
def batch_of_one(learner, rng):
    for n_in in (1, int(rng.integers(2, 6))):
        W, b = _layer(rng, n_in, int(rng.integers(1, 5)))
        a = rng.normal(0, 1, size=(n_in, 1))
        _check_layer(learner, W, a, b, "relu", rtol=1e-7, atol=1e-10)


@check("dtype")
def dtype(learner, rng):
    for activation in ACTIVATIONS:
        W, b = _layer(rng, 3, 4, np.float32)
        a = rng.normal(0, 1, size=(3, 5)).astype(np.float32)
        case = Case(learner.dense_forward, f"W, a, b float32, {activation}")
        z, h = _expect_pair(case, case.call(W, a, b, activation))
        case.expect_dtype("z", z, np.float32)
        case.expect_dtype("h", h, np.float32)
        _check_layer(learner, W, a, b, activation, rtol=1e-5, atol=1e-6)


@check("large-inputs")
def large_inputs(learner, rng):
    W = np.array([[1.0], [-1.0]])
    a = np.array([[1000.0, 50.0, -3.0, 0.0, -1000.0]])
    b = np.zeros((2, 1))
    case = Case(learner.dense_forward, "z = [+-1000, +-50, -+3, 0, -+1000], sigmoid")
    with np.errstate(all="ignore"):
        _, h = _expect_pair(case, case.call(W, a, b, "sigmoid"))
    h = case.expect_array("h", h)
    if h.shape == (2, 5) and not np.isfinite(h).all():
        case.fail("sigmoid_overflow")
    _check_layer(learner, W, a, b, "sigmoid", rtol=1e-7, atol=1e-12)


@check("mlp")
def mlp(learner, rng):
    sizes = [int(n) for n in rng.integers(2, 6, size=4)]
    names = ["relu", "tanh", "sigmoid"]
    layers = []
    for n_in, n_out, name in zip(sizes[:-1], sizes[1:], names):
        W, b = _layer(rng, n_in, n_out)
        layers.append((W, b, name))
    x = rng.normal(0, 1, size=(sizes[0], int(rng.integers(1, 6))))
    expected = linear = x
    for W, b, name in layers:
        expected = _engine_dense(W, expected, b, name)[1]
        linear = W @ linear + b
    first = _engine_dense(layers[0][0], x, layers[0][1], layers[0][2])[1]
    case = Case(learner.mlp_forward, f"3 layers {' -> '.join(map(str, sizes))} "
                                     f"({', '.join(names)}), batch {x.shape[1]}")
    case.expect_close("the output", case.call(layers, x), expected, rtol=1e-7, atol=1e-10,
                      mistakes={"activations_ignored": linear, "first_layer_only": first})
