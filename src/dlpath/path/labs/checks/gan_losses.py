"""Checks of the gan-losses lab: softplus and sigmoid against dlpath's engine, the
discriminator loss and both generator losses (values and gradients with respect to the
logits) against dlpath's binary cross-entropy from logits
(dlpath.engine.losses.binary_crossentropy, with .backward()) and finite differences,
saturation, logits of +-1000 and float32."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import activations as engine_activations
from dlpath.engine.losses import binary_crossentropy
from dlpath.path.labs.checking import Case, check, numerical_gradient

FUNCTIONS = ["softplus", "sigmoid", "discriminator_loss", "generator_loss_minimax",
             "generator_loss_nonsaturating"]


def _bce(label, logits):
    """dlpath's mean BCE from logits with a constant label, and its gradient."""
    t = Tensor(logits.reshape(-1), requires_grad=True, dtype=logits.dtype)
    loss = binary_crossentropy(Tensor(np.full(t.shape, label), dtype=logits.dtype), t,
                               from_logits=True)
    loss.backward()
    return float(loss.data), t.grad.reshape(logits.shape)


def _sp(z):
    return np.logaddexp(0.0, z)  # softplus in float64, stable


def _sg(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def _logits(rng, n, scale=2.0, dtype=np.float64, column=False):
    z = rng.normal(0, scale, size=(n, 1) if column else (n,))
    return z.astype(dtype)


def _unpack(case, result, count):
    if not isinstance(result, (tuple, list)) or len(result) != count:
        what = "(loss, d_real, d_fake)" if count == 3 else "(loss, d_fake)"
        case.fail("wrong_type", name=f"{case.name}(...)", expected=f"a tuple {what}",
                  type=type(result).__name__)
    loss = result[0]
    if np.ndim(loss) != 0:
        case.fail("loss_not_scalar", shape=np.shape(loss))
    try:
        loss = float(loss)
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the loss", expected="a float",
                  type=type(result[0]).__name__)
    return (loss,) + tuple(result[1:])


def _expect_grad(case, name, grad, expected, loss_of, z, mistakes, finite_differences,
                 rtol, atol):
    grad = case.expect_array(name, grad)
    if finite_differences:
        numeric = numerical_gradient(loss_of, z)
        if grad.shape == numeric.shape and not np.allclose(grad, numeric, rtol=1e-5,
                                                           atol=1e-8):
            case.expect_close(name, grad, numeric, rtol=1e-5, atol=1e-8, mistakes=mistakes)
    case.expect_close(name, grad, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    return grad


def _expect_discriminator(learner, real, fake, note="", finite_differences=True, rtol=1e-7,
                          atol=1e-12):
    case = Case(learner.discriminator_loss,
                f"real logits {real.shape}, fake logits {fake.shape}, {real.dtype}"
                + (f", {note}" if note else ""))
    with np.errstate(all="ignore"):
        loss, d_real, d_fake = _unpack(case, case.call(real, fake), 3)
    loss_r, g_r = _bce(1.0, real)
    loss_f, g_f = _bce(0.0, fake)
    r, f = real.astype(np.float64), fake.astype(np.float64)
    n_r, n_f = r.size, f.size
    if not np.isfinite(loss) and np.isfinite(loss_r + loss_f):
        case.fail("log_sigmoid_unstable", name="loss")
    case.expect_close("loss", loss, loss_r + loss_f, rtol=rtol, atol=atol, mistakes={
        "labels_swapped": _sp(r).mean() + _sp(-f).mean(),
        "pooled_mean": (_sp(-r).sum() + _sp(f).sum()) / (n_r + n_f),
        "loss_halved": 0.5 * (_sp(-r).mean() + _sp(f).mean()),
    })
    _expect_grad(case, "d_real", d_real, g_r, lambda v: float(_sp(-v).mean()), r,
                 {"labels_swapped": _sg(r) / n_r,
                  "pooled_mean_grad": (_sg(r) - 1) / (n_r + n_f),
                  "grad_not_averaged": _sg(r) - 1}, finite_differences, rtol, atol)
    _expect_grad(case, "d_fake", d_fake, g_f, lambda v: float(_sp(v).mean()), f,
                 {"labels_swapped": (_sg(f) - 1) / n_f,
                  "pooled_mean_grad": _sg(f) / (n_r + n_f),
                  "grad_not_averaged": _sg(f)}, finite_differences, rtol, atol)
    return loss, d_real, d_fake


def _expect_generator(learner, kind, fake, note="", finite_differences=True, rtol=1e-7,
                      atol=1e-12):
    function = getattr(learner, f"generator_loss_{kind}")
    case = Case(function, f"fake logits {fake.shape}, {fake.dtype}" +
                (f", {note}" if note else ""))
    with np.errstate(all="ignore"):
        loss, d_fake = _unpack(case, case.call(fake), 2)
    f = fake.astype(np.float64)
    n = f.size
    minimax = (-_sp(f).mean(), -_sg(f) / n)
    nonsaturating = (_sp(-f).mean(), (_sg(f) - 1) / n)
    if kind == "minimax":
        expected_loss, expected_grad = _bce(0.0, fake)
        expected_loss, expected_grad = -expected_loss, -expected_grad
        loss_fn = (lambda v: float(-_sp(v).mean()))
        wrong = {"minimax_is_nonsaturating": nonsaturating,
                 "minimax_log_d": (-_sp(-f).mean(), (1 - _sg(f)) / n)}
    else:
        expected_loss, expected_grad = _bce(1.0, fake)
        loss_fn = (lambda v: float(_sp(-v).mean()))
        wrong = {"nonsaturating_is_minimax": minimax,
                 "nonsaturating_label_zero": (_sp(f).mean(), _sg(f) / n)}
    if not np.isfinite(loss) and np.isfinite(expected_loss):
        case.fail("log_sigmoid_unstable", name="loss")
    case.expect_close("loss", loss, expected_loss, rtol=rtol, atol=atol,
                      mistakes={key: value[0] for key, value in wrong.items()})
    grad_mistakes = {key: value[1] for key, value in wrong.items()}
    grad_mistakes["grad_not_averaged"] = expected_grad.astype(np.float64) * n
    grad = _expect_grad(case, "d_fake", d_fake, expected_grad, loss_fn, f, grad_mistakes,
                        finite_differences, rtol, atol)
    return loss, grad


@check("softplus-sigmoid")
def softplus_sigmoid(learner, rng):
    z = rng.normal(0, 5, size=(3, 4))
    for name in ("softplus", "sigmoid"):
        case = Case(getattr(learner, name), f"z of shape {z.shape}, float64")
        expected = getattr(engine_activations, name)(Tensor(z, dtype=z.dtype)).data
        case.expect_close(f"{name}(z)", case.call(z), expected, rtol=1e-10, atol=1e-12)
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    tail = np.exp(-40.0)
    expected = {"softplus": [0.0, np.log1p(tail), np.log(2.0), 40.0 + np.log1p(tail), 1000.0],
                "sigmoid": [0.0, tail / (1 + tail), 0.5, 1 / (1 + tail), 1.0]}
    for name in ("softplus", "sigmoid"):
        case = Case(getattr(learner, name), "z = [-1000, -40, 0, 40, 1000]")
        with np.errstate(all="ignore"):
            result = case.expect_array(f"{name}(z)", case.call(z))
        if result.shape == z.shape and not np.isfinite(result).all():
            case.fail(f"{name}_overflow")
        case.expect_close(f"{name}(z)", result, expected[name], rtol=1e-12, atol=1e-300)


@check("discriminator")
def discriminator(learner, rng):
    # Different numbers of real and fake samples: each term is its own mean.
    _expect_discriminator(learner, _logits(rng, 6), _logits(rng, 4))
    _expect_discriminator(learner, _logits(rng, 3, column=True), _logits(rng, 5, column=True),
                          "(N, 1) logits")


@check("generator-minimax")
def generator_minimax(learner, rng):
    _expect_generator(learner, "minimax", _logits(rng, 5))


@check("generator-nonsaturating")
def generator_nonsaturating(learner, rng):
    _expect_generator(learner, "nonsaturating", _logits(rng, 5, column=True))


@check("saturation")
def saturation(learner, rng):
    # D rejects every fake with confidence (f about -10): the minimax gradient all but
    # vanishes, the non-saturating one stays near -1 / N.
    fake = -10.0 + rng.normal(0, 0.5, size=6)
    _expect_generator(learner, "minimax", fake, "f near -10")
    _expect_generator(learner, "nonsaturating", fake, "f near -10")


@check("large-logits")
def large_logits(learner, rng):
    real = np.array([1000.0, -1000.0, 50.0, -50.0, 0.0])
    fake = np.array([-1000.0, 1000.0, -50.0, 50.0, 3.0])
    _expect_discriminator(learner, real, fake, "logits of +-1000", finite_differences=False,
                          rtol=1e-9)
    for kind in ("minimax", "nonsaturating"):
        _expect_generator(learner, kind, fake, "logits of +-1000", finite_differences=False,
                          rtol=1e-9)


@check("float32")
def float32(learner, rng):
    real, fake = _logits(rng, 4, dtype=np.float32), _logits(rng, 6, dtype=np.float32)
    _, d_real, d_fake = _expect_discriminator(learner, real, fake, finite_differences=False,
                                              rtol=1e-5, atol=1e-7)
    case = Case(learner.discriminator_loss, "float32 logits")
    case.expect_dtype("d_real", d_real, np.float32)
    case.expect_dtype("d_fake", d_fake, np.float32)
    for kind in ("minimax", "nonsaturating"):
        _, grad = _expect_generator(learner, kind, fake, finite_differences=False, rtol=1e-5,
                                    atol=1e-7)
        Case(getattr(learner, f"generator_loss_{kind}"), "float32 logits").expect_dtype(
            "d_fake", grad, np.float32)
