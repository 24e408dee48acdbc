"""``tf.random``'s stateless draws, `Generator`, `fold_in`, `gamma`, `poisson`, and Keras 3's
``keras.random.beta`` / ``binomial`` / ``gamma``.

A stateless draw is a function of its ``seed``, a pair of integers: the same pair gives the
same values, in any program state. The pair seeds NumPy's ``SeedSequence``, so the values
are dlpath's own (TensorFlow's Philox streams are not reproduced).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.ops import random as draws
from dlpath.ops._convert import as_dtype, values


def _pair(seed, owner: str) -> list:
    pair = np.asarray(values(seed) if isinstance(seed, Tensor) else seed).reshape(-1)
    if pair.shape != (2,) or pair.dtype.kind not in "iu":
        raise ValueError(f"{owner}: seed must be a shape [2] integer tensor, got {seed!r}")
    return [int(s) % 2 ** 64 for s in pair]


def _seed(seed, owner: str) -> int:
    """The int seed of dlpath's draws for a stateless seed pair."""
    return int(np.random.SeedSequence(_pair(seed, owner)).generate_state(1, np.uint64)[0])


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype="float32", alg="auto_select",
                      name=None):
    """U[minval, maxval) (maxval 1 for floats; integers need minval and maxval)."""
    return draws.uniform(shape, minval, maxval, dtype, _seed(seed, "stateless_uniform"))


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32", alg="auto_select",
                     name=None):
    return draws.normal(shape, mean, stddev, dtype, _seed(seed, "stateless_normal"))


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32",
                               alg="auto_select", name=None):
    """N(mean, stddev^2) redrawn outside two standard deviations."""
    return draws.truncated_normal(shape, mean, stddev, dtype,
                                  _seed(seed, "stateless_truncated_normal"))


def stateless_categorical(logits, num_samples, seed, dtype="int64", name=None):
    return draws.categorical(logits, num_samples, dtype, _seed(seed, "stateless_categorical"))


def _rng(seed) -> np.random.Generator:
    return draws.draw_generator(seed)


def _binomial(rng, shape, counts, probs, dtype) -> Tensor:
    counts, probs = np.asarray(values(counts)), np.asarray(values(probs), dtype=np.float64)
    if np.any(probs < 0) or np.any(probs > 1):
        raise ValueError("binomial: probabilities must be in [0, 1]")
    dtype = as_dtype(dtype, "binomial")
    shape = tuple(draws._shape(shape))
    return Tensor(rng.binomial(counts.astype(np.int64), probs, shape).astype(dtype),
                  dtype=dtype)


def stateless_binomial(shape, seed, counts, probs, output_dtype="int32", name=None):
    """Binomial(counts, probs) counts of successes, broadcast to ``shape``."""
    rng = np.random.default_rng(_seed(seed, "stateless_binomial"))
    return _binomial(rng, shape, counts, probs, output_dtype)


def _gamma(rng, shape, alpha, beta, dtype, owner: str) -> Tensor:
    dtype = as_dtype(dtype, owner)
    alpha = np.asarray(values(alpha), dtype=np.float64)
    rate = np.ones_like(alpha) if beta is None else np.asarray(values(beta), np.float64)
    if np.any(alpha <= 0) or np.any(rate <= 0):
        raise ValueError(f"{owner}: alpha (and beta) must be positive")
    params = np.broadcast_shapes(alpha.shape, rate.shape)
    full = tuple(draws._shape(shape)) + params
    return Tensor(rng.gamma(np.broadcast_to(alpha, full), 1.0 / np.broadcast_to(rate, full)),
                  dtype=dtype)


def gamma(shape, alpha, beta=None, dtype="float32", seed=None, name=None):
    """Gamma(alpha, rate beta) draws of shape ``shape + broadcast(alpha, beta).shape``."""
    return _gamma(_rng(seed), shape, alpha, beta, dtype, "gamma")


def stateless_gamma(shape, seed, alpha, beta=None, dtype="float32", name=None):
    """Gamma(alpha, rate beta) draws of shape ``shape`` (alpha, beta broadcast to it)."""
    rng = np.random.default_rng(_seed(seed, "stateless_gamma"))
    shape = tuple(draws._shape(shape))
    alpha = np.broadcast_to(values(alpha), shape)
    beta = None if beta is None else np.broadcast_to(values(beta), shape)
    return _gamma(rng, (), alpha, beta, dtype, "stateless_gamma")


def _poisson(rng, shape, lam, dtype, owner: str, append: bool) -> Tensor:
    dtype = as_dtype(dtype, owner)
    lam = np.asarray(values(lam), dtype=np.float64)
    if np.any(lam < 0):
        raise ValueError(f"{owner}: lam must be non-negative")
    full = tuple(draws._shape(shape)) + (lam.shape if append else ())
    return Tensor(rng.poisson(np.broadcast_to(lam, full)).astype(dtype), dtype=dtype)


def poisson(shape, lam, dtype="float32", seed=None, name=None):
    """Poisson(lam) draws of shape ``shape + lam.shape``."""
    return _poisson(_rng(seed), shape, lam, dtype, "poisson", True)


def stateless_poisson(shape, seed, lam, dtype="int32", name=None):
    """Poisson(lam) draws of shape ``shape`` (lam broadcast to it)."""
    rng = np.random.default_rng(_seed(seed, "stateless_poisson"))
    return _poisson(rng, shape, lam, dtype, "stateless_poisson", False)


def fold_in(seed, data, alg="auto_select"):
    """A new seed pair (int64) from ``seed`` and the integer ``data``: deterministic, and
    different for different data."""
    pair = _pair(seed, "fold_in")
    state = np.random.SeedSequence(pair + [int(values(data)) % 2 ** 64]).generate_state(
        2, np.uint32)
    return Tensor(state.astype(np.int64), dtype="int64")


class Generator:
    """``tf.random.Generator``: a stateful stream of draws, reproducible from its seed."""

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._state = copy_from._state
        else:
            self._state = np.random.SeedSequence(
                None if state is None else [int(s) % 2 ** 64 for s in
                                            np.asarray(values(state)).reshape(-1)])
        self._rng = np.random.default_rng(self._state)
        if copy_from is not None:
            self._rng.bit_generator.state = copy_from._rng.bit_generator.state

    @classmethod
    def from_seed(cls, seed, alg=None) -> "Generator":
        return cls(state=[int(seed)])

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> "Generator":
        return cls()

    def _next_seed(self) -> int:
        return int(self._rng.integers(2 ** 63 - 1))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        return draws.normal(shape, mean, stddev, dtype, self._next_seed())

    def uniform(self, shape, minval=0, maxval=None, dtype="float32", name=None):
        return draws.uniform(shape, minval, maxval, dtype, self._next_seed())

    def uniform_full_int(self, shape, dtype="int64", name=None):
        dtype = as_dtype(dtype, "uniform_full_int")
        info = np.iinfo(dtype)
        return Tensor(self._rng.integers(info.min, info.max, draws._shape(shape),
                                         dtype=dtype, endpoint=True), dtype=dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        return draws.truncated_normal(shape, mean, stddev, dtype, self._next_seed())

    def binomial(self, shape, counts, probs, dtype="int32", name=None):
        return _binomial(self._rng, shape, counts, probs, dtype)

    def make_seeds(self, count: int = 1):
        """(2, count) int64 seed pairs for stateless draws."""
        return Tensor(self._rng.integers(0, 2 ** 63 - 1, (2, int(count))), dtype="int64")

    def split(self, count: int = 1) -> list:
        """``count`` new independent generators (this one advances)."""
        return [Generator(state=[self._next_seed()]) for _ in range(int(count))]


_global = [None]


def get_global_generator() -> Generator:
    if _global[0] is None:
        _global[0] = Generator(state=[int(draws.generator().integers(2 ** 63 - 1))])
    return _global[0]


def set_global_generator(generator: Generator) -> None:
    if not isinstance(generator, Generator):
        raise TypeError(f"set_global_generator: expected a Generator, got "
                        f"{type(generator).__name__}")
    _global[0] = generator


def _floatx(dtype) -> np.dtype:
    return as_dtype("float32" if dtype is None else dtype, "random")


def keras_gamma(shape, alpha, dtype=None, seed=None):
    """``keras.random.gamma``: Gamma(alpha, 1) draws of ``shape``."""
    shape = tuple(draws._shape(shape))
    return _gamma(_rng(seed), (), np.broadcast_to(values(alpha), shape), None, _floatx(dtype),
                  "gamma")


def keras_binomial(shape, counts, probabilities, dtype=None, seed=None):
    """``keras.random.binomial``: Binomial(counts, probabilities) draws of ``shape``, as
    floats."""
    return _binomial(_rng(seed), shape, counts, probabilities, _floatx(dtype))


def keras_beta(shape, alpha, beta, dtype=None, seed=None):
    """``keras.random.beta``: Beta(alpha, beta) draws of ``shape``."""
    alpha, beta = np.asarray(values(alpha), np.float64), np.asarray(values(beta), np.float64)
    if np.any(alpha <= 0) or np.any(beta <= 0):
        raise ValueError("beta: alpha and beta must be positive")
    dtype = _floatx(dtype)
    shape = draws._shape(shape)
    return Tensor(_rng(seed).beta(np.broadcast_to(alpha, shape), np.broadcast_to(beta, shape)),
                  dtype=dtype)


TF_NAMES = ("stateless_uniform", "stateless_normal", "stateless_truncated_normal",
            "stateless_categorical", "stateless_binomial", "stateless_gamma",
            "stateless_poisson", "fold_in", "gamma", "poisson", "Generator",
            "get_global_generator", "set_global_generator")
