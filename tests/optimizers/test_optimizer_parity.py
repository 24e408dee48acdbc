"""100 updates of each optimizer equal torch.optim's from the same start (float32), with the
hyperparameters mapped between conventions (see each optimizer's docstring)."""

import numpy as np
import pytest
import torch
from _optimizer_problem import assert_same_parameters, run_ours, run_torch

from dlpath import optimizers

TINY = 1e-12  # where Keras and torch place epsilon differently, a negligible epsilon

CASES = {
    "sgd": (lambda: optimizers.SGD(0.05),
            lambda p: torch.optim.SGD(p, lr=0.05)),
    "sgd_momentum": (lambda: optimizers.SGD(0.05, momentum=0.9),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "sgd_nesterov": (lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "rmsprop": (lambda: optimizers.RMSprop(0.002, rho=0.9, epsilon=TINY),
                lambda p: torch.optim.RMSprop(p, lr=0.002, alpha=0.9, eps=TINY)),
    "rmsprop_momentum": (
        lambda: optimizers.RMSprop(0.002, rho=0.9, momentum=0.8, epsilon=TINY),
        lambda p: torch.optim.RMSprop(p, lr=0.002, alpha=0.9, momentum=0.8, eps=TINY)),
    "rmsprop_centered": (
        lambda: optimizers.RMSprop(0.002, rho=0.95, momentum=0.5, centered=True,
                                   epsilon=TINY),
        lambda p: torch.optim.RMSprop(p, lr=0.002, alpha=0.95, momentum=0.5, centered=True,
                                      eps=TINY)),
    "adagrad": (lambda: optimizers.Adagrad(0.1, initial_accumulator_value=0.1, epsilon=TINY),
                lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1,
                                              eps=TINY)),
    "adadelta": (lambda: optimizers.Adadelta(1.0, rho=0.95, epsilon=1e-6),
                 lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-6)),
    "adam": (lambda: optimizers.Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=TINY),
             lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=TINY)),
    "adam_amsgrad": (
        lambda: optimizers.Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=TINY, amsgrad=True),
        lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=TINY, amsgrad=True)),
    "adamw": (lambda: optimizers.AdamW(0.01, weight_decay=0.5, epsilon=TINY),
              lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.5, eps=TINY)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_100_updates_match_torch_optim(case):
    make_ours, make_torch = CASES[case]
    ours = run_ours(make_ours())
    theirs = run_torch(make_torch)
    # Centered RMSprop divides by sqrt(v - mean(g)^2), a float32 cancellation that amplifies
    # rounding differences between the two implementations over 100 steps.
    atol = 1e-5 if case == "rmsprop_centered" else 1e-6
    assert_same_parameters(ours, theirs, atol=atol)


def test_parameters_actually_moved():
    # Guards the parity test against a problem where nothing happens.
    start = run_ours(optimizers.SGD(0.0), steps=1)
    moved = run_ours(optimizers.Adam(0.01, epsilon=TINY))
    assert min(np.abs(a - b).max() for a, b in zip(start, moved)) > 1e-2


def _assert_clipping_was_active(ours, lr):
    unclipped = run_ours(optimizers.SGD(lr), scale=50.0)  # may even diverge
    assert not all(np.allclose(a, b, atol=1e-3) for a, b in zip(ours, unclipped))


def test_clipnorm_clips_each_gradient_like_clip_grad_norm_per_parameter():
    def clip(params):
        for p in params:
            torch.nn.utils.clip_grad_norm_([p], max_norm=0.5)
    ours = run_ours(optimizers.SGD(0.05, clipnorm=0.5), scale=50.0)
    theirs = run_torch(lambda p: torch.optim.SGD(p, lr=0.05), scale=50.0, clip=clip)
    assert_same_parameters(ours, theirs, rtol=1e-4, atol=1e-5)
    _assert_clipping_was_active(ours, 0.05)


def test_global_clipnorm_matches_clip_grad_norm():
    def clip(params):
        torch.nn.utils.clip_grad_norm_(params, max_norm=0.5)
    ours = run_ours(optimizers.SGD(0.05, global_clipnorm=0.5), scale=50.0)
    theirs = run_torch(lambda p: torch.optim.SGD(p, lr=0.05), scale=50.0, clip=clip)
    assert_same_parameters(ours, theirs, rtol=1e-4, atol=1e-5)
    _assert_clipping_was_active(ours, 0.05)


def test_clipvalue_matches_clip_grad_value():
    def clip(params):
        torch.nn.utils.clip_grad_value_(params, clip_value=0.1)
    ours = run_ours(optimizers.SGD(0.02, clipvalue=0.1), scale=50.0)
    theirs = run_torch(lambda p: torch.optim.SGD(p, lr=0.02), scale=50.0, clip=clip)
    assert_same_parameters(ours, theirs)
    _assert_clipping_was_active(ours, 0.02)


def test_schedule_drives_the_update_like_a_torch_scheduler():
    schedule = optimizers.schedules.ExponentialDecay(0.05, decay_steps=10, decay_rate=0.5,
                                                     staircase=True)
    ours = run_ours(optimizers.SGD(schedule, momentum=0.0))
    theirs = run_torch(
        lambda p: torch.optim.SGD(p, lr=0.05),
        make_scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5))
    assert_same_parameters(ours, theirs)
