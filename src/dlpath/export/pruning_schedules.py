"""Sparsity schedules for magnitude pruning: the target fraction of zeros at each step.

Gradual pruning (Zhu & Gupta 2017, "To prune, or not to prune: exploring the efficacy of
pruning for model compression", arXiv:1710.01878) raises the sparsity of each pruned
weight from an initial value s_i to a final value s_f over n pruning steps spaced Delta t
training steps apart, starting at step t_0:

.. math::

    s_t = s_f + (s_i - s_f) \\left(1 - \\frac{t - t_0}{n \\Delta t}\\right)^3,
    \\quad t \\in \\{t_0, t_0 + \\Delta t, \\dots, t_0 + n \\Delta t\\}

It prunes fast while there are many redundant weights and slowly near the end, when few
remain. A schedule here gives s_t for any step; when to prune (every Delta t steps) is the
`PruningCallback`'s ``frequency``. Steps count optimizer updates from 0.
"""

from __future__ import annotations

import numbers


def _fraction(value, name: str, owner: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number in [0, 1), got "
                        f"{type(value).__name__}")
    value = float(value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{owner}: {name} must lie in [0, 1), got {value}")
    return value


def _step(value, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{owner}: {name} must be a whole number >= 0, got {value!r}")
    return int(value)


class PruningSchedule:
    """Base of schedules: ``schedule(step)`` is the target sparsity at ``step``.

    ``begin_step`` is the first step that prunes; ``end_step`` the last one (None: the
    schedule prunes for ever, at the sparsity it has then).
    """

    begin_step: int = 0
    end_step: int | None = None

    def __call__(self, step: int) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def prunes_at(self, step: int, frequency: int) -> bool:
        """Whether the masks are recomputed at ``step``: every ``frequency`` steps from
        ``begin_step`` up to ``end_step``, and at ``end_step`` itself, so that the final
        sparsity is reached whatever the frequency."""
        if step < self.begin_step or (self.end_step is not None and step > self.end_step):
            return False
        return (step - self.begin_step) % frequency == 0 or step == self.end_step

    def get_config(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError


class PolynomialDecay(PruningSchedule):
    """Zhu & Gupta's gradual schedule (``power=3`` is theirs)::

        s(t) = s_f + (s_i - s_f) (1 - p)^power,   p = clip((t - t_0) / (t_end - t_0), 0, 1)

    so s(t_0) = s_i and s(t) = s_f from ``end_step`` on (t_end - t_0 = n Delta t).
    """

    def __init__(self, initial_sparsity: float, final_sparsity: float, begin_step: int,
                 end_step: int, power: float = 3):
        owner = "PolynomialDecay"
        self.initial_sparsity = _fraction(initial_sparsity, "initial_sparsity", owner)
        self.final_sparsity = _fraction(final_sparsity, "final_sparsity", owner)
        self.begin_step = _step(begin_step, "begin_step", owner)
        self.end_step = _step(end_step, "end_step", owner)
        if self.end_step <= self.begin_step:
            raise ValueError(f"{owner}: end_step must be after begin_step, got begin_step "
                             f"{self.begin_step} and end_step {self.end_step}")
        if self.final_sparsity < self.initial_sparsity:
            raise ValueError(f"{owner}: final_sparsity ({self.final_sparsity}) must be at "
                             f"least initial_sparsity ({self.initial_sparsity})")
        if isinstance(power, bool) or not isinstance(power, numbers.Real) or power <= 0:
            raise ValueError(f"{owner}: power must be a positive number, got {power!r}")
        self.power = power

    def __call__(self, step: int) -> float:
        span = self.end_step - self.begin_step
        progress = min(max((step - self.begin_step) / span, 0.0), 1.0)
        return float(self.final_sparsity + (self.initial_sparsity - self.final_sparsity)
                     * (1.0 - progress) ** self.power)

    def get_config(self) -> dict:
        return {"initial_sparsity": self.initial_sparsity,
                "final_sparsity": self.final_sparsity, "begin_step": self.begin_step,
                "end_step": self.end_step, "power": self.power}


class ConstantSparsity(PruningSchedule):
    """s(t) = ``target_sparsity`` from ``begin_step`` on (until ``end_step``, if given):
    one-shot pruning, then training with the masks held."""

    def __init__(self, target_sparsity: float, begin_step: int = 0,
                 end_step: int | None = None):
        owner = "ConstantSparsity"
        self.target_sparsity = _fraction(target_sparsity, "target_sparsity", owner)
        self.begin_step = _step(begin_step, "begin_step", owner)
        self.end_step = None if end_step is None else _step(end_step, "end_step", owner)
        if self.end_step is not None and self.end_step < self.begin_step:
            raise ValueError(f"{owner}: end_step ({self.end_step}) must not be before "
                             f"begin_step ({self.begin_step})")

    def __call__(self, step: int) -> float:
        return self.target_sparsity if step >= self.begin_step else 0.0

    def get_config(self) -> dict:
        return {"target_sparsity": self.target_sparsity, "begin_step": self.begin_step,
                "end_step": self.end_step}
