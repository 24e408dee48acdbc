"""VarianceScaling and its named cases: Glorot, He and LeCun, normal and uniform."""

from __future__ import annotations

import math

import numpy as np

from dlpath.initializers.base import (
    Initializer, check_dtype, check_seed, check_shape, compute_fans, rng, truncated_normal,
)

# The standard deviation of a standard normal truncated to [-2, 2].
TRUNCATED_STDDEV = 0.87962566103423978
_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(Initializer):
    r"""Samples with variance ``scale / n``, ``n`` the fan picked by ``mode`` (Keras 3).

    With :math:`s = \text{scale} / \max(1, n)`, :math:`n` = fan_in, fan_out or
    (fan_in + fan_out) / 2 (see `compute_fans`):

    - ``"truncated_normal"``: :math:`\mathcal{N}(0, \sigma^2)` truncated at :math:`2\sigma`,
      :math:`\sigma = \sqrt{s} / 0.87962566`, so that the variance after truncation is
      :math:`s`;
    - ``"untruncated_normal"``: :math:`\mathcal{N}(0, s)`;
    - ``"uniform"``: :math:`\mathcal{U}[-\sqrt{3 s}, \sqrt{3 s}]`.

    ``distribution="normal"`` means ``"truncated_normal"``, as in Keras.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        owner = type(self).__name__
        scale = float(scale)
        if not scale > 0 or not math.isfinite(scale):
            raise ValueError(f"{owner}: scale must be a finite number > 0, got {scale}")
        mode = str(mode).lower()
        if mode not in _MODES:
            raise ValueError(f"{owner}: mode must be one of {_MODES}, got {mode!r}")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"{owner}: distribution must be one of {_DISTRIBUTIONS} (or 'normal'), "
                f"got {distribution!r}"
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed = check_seed(owner, seed)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape, dtype = check_shape(owner, shape), check_dtype(owner, dtype)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out,
               "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        generator = rng(self.seed)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / TRUNCATED_STDDEV
            values = truncated_normal(generator, shape, 0.0, stddev)
        elif self.distribution == "untruncated_normal":
            values = generator.normal(0.0, math.sqrt(variance), shape)
        else:
            limit = math.sqrt(3.0 * variance)
            values = generator.uniform(-limit, limit, shape)
        return values.astype(dtype)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


class _Preset(VarianceScaling):
    """A named VarianceScaling: only the seed is configurable."""

    _scale, _mode, _distribution = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None):
        super().__init__(self._scale, self._mode, self._distribution, seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class GlorotNormal(_Preset):
    r"""Glorot & Bengio (2010): truncated normal, variance :math:`2 / (n_{in} + n_{out})`."""

    _scale, _mode, _distribution = 1.0, "fan_avg", "truncated_normal"


class GlorotUniform(_Preset):
    r"""Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward
    neural networks": :math:`\mathcal{U}[-l, l]`, :math:`l = \sqrt{6 / (n_{in} + n_{out})}`."""

    _scale, _mode, _distribution = 1.0, "fan_avg", "uniform"


class HeNormal(_Preset):
    r"""He et al. (2015), "Delving Deep into Rectifiers": truncated normal, variance
    :math:`2 / n_{in}`."""

    _scale, _mode, _distribution = 2.0, "fan_in", "truncated_normal"


class HeUniform(_Preset):
    r"""He et al. (2015): :math:`\mathcal{U}[-l, l]`, :math:`l = \sqrt{6 / n_{in}}`."""

    _scale, _mode, _distribution = 2.0, "fan_in", "uniform"


class LecunNormal(_Preset):
    r"""LeCun et al. (1998), "Efficient BackProp": truncated normal, variance
    :math:`1 / n_{in}` (the SELU initializer)."""

    _scale, _mode, _distribution = 1.0, "fan_in", "truncated_normal"


class LecunUniform(_Preset):
    r"""LeCun et al. (1998): :math:`\mathcal{U}[-l, l]`, :math:`l = \sqrt{3 / n_{in}}`."""

    _scale, _mode, _distribution = 1.0, "fan_in", "uniform"
