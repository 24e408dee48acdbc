"""Checks of the lr-schedule lab: exponential decay (smooth and staircase), piecewise constant
rates and cosine decay against dlpath.optimizers.schedules at every step of random
schedules, and the schedules driving dlpath's SGD."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import SGD, schedules
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["exponential_decay", "piecewise_constant", "cosine_decay"]


def _at(schedule, steps):
    return np.array([schedule(int(t)) for t in steps.reshape(-1)]).reshape(steps.shape)


def _exponential_case(rng):
    lr0 = float(rng.uniform(0.01, 1.0))
    decay_steps = int(rng.integers(2, 12))
    decay_rate = float(rng.uniform(0.3, 0.9))
    steps = np.arange(0, 4 * decay_steps + int(rng.integers(1, decay_steps + 1)))
    return lr0, decay_steps, decay_rate, steps


def _exponential(learner, lr0, decay_steps, decay_rate, steps, staircase):
    case = Case(learner.exponential_decay,
                f"initial_learning_rate={lr0:.3g}, decay_steps={decay_steps}, "
                f"decay_rate={decay_rate:.3g}, staircase={staircase}, steps 0..{steps.max()}")
    result = case.call(steps, lr0, decay_steps, decay_rate, staircase=staircase)
    expected = _at(schedules.ExponentialDecay(lr0, decay_steps, decay_rate,
                                              staircase=staircase), steps)
    p = steps / decay_steps
    mistakes = {"staircase_ignored" if staircase else "staircase_always":
                lr0 * decay_rate ** (p if staircase else np.floor(p)),
                "decay_steps_ignored": lr0 * decay_rate ** (np.floor(steps) if staircase
                                                             else steps),
                "exp_form": lr0 * np.exp(-decay_rate * (np.floor(p) if staircase else p))}
    if staircase:
        mistakes["staircase_round"] = lr0 * decay_rate ** np.round(p)
        mistakes["staircase_ceil"] = lr0 * decay_rate ** np.ceil(p)
    case.expect_close("lr", result, expected, rtol=1e-10, atol=1e-14, mistakes=mistakes)
    case.expect_dtype("lr", result, np.float64)


@check("exponential")
def exponential(learner, rng):
    for _ in range(2):
        _exponential(learner, *_exponential_case(rng), staircase=False)


@check("staircase")
def staircase(learner, rng):
    for _ in range(2):
        _exponential(learner, *_exponential_case(rng), staircase=True)


@check("piecewise")
def piecewise(learner, rng):
    for _ in range(3):
        n = int(rng.integers(1, 5))
        boundaries = sorted(int(b) for b in rng.choice(np.arange(1, 60), size=n,
                                                        replace=False))
        values = [float(v) for v in np.sort(rng.uniform(1e-4, 1.0, size=n + 1))[::-1]]
        steps = np.arange(0, boundaries[-1] + 5)
        case = Case(learner.piecewise_constant, f"boundaries={boundaries}, values="
                                                f"[{', '.join(f'{v:.3g}' for v in values)}]")
        result = case.call(steps, boundaries, values)
        expected = _at(schedules.PiecewiseConstantDecay(boundaries, values), steps)
        index = np.searchsorted(boundaries, steps, side="right")
        case.expect_close("lr", result, expected, rtol=1e-12, atol=0, mistakes={
            "boundary_goes_to_next": np.asarray(values)[index],
            "values_shifted": np.asarray(values)[np.minimum(index + 1, n)]})
        case.expect_dtype("lr", result, np.float64)


@check("cosine")
def cosine(learner, rng):
    for alpha in (0.0, float(rng.uniform(0.05, 0.5))):
        lr0 = float(rng.uniform(0.01, 1.0))
        decay_steps = int(rng.integers(5, 40))
        steps = np.arange(0, decay_steps + int(rng.integers(5, 20)))
        case = Case(learner.cosine_decay, f"initial_learning_rate={lr0:.3g}, decay_steps="
                                          f"{decay_steps}, alpha={alpha:.3g}, steps 0.."
                                          f"{steps.max()} (past decay_steps)")
        result = case.call(steps, lr0, decay_steps, alpha=alpha)
        expected = _at(schedules.CosineDecay(lr0, decay_steps, alpha=alpha), steps)
        f = np.minimum(steps, decay_steps) / decay_steps
        half = 0.5 * (1 + np.cos(np.pi * f))
        mistakes = {"no_clamp": lr0 * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * steps
                                                                       / decay_steps))
                                       + alpha),
                    "alpha_not_scaled": lr0 * (1 - alpha) * half + alpha,
                    "alpha_ignored": lr0 * half,
                    "alpha_without_one_minus": lr0 * (half + alpha),
                    "plain_cosine": lr0 * np.cos(np.pi * f)}
        case.expect_close("lr", result, expected, rtol=1e-10, atol=1e-14, mistakes=mistakes)
        case.expect_dtype("lr", result, np.float64)


@check("shapes")
def shapes(learner, rng):
    steps = rng.integers(0, 50, size=(int(rng.integers(2, 5)), int(rng.integers(2, 5))))
    for name, args, schedule in (
            ("exponential_decay", (0.1, 7, 0.5), schedules.ExponentialDecay(0.1, 7, 0.5)),
            ("piecewise_constant", ([10, 30], [0.1, 0.01, 0.001]),
             schedules.PiecewiseConstantDecay([10, 30], [0.1, 0.01, 0.001])),
            ("cosine_decay", (0.1, 30), schedules.CosineDecay(0.1, 30))):
        case = Case(getattr(learner, name), f"steps of shape {steps.shape}")
        case.expect_close("lr", case.call(steps, *args), _at(schedule, steps), rtol=1e-10,
                          atol=1e-14)


@check("drives-sgd")
def drives_sgd(learner, rng):
    """dlpath's SGD calls the learner's schedule with its iteration count 0, 1, 2, ..."""
    lr0, decay_steps, decay_rate, _ = _exponential_case(rng)
    w0, grads = rng.standard_normal(4), [rng.standard_normal(4) for _ in range(12)]
    case = Case(learner.exponential_decay,
                "SGD(learning_rate=lambda step: exponential_decay(step, ...)) over 12 updates, "
                "step a Python int")

    def mine(step):
        value = case.expect_array("lr", case.call(step, lr0, decay_steps, decay_rate,
                                                  staircase=True))
        if value.size != 1:
            case.fail("scalar_step", shape=value.shape)
        return float(value.reshape(()))

    results = []
    for rate in (mine, schedules.ExponentialDecay(lr0, decay_steps, decay_rate,
                                                  staircase=True)):
        variable = Tensor(w0.copy(), dtype=np.float64)
        optimizer = SGD(learning_rate=rate)
        for g in grads:
            optimizer.apply([g], [variable])
        results.append(variable.data)
    case.expect_close("w after 12 updates", results[0], results[1], rtol=1e-10, atol=1e-12)
