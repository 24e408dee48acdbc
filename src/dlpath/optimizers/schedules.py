"""Learning-rate schedules: ``lr = schedule(step)``, with Keras 3's names and formulas.

An optimizer given a `LearningRateSchedule` evaluates it at its ``iterations`` counter (the
number of updates already applied, so the first update uses ``schedule(0)``). Every schedule
returns a Python float and has ``get_config()``; `serialize` / `deserialize` turn it into and
out of ``{"class_name": ..., "config": ...}``.

Equivalences with ``torch.optim.lr_scheduler`` (stepped once per update):

- ``ExponentialDecay(lr, 1, gamma)`` = ``ExponentialLR(gamma)``;
- ``ExponentialDecay(lr, k, gamma, staircase=True)`` = ``StepDecay(lr, k, gamma)``
  = ``StepLR(step_size=k, gamma=gamma)``;
- ``PolynomialDecay(lr, T, end_learning_rate=0, power=p)`` = ``PolynomialLR(T, power=p)``;
- ``CosineDecay(lr, T, alpha=a)`` = ``CosineAnnealingLR(T, eta_min=a * lr)``;
- ``CosineDecayRestarts(lr, T0, t_mul=k, alpha=a)`` (integer ``k``)
  = ``CosineAnnealingWarmRestarts(T0, T_mult=k, eta_min=a * lr)``.
"""

from __future__ import annotations

import itertools
import math
import numbers


def _check_number(owner: str, name: str, value, *, positive=False, non_negative=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{owner}: {name} must be > 0, got {value}")
    if non_negative and value < 0:
        raise ValueError(f"{owner}: {name} must be >= 0, got {value}")
    return value


def _check_step(owner: str, step) -> float:
    step = float(step)
    if step < 0:
        raise ValueError(f"{owner}: step must be >= 0, got {step}")
    return step


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step) -> float`` and ``get_config()``."""

    def __call__(self, step) -> float:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(self, step)"
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"{type(self).__name__} must implement get_config() to be serializable"
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class _RateDecay(LearningRateSchedule):
    """Shared by the schedules that decay ``initial_learning_rate`` at ``decay_rate`` per
    ``decay_steps`` steps: their arguments and the progress p = t / s (floored when
    ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(
            owner, "initial_learning_rate", initial_learning_rate, non_negative=True)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.decay_rate = _check_number(owner, "decay_rate", decay_rate, non_negative=True)
        self.staircase = bool(staircase)
        self.name = name or owner

    def progress(self, step) -> float:
        p = _check_step(type(self).__name__, step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    r"""Exponential decay.

    .. math::
        \mathrm{lr}(t) = \mathrm{lr}_0 \cdot r^{t / s}
        \quad (t / s \text{ floored when } \mathtt{staircase})

    with ``r = decay_rate`` and ``s = decay_steps``.
    """

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate * self.decay_rate ** self.progress(step))


class PiecewiseConstantDecay(LearningRateSchedule):
    r"""Piecewise constant values between step boundaries.

    .. math::
        \mathrm{lr}(t) = v_0 \text{ if } t \le b_0;\quad
        v_i \text{ if } b_{i-1} < t \le b_i;\quad v_n \text{ if } t > b_{n-1}

    ``values`` has one more entry than ``boundaries``, which must increase strictly.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        owner = type(self).__name__
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"{owner}: values must have one more entry than boundaries, got "
                f"{len(boundaries)} boundaries and {len(values)} values"
            )
        for b in boundaries:
            _check_number(owner, "each boundary", b)
        for v in values:
            _check_number(owner, "each value", v, non_negative=True)
        if any(b1 <= b0 for b0, b1 in itertools.pairwise(boundaries)):
            raise ValueError(f"{owner}: boundaries must increase strictly, got {boundaries}")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step) -> float:
        step = _check_step(type(self).__name__, step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class InverseTimeDecay(_RateDecay):
    r"""Inverse time decay.

    .. math::
        \mathrm{lr}(t) = \frac{\mathrm{lr}_0}{1 + r \cdot t / s}
        \quad (t / s \text{ floored when } \mathtt{staircase})

    ``InverseTimeDecay(lr, 1, decay)`` is tf.keras 2's ``decay=`` argument exactly.
    """

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate / (1.0 + self.decay_rate * self.progress(step)))


class PolynomialDecay(LearningRateSchedule):
    r"""Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``.

    .. math::
        \mathrm{lr}(t) = (\mathrm{lr}_0 - \mathrm{lr}_{end})
            \left(1 - \frac{\min(t, T)}{T}\right)^{p} + \mathrm{lr}_{end}

    With ``cycle=True``, ``T`` becomes ``T * ceil(t / T)`` (and ``T`` at ``t = 0``).
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(
            owner, "initial_learning_rate", initial_learning_rate, non_negative=True)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.end_learning_rate = _check_number(
            owner, "end_learning_rate", end_learning_rate, non_negative=True)
        self.power = _check_number(owner, "power", power)
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step) -> float:
        step = _check_step(type(self).__name__, step)
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        fraction = 1.0 - step / decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        return float(span * fraction ** self.power + self.end_learning_rate)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


def _cosine(fraction: float, alpha: float) -> float:
    """(1 - alpha) * (1 + cos(pi * fraction)) / 2 + alpha."""
    return (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    r"""Cosine decay (Loshchilov & Hutter, 2017, "SGDR"), with an optional linear warm-up.

    Without warm-up (``warmup_target=None``), with :math:`T` = ``decay_steps``:

    .. math::
        \mathrm{lr}(t) = \mathrm{lr}_0 \left[(1 - \alpha)\,
            \tfrac{1}{2}\left(1 + \cos\frac{\pi \min(t, T)}{T}\right) + \alpha\right]

    With warm-up (``warmup_steps`` = :math:`W`), the rate goes linearly from ``lr_0`` to
    ``warmup_target`` over the first :math:`W` steps, then decays from ``warmup_target`` as
    above with :math:`t - W` in place of :math:`t`.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(
            owner, "initial_learning_rate", initial_learning_rate, non_negative=True)
        self.decay_steps = _check_number(owner, "decay_steps", decay_steps, positive=True)
        self.alpha = _check_number(owner, "alpha", alpha, non_negative=True)
        if warmup_target is not None:
            _check_number(owner, "warmup_target", warmup_target, non_negative=True)
        self.warmup_target = warmup_target
        self.warmup_steps = _check_number(owner, "warmup_steps", warmup_steps,
                                          non_negative=True)
        self.name = name

    def __call__(self, step) -> float:
        step = _check_step(type(self).__name__, step)
        if self.warmup_target is None:
            fraction = min(step, self.decay_steps) / self.decay_steps
            return float(self.initial_learning_rate * _cosine(fraction, self.alpha))
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return float(self.initial_learning_rate + delta * step / self.warmup_steps)
        fraction = (step - self.warmup_steps) / self.decay_steps
        return float(self.warmup_target * _cosine(fraction, self.alpha))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    r"""Cosine decay with warm restarts (Loshchilov & Hutter, 2017, "SGDR").

    Period :math:`i` lasts :math:`T_0 \cdot t_{mul}^i` steps and starts from
    :math:`\mathrm{lr}_0 \cdot m_{mul}^i`; inside a period, at fraction :math:`f` of it,

    .. math::
        \mathrm{lr} = \mathrm{lr}_0 \left[(1 - \alpha)\, m_{mul}^i\,
            \tfrac{1}{2}(1 + \cos \pi f) + \alpha\right]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(
            owner, "initial_learning_rate", initial_learning_rate, non_negative=True)
        self.first_decay_steps = _check_number(owner, "first_decay_steps", first_decay_steps,
                                               positive=True)
        self.t_mul = _check_number(owner, "t_mul", t_mul, positive=True)
        self.m_mul = _check_number(owner, "m_mul", m_mul, non_negative=True)
        self.alpha = _check_number(owner, "alpha", alpha, non_negative=True)
        self.name = name

    def __call__(self, step) -> float:
        fraction = _check_step(type(self).__name__, step) / self.first_decay_steps
        if self.t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            # Periods 1, t, t^2, ... (in units of T0): restart i begins at (1 - t^i) / (1 - t).
            t_mul = self.t_mul
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            start = (1.0 - t_mul ** restart) / (1.0 - t_mul)
            fraction = (fraction - start) / t_mul ** restart
        cosine = 0.5 * self.m_mul ** restart * (1.0 + math.cos(math.pi * fraction))
        return float(self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


class StepDecay(LearningRateSchedule):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps (PyTorch's ``StepLR``).

    .. math::
        \mathrm{lr}(t) = \mathrm{lr}_0 \cdot \gamma^{\lfloor t / k \rfloor}
    """

    def __init__(self, initial_learning_rate, step_size, gamma=0.1, name="StepDecay"):
        owner = type(self).__name__
        self.initial_learning_rate = _check_number(
            owner, "initial_learning_rate", initial_learning_rate, non_negative=True)
        if isinstance(step_size, bool) or not isinstance(step_size, numbers.Integral):
            raise TypeError(f"{owner}: step_size must be an integer, got {step_size!r}")
        self.step_size = _check_number(owner, "step_size", int(step_size), positive=True)
        self.gamma = _check_number(owner, "gamma", gamma, non_negative=True)
        self.name = name

    def __call__(self, step) -> float:
        step = _check_step(type(self).__name__, step)
        return float(self.initial_learning_rate * self.gamma ** (step // self.step_size))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "step_size": self.step_size, "gamma": self.gamma, "name": self.name}


class LinearWarmup(LearningRateSchedule):
    r"""Ramp linearly from 0 to a rate or schedule over ``warmup_steps``, then follow it.

    With :math:`W` = ``warmup_steps`` and :math:`s` the wrapped schedule (a constant when a
    float is given), following Keras' ``CosineDecay`` warm-up convention:

    .. math::
        \mathrm{lr}(t) = s(0) \cdot t / W \text{ for } t < W, \qquad
        \mathrm{lr}(t) = s(t - W) \text{ for } t \ge W

    so the wrapped schedule starts counting when the warm-up ends (Goyal et al., 2017,
    "Accurate, Large Minibatch SGD", sec. 2.2).
    """

    def __init__(self, schedule_or_lr, warmup_steps, name="LinearWarmup"):
        owner = type(self).__name__
        if isinstance(schedule_or_lr, dict):
            schedule_or_lr = deserialize(schedule_or_lr)
        if not isinstance(schedule_or_lr, LearningRateSchedule):
            _check_number(owner, "schedule_or_lr", schedule_or_lr, non_negative=True)
        self.schedule_or_lr = schedule_or_lr
        self.warmup_steps = _check_number(owner, "warmup_steps", warmup_steps,
                                          non_negative=True)
        self.name = name

    def _after(self, step: float) -> float:
        if isinstance(self.schedule_or_lr, LearningRateSchedule):
            return float(self.schedule_or_lr(step))
        return float(self.schedule_or_lr)

    def __call__(self, step) -> float:
        step = _check_step(type(self).__name__, step)
        if step < self.warmup_steps:
            return self._after(0) * step / self.warmup_steps
        return self._after(step - self.warmup_steps)

    def get_config(self) -> dict:
        inner = self.schedule_or_lr
        if isinstance(inner, LearningRateSchedule):
            inner = serialize(inner)
        return {"schedule_or_lr": inner, "warmup_steps": self.warmup_steps,
                "name": self.name}


_SCHEDULES = {cls.__name__: cls for cls in (
    ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay,
    CosineDecay, CosineDecayRestarts, StepDecay, LinearWarmup,
)}


def serialize(schedule: LearningRateSchedule) -> dict:
    """``{"class_name": ..., "config": ...}`` for a schedule."""
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(
            f"serialize: expected a LearningRateSchedule, got {type(schedule).__name__}"
        )
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from `serialize`'s output (Keras' extra keys are ignored)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"deserialize: expected a dict with 'class_name' and 'config', got {config!r}"
        )
    known = dict(_SCHEDULES, **(custom_objects or {}))
    name = config["class_name"]
    if name not in known:
        raise ValueError(
            f"deserialize: unknown schedule {name!r}; known: {', '.join(sorted(known))}"
        )
    return known[name].from_config(dict(config.get("config", {})))


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
