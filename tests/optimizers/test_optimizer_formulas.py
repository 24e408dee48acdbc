"""Each optimizer against a plain float64 NumPy transcription of Keras 3's documented update,
with Keras' own defaults (epsilon placement, initial accumulator, velocity with the rate)."""

import math

import numpy as np
import pytest

from dlpath import optimizers
from dlpath.engine import Tensor

SHAPES = [(4, 3), (3,)]
STEPS = 30


def gradient(p, target):
    """A deterministic nonlinear gradient field."""
    return (p - target) * (1.0 + p ** 2) + 0.1 * np.sin(3.0 * p)


def start():
    rng = np.random.default_rng(7)
    params = [rng.standard_normal(s) for s in SHAPES]
    targets = [rng.standard_normal(s) for s in SHAPES]
    return params, targets


def run_dlpath(optimizer):
    params, targets = start()
    variables = [Tensor(p, dtype=np.float64) for p in params]
    for _ in range(STEPS):
        grads = [gradient(v.data, t) for v, t in zip(variables, targets)]
        optimizer.apply(grads, variables)
    return [v.data for v in variables]


def run_reference(update, state_names, lr=lambda t: None, weight_decay=None, init=None):
    """``update(p, g, state: dict, lr, t) -> p`` applied STEPS times (t = 1, 2, ...)."""
    params, targets = start()
    states = [{name: np.full_like(p, (init or {}).get(name, 0.0)) for name in state_names}
              for p in params]
    for step in range(STEPS):
        rate = lr(step)
        grads = [gradient(p, t) for p, t in zip(params, targets)]
        if weight_decay:
            params = [p - p * weight_decay * rate for p in params]
        params = [update(p, g, s, rate, step + 1) for p, g, s in zip(params, grads, states)]
    return params


def keras_sgd(momentum, nesterov):
    def update(p, g, s, lr, t):
        if momentum == 0:
            return p - lr * g
        s["m"] = momentum * s["m"] - lr * g
        if nesterov:
            return p + momentum * s["m"] - lr * g
        return p + s["m"]
    return update


def keras_rmsprop(rho, momentum, eps, centered):
    def update(p, g, s, lr, t):
        s["v"] = rho * s["v"] + (1 - rho) * g * g
        if centered:
            s["a"] = rho * s["a"] + (1 - rho) * g
            denominator = s["v"] - s["a"] ** 2 + eps
        else:
            denominator = s["v"] + eps
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            s["m"] = momentum * s["m"] + increment
            return p - s["m"]
        return p - increment
    return update


def keras_adagrad(eps):
    def update(p, g, s, lr, t):
        s["acc"] = s["acc"] + g * g
        return p - lr * g / np.sqrt(s["acc"] + eps)
    return update


def keras_adadelta(rho, eps):
    def update(p, g, s, lr, t):
        s["eg"] = rho * s["eg"] + (1 - rho) * g * g
        delta = -np.sqrt(s["ed"] + eps) * g / np.sqrt(s["eg"] + eps)
        s["ed"] = rho * s["ed"] + (1 - rho) * delta * delta
        return p + lr * delta
    return update


def keras_adam(b1, b2, eps, amsgrad):
    def update(p, g, s, lr, t):
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        v = s["v"]
        if amsgrad:
            s["vhat"] = np.maximum(s["vhat"], s["v"])
            v = s["vhat"]
        return p - alpha * s["m"] / (np.sqrt(v) + eps)
    return update


CONSTANT = lambda rate: (lambda t: rate)

CASES = {
    "sgd": (optimizers.SGD(0.05), keras_sgd(0.0, False), [], CONSTANT(0.05), {}),
    "sgd_momentum": (optimizers.SGD(0.05, momentum=0.9), keras_sgd(0.9, False), ["m"],
                     CONSTANT(0.05), {}),
    "sgd_nesterov": (optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                     keras_sgd(0.9, True), ["m"], CONSTANT(0.05), {}),
    "rmsprop": (optimizers.RMSprop(0.01), keras_rmsprop(0.9, 0.0, 1e-7, False), ["v"],
                CONSTANT(0.01), {}),
    "rmsprop_momentum_centered": (
        optimizers.RMSprop(0.01, momentum=0.7, centered=True, epsilon=1e-3),
        keras_rmsprop(0.9, 0.7, 1e-3, True), ["v", "a", "m"], CONSTANT(0.01), {}),
    "adagrad": (optimizers.Adagrad(0.1, epsilon=1e-3), keras_adagrad(1e-3), ["acc"],
                CONSTANT(0.1), {"acc": 0.1}),
    "adadelta": (optimizers.Adadelta(1.0, epsilon=1e-3), keras_adadelta(0.95, 1e-3),
                 ["eg", "ed"], CONSTANT(1.0), {}),
    "adam": (optimizers.Adam(0.01, epsilon=1e-2), keras_adam(0.9, 0.999, 1e-2, False),
             ["m", "v"], CONSTANT(0.01), {}),
    "adam_amsgrad": (optimizers.Adam(0.01, epsilon=1e-2, amsgrad=True),
                     keras_adam(0.9, 0.999, 1e-2, True), ["m", "v", "vhat"],
                     CONSTANT(0.01), {}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_update_follows_the_keras_formula(case):
    optimizer, update, names, lr, init = CASES[case]
    expected = run_reference(update, names, lr=lr, init=init)
    for ours, theirs in zip(run_dlpath(optimizer), expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_adamw_decays_before_the_adam_step_with_the_current_rate():
    schedule = optimizers.schedules.ExponentialDecay(0.01, decay_steps=5, decay_rate=0.5)
    expected = run_reference(keras_adam(0.9, 0.999, 1e-7, False), ["m", "v"], lr=schedule,
                             weight_decay=0.1)
    ours = run_dlpath(optimizers.AdamW(schedule, weight_decay=0.1))
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_keras_momentum_velocity_keeps_the_rate_under_a_schedule():
    schedule = optimizers.schedules.PolynomialDecay(0.05, decay_steps=20, power=2.0)
    expected = run_reference(keras_sgd(0.9, True), ["m"], lr=schedule)
    ours = run_dlpath(optimizers.SGD(schedule, momentum=0.9, nesterov=True))
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_every_optimizer_accepts_weight_decay_decoupled():
    expected = run_reference(keras_rmsprop(0.9, 0.0, 1e-7, False), ["v"],
                             lr=CONSTANT(0.01), weight_decay=0.2)
    ours = run_dlpath(optimizers.RMSprop(0.01, weight_decay=0.2))
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
