"""Checks of the batch-norm lab: training outputs and the moving averages against dlpath
(dlpath.engine.normalization.batch_norm, and the BatchNormalization layer for Keras' moving
statistics), inference against Keras' formula in float64, the backward pass against
dlpath's gradients and finite differences, NHWC inputs, float32 and numerically hard
inputs."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.normalization import batch_norm
from dlpath.layers.normalization import BatchNormalization
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["batchnorm_forward", "batchnorm_backward"]


def _axes(x):
    return tuple(range(x.ndim - 1))


def _engine_train(x, gamma, beta, epsilon):
    """dlpath's training output (y, batch mean, biased batch variance)."""
    y, mean, var = batch_norm(Tensor(x, dtype=x.dtype), Tensor(gamma, dtype=x.dtype),
                              Tensor(beta, dtype=x.dtype), _axes(x), epsilon)
    return y.data, mean, var


def _engine_grads(dy, x, gamma, epsilon):
    tx, tg, tb = (Tensor(a, requires_grad=True, dtype=x.dtype)
                  for a in (x, gamma, np.zeros_like(gamma)))
    y, _, _ = batch_norm(tx, tg, tb, _axes(x), epsilon)
    y.backward(dy)
    return tx.grad, tg.grad, tb.grad


def _layer(x, gamma, beta, moving_mean, moving_var, training, momentum, epsilon):
    """dlpath's BatchNormalization layer (Keras semantics): (y, moving mean, moving var)."""
    layer = BatchNormalization(momentum=momentum, epsilon=epsilon, dtype=str(x.dtype))
    layer.build(x.shape)
    for variable, value in ((layer.gamma, gamma), (layer.beta, beta),
                            (layer.moving_mean, moving_mean),
                            (layer.moving_variance, moving_var)):
        variable.data[...] = value
    y = layer.call(Tensor(x, dtype=x.dtype), training=training).data
    return y, layer.moving_mean.data.copy(), layer.moving_variance.data.copy()


def _inputs(rng, shape, dtype=np.float64):
    c = shape[-1]
    x = (rng.standard_normal(shape) * rng.uniform(0.5, 3, c) + rng.uniform(-2, 2, c))
    gamma = rng.uniform(0.5, 2, c) * rng.choice([-1, 1], c)
    beta = rng.standard_normal(c)
    moving_mean = rng.standard_normal(c)
    moving_var = rng.uniform(0.5, 2, c)
    return tuple(a.astype(dtype) for a in (x, gamma, beta, moving_mean, moving_var))


def _normalize(x, gamma, beta, mean, var, epsilon, outside=False):
    scale = (np.sqrt(var) + epsilon) if outside else np.sqrt(var + epsilon)
    return gamma * (x - mean) / scale + beta


def _describe(x, training, momentum, epsilon):
    return (f"x {x.shape}, training={training}, momentum {momentum}, epsilon {epsilon}, "
            f"{x.dtype}")


def _unpack(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        case.fail("wrong_type", name=f"{case.name}(...)",
                  expected="a tuple of three arrays", type=type(result).__name__)
    return result


def _expect_training(learner, args, momentum, epsilon, defaults=False, rtol=1e-7,
                     atol=1e-9):
    x, gamma, beta, moving_mean, moving_var = args
    case = Case(learner.batchnorm_forward, _describe(x, True, momentum, epsilon) +
                (" (the default momentum and epsilon)" if defaults else ""))
    if defaults:
        result = case.call(x, gamma, beta, moving_mean, moving_var, True)
    else:
        result = case.call(x, gamma, beta, moving_mean, moving_var, True, momentum, epsilon)
    y, new_mean, new_var = _unpack(case, result)
    expected_y = _engine_train(x, gamma, beta, epsilon)[0]
    _, layer_mean, layer_var = _layer(*args, True, momentum, epsilon)
    if defaults and not np.allclose(y, expected_y, rtol=rtol, atol=atol):
        case.fail("default_epsilon")
    w = [a.astype(np.float64) for a in args]
    axes = _axes(x)
    unbiased = w[0].var(axis=axes, ddof=1)
    mean64, var64 = w[0].mean(axis=axes), w[0].var(axis=axes)
    last_mean = w[0].mean(axis=-1, keepdims=True)
    last_var = w[0].var(axis=-1, keepdims=True)
    case.expect_close("y", y, expected_y, rtol=rtol, atol=atol, mistakes={
        "unbiased_variance": _normalize(w[0], w[1], w[2], mean64, unbiased, epsilon),
        "epsilon_outside_sqrt": _normalize(w[0], w[1], w[2], mean64, var64, epsilon, True),
        "normalized_per_sample": _normalize(w[0], w[1], w[2], last_mean, last_var, epsilon),
        "training_uses_moving": _normalize(*w, epsilon),
        "gamma_beta_swapped": _normalize(w[0], w[2], w[1], mean64, var64, epsilon),
    })
    if defaults and not np.allclose(new_mean, layer_mean, rtol=rtol, atol=atol):
        case.fail("default_momentum")
    case.expect_close("new_moving_mean", new_mean, layer_mean, rtol=rtol, atol=atol, mistakes={
        "momentum_swapped": w[3] * (1 - momentum) + mean64 * momentum,
        "moving_not_updated": w[3],
    })
    case.expect_close("new_moving_var", new_var, layer_var, rtol=rtol, atol=atol, mistakes={
        "unbiased_moving_var": w[4] * momentum + unbiased * (1 - momentum),
        "momentum_swapped": w[4] * (1 - momentum) + var64 * momentum,
        "moving_var_std": w[4] * momentum + np.sqrt(var64) * (1 - momentum),
        "moving_var_epsilon": w[4] * momentum + (var64 + epsilon) * (1 - momentum),
        "moving_not_updated": w[4],
    })
    return y, new_mean, new_var


def _expect_inference(learner, args, momentum, epsilon, rtol=1e-7, atol=1e-9):
    x, gamma, beta, moving_mean, moving_var = args
    case = Case(learner.batchnorm_forward, _describe(x, False, momentum, epsilon))
    y, new_mean, new_var = _unpack(case, case.call(x, gamma, beta, moving_mean, moving_var,
                                                   False, momentum, epsilon))
    w = [a.astype(np.float64) for a in args]
    axes = _axes(x)
    # Keras' inference formula in float64 (dlpath's layer computes 1 / sqrt(var + eps) in
    # float32, too coarse for these tolerances).
    expected_y = _normalize(*w, epsilon)
    case.expect_close("y", y, expected_y, rtol=rtol, atol=atol, mistakes={
        "inference_uses_batch": _normalize(w[0], w[1], w[2], w[0].mean(axis=axes),
                                           w[0].var(axis=axes), epsilon),
        "epsilon_outside_sqrt": _normalize(*w, epsilon, outside=True),
    })
    for name, new, old in (("new_moving_mean", new_mean, moving_mean),
                           ("new_moving_var", new_var, moving_var)):
        new = case.expect_array(name, new)
        if new.shape == old.shape and not np.array_equal(new, old):
            case.fail("inference_updates_moving", name=name)
        case.expect_close(name, new, old, rtol=0, atol=0)
    return y, new_mean, new_var


def _expect_backward(learner, rng, x, gamma, epsilon, finite_differences=True, rtol=1e-7,
                     atol=1e-9):
    dy = rng.standard_normal(x.shape).astype(x.dtype)
    case = Case(learner.batchnorm_backward, f"dy and x {x.shape}, epsilon {epsilon}, "
                                            f"{x.dtype}")
    dx, dgamma, dbeta = _unpack(case, case.call(dy, x, gamma, epsilon))
    for name, g, shape in (("dx", dx, x.shape), ("dgamma", dgamma, gamma.shape),
                           ("dbeta", dbeta, gamma.shape)):
        case.expect_shape(name, g, shape)
    expected = _engine_grads(dy, x, gamma, epsilon)
    w = [a.astype(np.float64) for a in (dy, x, gamma)]
    axes = _axes(x)
    n = x.size // x.shape[-1]
    r = 1 / np.sqrt(w[1].var(axis=axes) + epsilon)
    x_hat = (w[1] - w[1].mean(axis=axes)) * r
    sum_dy, sum_dyx = w[0].sum(axis=axes), (w[0] * x_hat).sum(axis=axes)
    dx_mistakes = {
        "stats_constant": w[2] * r * w[0],
        "mean_term_only": w[2] * r * (w[0] - sum_dy / n),
        "variance_term_only": w[2] * r * (w[0] - x_hat * sum_dyx / n),
        "gamma_missing": r * (w[0] - sum_dy / n - x_hat * sum_dyx / n),
    }
    if finite_differences:
        def loss_of(i):
            def loss(value):
                values = [x, gamma]
                values[i] = value
                return float(np.sum(_engine_train(values[0], values[1], np.zeros_like(gamma),
                                                  epsilon)[0] * dy))
            return loss
        for name, g, i in (("dx", dx, 0), ("dgamma", dgamma, 1)):
            numeric = numerical_gradient(loss_of(i), (x, gamma)[i])
            g = case.expect_array(name, g)
            if g.shape == numeric.shape and not np.allclose(g, numeric, rtol=1e-5, atol=1e-6):
                if name == "dx":
                    case.expect_close("dx", g, numeric, rtol=1e-5, atol=1e-6,
                                      mistakes=dx_mistakes)
                wrong = ~np.isclose(g, numeric, rtol=1e-5, atol=1e-6)
                at = np.unravel_index(wrong.argmax(), wrong.shape)
                case.fail("gradient_mismatch", name=name, index=str(list(map(int, at))),
                          actual=float(g[at]), expected=float(numeric[at]))
    case.expect_close("dx", dx, expected[0], rtol=rtol, atol=atol, mistakes=dx_mistakes)
    case.expect_close("dgamma", dgamma, expected[1], rtol=rtol, atol=atol,
                      mistakes={"dgamma_no_xhat": sum_dy, "dgamma_raw_x": (w[0] * w[1]).sum(
                          axis=axes)})
    case.expect_close("dbeta", dbeta, expected[2], rtol=rtol, atol=atol)
    return dx, dgamma, dbeta


@check("training")
def training(learner, rng):
    for shape, momentum, epsilon in (((8, 3), 0.9, 1e-3), ((5, 4), 0.8, 1e-5)):
        _expect_training(learner, _inputs(rng, shape), momentum, epsilon)


@check("keras-defaults")
def keras_defaults(learner, rng):
    _expect_training(learner, _inputs(rng, (6, 3)), 0.99, 1e-3, defaults=True)


@check("inference")
def inference(learner, rng):
    for shape, momentum, epsilon in (((7, 3), 0.9, 1e-3), ((2, 3, 3, 4), 0.99, 1e-5)):
        _expect_inference(learner, _inputs(rng, shape), momentum, epsilon)


@check("backward")
def backward(learner, rng):
    for shape in ((6, 3), (4, 5)):
        x, gamma, *_ = _inputs(rng, shape)
        _expect_backward(learner, rng, x, gamma, 1e-3)


@check("nhwc")
def nhwc(learner, rng):
    # Images: one mean and variance per channel, over the batch, height and width.
    args = _inputs(rng, (2, 3, 4, 5))
    _expect_training(learner, args, 0.9, 1e-3)
    _expect_backward(learner, rng, args[0], args[1], 1e-3)


@check("float32")
def float32(learner, rng):
    args = _inputs(rng, (6, 4), np.float32)
    outputs = _expect_training(learner, args, 0.9, 1e-3, rtol=1e-5, atol=1e-6)
    case = Case(learner.batchnorm_forward, _describe(args[0], True, 0.9, 1e-3))
    for name, value in zip(("y", "new_moving_mean", "new_moving_var"), outputs):
        case.expect_dtype(name, value, np.float32)
    grads = _expect_backward(learner, rng, args[0], args[1], 1e-3, finite_differences=False,
                             rtol=1e-4, atol=1e-5)
    case = Case(learner.batchnorm_backward, f"x {args[0].shape}, float32")
    for name, value in zip(("dx", "dgamma", "dbeta"), grads):
        case.expect_dtype(name, value, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # A batch of two, and a constant feature (variance 0: epsilon keeps it finite).
    _expect_training(learner, _inputs(rng, (2, 3)), 0.9, 1e-3)
    args = list(_inputs(rng, (5, 3)))
    args[0][:, 1] = 2.5
    _expect_training(learner, tuple(args), 0.9, 1e-3)
    _expect_backward(learner, rng, args[0], args[1], 1e-3)


@check("large-mean")
def large_mean(learner, rng):
    # Features far from 0 (mean 1e6, spread 1): var = mean(x²) - mean(x)² cancels away.
    x, gamma, beta, moving_mean, moving_var = _inputs(rng, (16, 3))
    x = x + 1e6
    case = Case(learner.batchnorm_forward, _describe(x, True, 0.9, 1e-3) + ", mean 1e6")
    y, _, _ = _unpack(case, case.call(x, gamma, beta, moving_mean, moving_var, True, 0.9,
                                      1e-3))
    expected = _engine_train(x, gamma, beta, 1e-3)[0]
    y = case.expect_shape("y", y, expected.shape)
    if not np.allclose(y, expected, rtol=1e-6, atol=1e-6):
        case.fail("variance_cancellation")
