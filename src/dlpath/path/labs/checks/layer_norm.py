"""Checks of the layer-norm lab: forward and backward over the last axis against dlpath's
engine (dlpath.engine.normalization.layer_norm and its gradients) and finite differences,
on (B, D) and (B, T, D) inputs, independence from the other samples, float32 and
numerically hard inputs."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.normalization import layer_norm
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["layernorm_forward", "layernorm_backward"]


def _engine(x, gamma, beta, epsilon):
    return layer_norm(*(Tensor(a, dtype=x.dtype) for a in (x, gamma, beta)), (-1,),
                      epsilon).data


def _engine_grads(dy, x, gamma, epsilon):
    tensors = [Tensor(a, requires_grad=True, dtype=x.dtype)
               for a in (x, gamma, np.zeros_like(gamma))]
    layer_norm(*tensors, (-1,), epsilon).backward(dy)
    return tuple(t.grad for t in tensors)


def _inputs(rng, shape, dtype=np.float64):
    d = shape[-1]
    x = rng.standard_normal(shape) * rng.uniform(0.5, 3, shape[:-1] + (1,)) + rng.uniform(
        -2, 2, shape[:-1] + (1,))
    gamma = rng.uniform(0.5, 2, d) * rng.choice([-1, 1], d)
    beta = rng.standard_normal(d)
    return tuple(a.astype(dtype) for a in (x, gamma, beta))


def _normalize(x, gamma, beta, epsilon, axes=(-1,), ddof=0, outside=False):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=ddof)
    scale = np.sqrt(var) + epsilon if outside else np.sqrt(var + epsilon)
    return gamma * (x - mean) / scale + beta


def _describe(x, epsilon, note=""):
    return f"x {x.shape}, epsilon {epsilon}, {x.dtype}" + (f", {note}" if note else "")


def _expect_forward(learner, args, epsilon, note="", rtol=1e-7, atol=1e-9):
    x, gamma, beta = args
    case = Case(learner.layernorm_forward, _describe(x, epsilon, note))
    y = case.call(x, gamma, beta, epsilon)
    w = [a.astype(np.float64) for a in args]
    batch_axes = tuple(range(x.ndim - 1))
    mistakes = {
        "normalized_over_batch": _normalize(*w, epsilon, axes=batch_axes),
        "normalized_over_everything": _normalize(*w, epsilon, axes=tuple(range(x.ndim))),
        "unbiased_variance": _normalize(*w, epsilon, ddof=1),
        "epsilon_outside_sqrt": _normalize(*w, epsilon, outside=True),
        "gamma_beta_swapped": _normalize(w[0], w[2], w[1], epsilon),
    }
    return case.expect_close("y", y, _engine(x, gamma, beta, epsilon), rtol=rtol, atol=atol,
                             mistakes=mistakes)


def _expect_backward(learner, rng, args, epsilon, finite_differences=True, rtol=1e-7,
                     atol=1e-9):
    x, gamma, _ = args
    dy = rng.standard_normal(x.shape).astype(x.dtype)
    case = Case(learner.layernorm_backward, _describe(x, epsilon, "dy random"))
    result = case.call(dy, x, gamma, epsilon)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        case.fail("wrong_type", name="layernorm_backward(...)",
                  expected="a tuple (dx, dgamma, dbeta)", type=type(result).__name__)
    dx, dgamma, dbeta = (case.expect_array(n, v) for n, v in zip(("dx", "dgamma", "dbeta"),
                                                                  result))
    for name, g in (("dgamma", dgamma), ("dbeta", dbeta)):
        if g.shape == x.shape:
            case.fail("param_grad_not_summed", name=name, shape=g.shape, d=x.shape[-1])
    for name, g, shape in (("dx", dx, x.shape), ("dgamma", dgamma, gamma.shape),
                           ("dbeta", dbeta, gamma.shape)):
        case.expect_shape(name, g, shape)
    expected = _engine_grads(dy, x, gamma, epsilon)
    w = [a.astype(np.float64) for a in (dy, x, gamma)]
    mean = w[1].mean(axis=-1, keepdims=True)
    r = 1 / np.sqrt(w[1].var(axis=-1, keepdims=True) + epsilon)
    x_hat = (w[1] - mean) * r
    g = w[0] * w[2]
    mean_g = g.mean(axis=-1, keepdims=True)
    mean_gx = (g * x_hat).mean(axis=-1, keepdims=True)
    plain_dy = w[0] - w[0].mean(axis=-1, keepdims=True) - x_hat * (w[0] * x_hat).mean(
        axis=-1, keepdims=True)
    dx_mistakes = {"stats_constant": r * g, "mean_term_only": r * (g - mean_g),
                   "variance_term_only": r * (g - x_hat * mean_gx), "gamma_missing": r * plain_dy,
                   "gamma_outside": w[2] * r * plain_dy}
    if finite_differences:
        def loss(value):
            return float(np.sum(_engine(value, gamma, np.zeros_like(gamma), epsilon) * dy))
        numeric = numerical_gradient(loss, x)
        if dx.shape == numeric.shape and not np.allclose(dx, numeric, rtol=1e-5, atol=1e-6):
            case.expect_close("dx", dx, numeric, rtol=1e-5, atol=1e-6, mistakes=dx_mistakes)
    case.expect_close("dx", dx, expected[0], rtol=rtol, atol=atol, mistakes=dx_mistakes)
    axes = tuple(range(x.ndim - 1))
    case.expect_close("dgamma", dgamma, expected[1], rtol=rtol, atol=atol,
                      mistakes={"dgamma_no_xhat": w[0].sum(axis=axes),
                                "dgamma_raw_x": (w[0] * w[1]).sum(axis=axes)})
    case.expect_close("dbeta", dbeta, expected[2], rtol=rtol, atol=atol)
    return dx, dgamma, dbeta


@check("forward")
def forward(learner, rng):
    for shape, epsilon in (((5, 6), 1e-3), ((4, 7), 1e-5)):
        _expect_forward(learner, _inputs(rng, shape), epsilon)


@check("sequences")
def sequences(learner, rng):
    # (batch, time, features), as in a Transformer: every (b, t) row on its own.
    _expect_forward(learner, _inputs(rng, (2, 3, 5)), 1e-3)


@check("per-sample")
def per_sample(learner, rng):
    # One sample's output does not depend on the rest of the batch (unlike batch norm).
    x, gamma, beta = _inputs(rng, (4, 6))
    full = _expect_forward(learner, (x, gamma, beta), 1e-3)
    case = Case(learner.layernorm_forward, _describe(x[1:2], 1e-3, "sample 1 alone"))
    alone = case.expect_shape("y", case.call(x[1:2], gamma, beta, 1e-3), (1, 6))
    if not np.allclose(alone, full[1:2], rtol=1e-7, atol=1e-9):
        case.fail("depends_on_batch")


@check("backward")
def backward(learner, rng):
    for shape in ((4, 5), (2, 3, 4)):
        _expect_backward(learner, rng, _inputs(rng, shape), 1e-3)


@check("float32")
def float32(learner, rng):
    args = _inputs(rng, (3, 8), np.float32)
    y = _expect_forward(learner, args, 1e-3, rtol=1e-5, atol=1e-6)
    Case(learner.layernorm_forward, _describe(args[0], 1e-3)).expect_dtype("y", y, np.float32)
    grads = _expect_backward(learner, rng, args, 1e-3, finite_differences=False, rtol=1e-4,
                             atol=1e-5)
    case = Case(learner.layernorm_backward, _describe(args[0], 1e-3))
    for name, value in zip(("dx", "dgamma", "dbeta"), grads):
        case.expect_dtype(name, value, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # Batch 1, and a constant row (variance 0: epsilon keeps it finite).
    _expect_forward(learner, _inputs(rng, (1, 6)), 1e-3, "batch 1")
    x, gamma, beta = _inputs(rng, (3, 5))
    x[2] = 1.5
    _expect_forward(learner, (x, gamma, beta), 1e-3, "row 2 constant")
    _expect_backward(learner, rng, (x, gamma, beta), 1e-3)


@check("large-mean")
def large_mean(learner, rng):
    x, gamma, beta = _inputs(rng, (4, 16))
    x = x + 1e6
    case = Case(learner.layernorm_forward, _describe(x, 1e-3, "mean 1e6"))
    y = case.expect_shape("y", case.call(x, gamma, beta, 1e-3), x.shape)
    if not np.allclose(y, _engine(x, gamma, beta, 1e-3), rtol=1e-6, atol=1e-6):
        case.fail("variance_cancellation")
