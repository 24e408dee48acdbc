"""Random initializers: RandomNormal, RandomUniform, TruncatedNormal, Orthogonal.

A seeded initializer returns the same values at every call (Keras 3); an unseeded one draws
from ``dlpath.random.generator()``, so ``dlpath.random.set_seed`` makes runs reproducible.
Samples are drawn in float64 and cast to the requested dtype.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.initializers.base import (
    Initializer, check_dtype, check_seed, check_shape, rng, truncated_normal,
)


def _check_positive(owner: str, name: str, value) -> float:
    value = float(value)
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be a finite number > 0, got {value}")
    return value


class RandomNormal(Initializer):
    r""":math:`W \sim \mathcal{N}(\text{mean}, \text{stddev}^2)`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = float(mean)
        self.stddev = _check_positive("RandomNormal", "stddev", stddev)
        self.seed = check_seed("RandomNormal", seed)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape, dtype = check_shape(owner, shape), check_dtype(owner, dtype)
        return rng(self.seed).normal(self.mean, self.stddev, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    r""":math:`W \sim \mathcal{U}[\text{minval}, \text{maxval})`."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = float(minval), float(maxval)
        if not self.minval < self.maxval:
            raise ValueError(
                f"RandomUniform: minval must be < maxval, got minval={minval}, maxval={maxval}"
            )
        self.seed = check_seed("RandomUniform", seed)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape, dtype = check_shape(owner, shape), check_dtype(owner, dtype)
        return rng(self.seed).uniform(self.minval, self.maxval, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(Initializer):
    r""":math:`\mathcal{N}(\text{mean}, \text{stddev}^2)` restricted to
    :math:`|W - \text{mean}| \le 2\,\text{stddev}` (samples outside are redrawn)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = float(mean)
        self.stddev = _check_positive("TruncatedNormal", "stddev", stddev)
        self.seed = check_seed("TruncatedNormal", seed)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape, dtype = check_shape(owner, shape), check_dtype(owner, dtype)
        return truncated_normal(rng(self.seed), shape, self.mean, self.stddev).astype(dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class Orthogonal(Initializer):
    r"""A random orthogonal matrix (Saxe et al., 2014, "Exact solutions to the nonlinear
    dynamics of learning in deep linear neural networks"), times ``gain``.

    The shape is flattened to (prod(shape[:-1]), shape[-1]); :math:`A \sim \mathcal{N}(0, 1)`
    of shape (max, min) is factored :math:`A = QR`, and :math:`Q\,\mathrm{diag}(\mathrm{sign}
    (R_{ii}))` (transposed when there are fewer rows than columns) has orthonormal columns
    (or rows): :math:`W^\top W = \text{gain}^2 I` for a tall or square :math:`W`.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = float(gain)
        self.seed = check_seed("Orthogonal", seed)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape, dtype = check_shape(owner, shape), check_dtype(owner, dtype)
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal: needs a shape of rank >= 2, got {shape} of rank {len(shape)}"
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = rng(self.seed).standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed}
