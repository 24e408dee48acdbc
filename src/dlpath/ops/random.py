"""Random tensors: normal, uniform, truncated normal, integers, shuffling, categorical draws.

Draws come from dlpath's shared generator (`dlpath.random.set_seed` makes them
reproducible), from a generator of their own for an int ``seed`` (the same seed, the same
values), or from a `SeedGenerator`, which gives a new but reproducible stream on each draw.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.random import generator


class SeedGenerator:
    """A reproducible source of seeds (Keras 3 ``keras.random.SeedGenerator``).

    Each draw that takes this as ``seed`` advances its state, so successive draws differ
    while a second SeedGenerator built with the same seed repeats them.
    """

    def __init__(self, seed=None):
        if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"SeedGenerator: seed must be a non-negative int or None, got "
                             f"{seed!r}")
        self.seed = seed
        self._rng = np.random.default_rng(seed) if seed is not None else generator()

    def next(self) -> np.random.Generator:
        return np.random.default_rng(int(self._rng.integers(2**63 - 1)))

    def get_config(self) -> dict:
        return {"seed": self.seed}


def draw_generator(seed=None) -> np.random.Generator:
    """The generator a draw with ``seed`` (None, an int, a SeedGenerator) uses."""
    if seed is None:
        return generator()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(f"random: seed must be None, a non-negative int or a SeedGenerator, got "
                     f"{seed!r}")


def _shape(shape) -> tuple:
    if isinstance(shape, Tensor):
        shape = shape.data.tolist()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(n) for n in shape)


def _float_dtype(dtype, owner: str) -> np.dtype:
    resolved = as_dtype(dtype, owner)
    if resolved.kind != "f":
        raise TypeError(f"{owner}: dtype must be floating, got {resolved}")
    return resolved


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    """x ~ N(mean, stddev^2), element-wise."""
    dtype = _float_dtype(dtype, "normal")
    draw = draw_generator(seed).normal(values(mean), values(stddev), _shape(shape))
    return Tensor(draw, dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    """N(mean, stddev^2) redrawn until within two standard deviations of the mean."""
    dtype = _float_dtype(dtype, "truncated_normal")
    rng = draw_generator(seed)
    shape = _shape(shape)
    draw = rng.standard_normal(shape)
    outside = np.abs(draw) > 2
    while outside.any():
        draw[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(draw) > 2
    return Tensor(draw * values(stddev) + values(mean), dtype=dtype)


def uniform(shape, minval=0.0, maxval=None, dtype="float32", seed=None):
    """x ~ U[minval, maxval) (maxval defaults to 1 for floats; integers need it)."""
    dtype = as_dtype(dtype, "uniform")
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("uniform: an integer dtype needs maxval")
        return randint(shape, minval, maxval, dtype, seed)
    maxval = 1.0 if maxval is None else maxval
    draw = draw_generator(seed).uniform(values(minval), values(maxval), _shape(shape))
    return Tensor(draw, dtype=dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers uniform in [minval, maxval)."""
    dtype = as_dtype(dtype, "randint")
    if int(maxval) <= int(minval):
        raise ValueError(f"randint: maxval ({maxval}) must be greater than minval ({minval})")
    draw = draw_generator(seed).integers(int(minval), int(maxval), _shape(shape))
    return Tensor(draw.astype(dtype), dtype=dtype)


def shuffle(x, axis: int = 0, seed=None):
    """``x`` with its slices along ``axis`` in a random order (differentiable: a gather)."""
    from dlpath.ops.array import take

    x = convert_to_tensor(x)
    order = draw_generator(seed).permutation(x.shape[int(axis)])
    return take(x, order, axis)


def categorical(logits, num_samples: int, dtype="int64", seed=None):
    """For each row of ``logits`` (batch, classes), ``num_samples`` class indices drawn with
    probabilities softmax(logits)."""
    z = values(logits).astype(np.float64)
    if z.ndim != 2:
        raise ValueError(f"categorical: logits must have shape (batch, classes), got {z.shape}")
    probs = np.exp(z - z.max(axis=1, keepdims=True))
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = draw_generator(seed).random((z.shape[0], int(num_samples), 1))
    draws = np.minimum((u > cdf[:, None, :]).sum(axis=-1), z.shape[1] - 1)
    return Tensor(draws.astype(as_dtype(dtype, "categorical")))


def dropout(inputs, rate: float, noise_shape=None, seed=None):
    """Keras 3 ``keras.random.dropout``: see `dlpath.ops.nn.dropout`."""
    from dlpath.ops.nn import dropout as nn_dropout

    return nn_dropout(inputs, rate, noise_shape, seed)
