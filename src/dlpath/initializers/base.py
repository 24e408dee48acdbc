"""The initializer base class, Keras' fan computation and the samplers initializers share."""

from __future__ import annotations

import math
import numbers

import numpy as np

import dlpath.random as _random


class Initializer:
    """Base class: ``init(shape, dtype="float32") -> np.ndarray`` plus ``get_config()``."""

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def check_shape(owner: str, shape) -> tuple:
    """``shape`` as a tuple of non-negative ints (an int is a 1-D shape)."""
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"{owner}: shape must be a tuple of ints, got {shape!r}") from None
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim < 0:
            raise ValueError(f"{owner}: shape must hold non-negative ints, got {shape!r}")
    return tuple(int(d) for d in dims)


def check_dtype(owner: str, dtype, floating: bool = True) -> np.dtype:
    """``dtype`` as a NumPy dtype; random initializers need a floating one."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{owner}: dtype {dtype!r} is not a NumPy dtype") from None
    if floating and dtype.kind != "f":
        raise ValueError(f"{owner}: dtype must be floating (e.g. 'float32'), got {dtype}")
    if dtype.kind not in "fiub":
        raise ValueError(f"{owner}: dtype must be numeric, got {dtype}")
    return dtype


def check_seed(owner: str, seed) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"{owner}: seed must be None or an int >= 0, got {seed!r}")
    return int(seed)


def compute_fans(shape) -> tuple[int, int]:
    """(fan_in, fan_out) as Keras ``compute_fans``.

    Dense kernel ``(in, out)``: (in, out). Conv kernel ``(*spatial, in, out)``:
    (receptive field * in, receptive field * out), receptive field = prod(spatial).
    A vector ``(n,)``: (n, n); a scalar: (1, 1).
    """
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


def rng(seed: int | None) -> np.random.Generator:
    """A fresh generator for a seeded initializer (the same values at every call, as Keras
    3); else the shared one, which ``dlpath.random.set_seed`` makes reproducible."""
    return _random.generator(seed)


def truncated_normal(generator: np.random.Generator, shape: tuple, mean: float,
                     stddev: float) -> np.ndarray:
    """Normal samples, redrawn until within 2 standard deviations of the mean (float64)."""
    samples = generator.standard_normal(math.prod(shape))
    outside = np.flatnonzero(np.abs(samples) > 2.0)
    while outside.size:
        samples[outside] = generator.standard_normal(outside.size)
        outside = outside[np.abs(samples[outside]) > 2.0]
    return mean + stddev * samples.reshape(shape)
