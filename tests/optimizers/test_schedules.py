"""Learning-rate schedules: values against torch.optim.lr_scheduler, or computed by hand from
Keras 3's formulas; configuration round trips and argument errors."""

import math

import numpy as np
import pytest
import torch

from dlpath import optimizers
from dlpath.optimizers import schedules

STEPS = 40


def torch_rates(make_scheduler, base_lr, steps=STEPS):
    """The rate each of ``steps`` updates uses under a torch scheduler stepped per update."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return np.array(rates)


def our_rates(schedule, steps=STEPS):
    return np.array([schedule(t) for t in range(steps)])


TORCH_EQUIVALENTS = {
    "exponential": (schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.9),
                    lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    "exponential_staircase": (
        schedules.ExponentialDecay(0.1, decay_steps=7, decay_rate=0.5, staircase=True),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5)),
    "step": (schedules.StepDecay(0.1, step_size=5, gamma=0.3),
             lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=5, gamma=0.3)),
    "polynomial": (schedules.PolynomialDecay(0.1, decay_steps=25, end_learning_rate=0.0,
                                             power=2.0),
                   lambda o: torch.optim.lr_scheduler.PolynomialLR(o, total_iters=25,
                                                                   power=2.0)),
    "cosine": (schedules.CosineDecay(0.1, decay_steps=30, alpha=0.1),
               lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30,
                                                                    eta_min=0.01)),
    "cosine_restarts": (
        schedules.CosineDecayRestarts(0.1, first_decay_steps=5, t_mul=2.0, alpha=0.1),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2,
                                                                       eta_min=0.01)),
}


@pytest.mark.parametrize("case", list(TORCH_EQUIVALENTS))
def test_schedule_matches_torch_scheduler(case):
    schedule, make_scheduler = TORCH_EQUIVALENTS[case]
    steps = 30 if case == "cosine" else STEPS  # torch's cosine goes back up after T_max
    expected = torch_rates(make_scheduler, 0.1, steps)
    np.testing.assert_allclose(our_rates(schedule, steps), expected, rtol=1e-6, atol=1e-9)


def test_piecewise_constant_uses_each_value_up_to_and_including_its_boundary():
    schedule = schedules.PiecewiseConstantDecay([3, 6], [1.0, 0.5, 0.1])
    assert our_rates(schedule, 9).tolist() == [1.0] * 4 + [0.5] * 3 + [0.1] * 2


def test_inverse_time_decay_by_hand():
    schedule = schedules.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5)
    assert schedule(6) == pytest.approx(0.1 / (1 + 0.5 * 6 / 4))
    stairs = schedules.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)
    assert stairs(6) == pytest.approx(0.1 / (1 + 0.5 * 1))


def test_polynomial_decay_stops_at_end_rate_or_cycles():
    schedule = schedules.PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01)
    assert schedule(10) == pytest.approx(0.01) and schedule(50) == pytest.approx(0.01)
    cycling = schedules.PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01,
                                        cycle=True)
    # At step 15 the period is 20: (0.1 - 0.01) * (1 - 15/20) + 0.01.
    assert cycling(15) == pytest.approx(0.09 * 0.25 + 0.01)
    assert cycling(0) == pytest.approx(0.1)


def test_cosine_decay_warmup_is_linear_then_decays_from_the_target():
    schedule = schedules.CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5)
    assert [schedule(t) for t in range(6)] == pytest.approx([0, 0.02, 0.04, 0.06, 0.08, 0.1])
    assert schedule(10) == pytest.approx(0.1 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert schedule(15) == pytest.approx(0.0, abs=1e-12)
    assert schedule(100) == pytest.approx(0.0, abs=1e-12)


def test_cosine_restarts_with_m_mul_by_hand():
    schedule = schedules.CosineDecayRestarts(1.0, first_decay_steps=4, t_mul=1.0, m_mul=0.5)
    assert schedule(4) == pytest.approx(0.5) and schedule(8) == pytest.approx(0.25)
    assert schedule(2) == pytest.approx(0.5)


def test_linear_warmup_then_the_wrapped_schedule_from_its_start():
    inner = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    schedule = schedules.LinearWarmup(inner, warmup_steps=4)
    assert our_rates(schedule, 7) == pytest.approx([0, 0.025, 0.05, 0.075, 0.1, 0.05, 0.025])
    constant = schedules.LinearWarmup(0.2, warmup_steps=2)
    assert our_rates(constant, 4) == pytest.approx([0.0, 0.1, 0.2, 0.2])


@pytest.mark.parametrize("schedule", [
    schedules.ExponentialDecay(0.1, 3, 0.9, staircase=True),
    schedules.PiecewiseConstantDecay([2, 5], [0.3, 0.2, 0.1]),
    schedules.InverseTimeDecay(0.1, 3, 0.5),
    schedules.PolynomialDecay(0.1, 9, power=0.5, cycle=True),
    schedules.CosineDecay(0.1, 9, alpha=0.2, warmup_target=0.2, warmup_steps=3),
    schedules.CosineDecayRestarts(0.1, 3, t_mul=1.5, m_mul=0.8, alpha=0.05),
    schedules.StepDecay(0.1, 3, 0.5),
    schedules.LinearWarmup(schedules.StepDecay(0.1, 3, 0.5), 4),
], ids=lambda s: type(s).__name__)
def test_schedule_config_round_trip(schedule):
    rebuilt = schedules.deserialize(schedules.serialize(schedule))
    assert type(rebuilt) is type(schedule)
    assert our_rates(rebuilt, 20) == pytest.approx(our_rates(schedule, 20))


def test_keras_serialized_schedule_is_accepted_by_an_optimizer_config():
    keras_style = {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
                   "config": {"initial_learning_rate": 0.1, "decay_steps": 10,
                              "decay_rate": 0.5, "staircase": False,
                              "name": "ExponentialDecay"},
                   "registered_name": None}
    optimizer = optimizers.SGD.from_config({"learning_rate": keras_style})
    assert optimizer.learning_rate == pytest.approx(0.1)


@pytest.mark.parametrize("make", [
    lambda: schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5),
    lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]),
    lambda: schedules.PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3]),
    lambda: schedules.CosineDecay(-0.1, decay_steps=10),
    lambda: schedules.StepDecay(0.1, step_size=0, gamma=0.5),
    lambda: schedules.LinearWarmup(0.1, warmup_steps=-1),
])
def test_bad_schedule_arguments_raise(make):
    with pytest.raises(ValueError):
        make()


def test_unknown_schedule_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="CosineDecay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})
