"""`Normalization`: standardize features with a mean and variance given or learned by
``adapt``."""

from __future__ import annotations

import numpy as np

from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.preprocessing.adapt_data import batches

EPSILON = 1e-7  # Keras' backend.epsilon(): the smallest standard deviation divided by


class BatchMoments:
    """Mean and variance over batches, merged as they come (Chan et al., 1979).

    A batch of ``n_b`` values with mean :math:`\\mu_b` and sum of squared deviations
    :math:`M_b` joins the running ``(n, \\mu, M)`` as

    .. math::  \\delta = \\mu_b - \\mu,\\quad n' = n + n_b,\\quad
               \\mu' = \\mu + \\delta\\, n_b / n',\\quad
               M' = M + M_b + \\delta^2\\, n\\, n_b / n'

    (Welford's update is the case ``n_b = 1``); the variance is ``M / n`` (population
    variance, as Keras). Everything is accumulated in float64.
    """

    def __init__(self):
        self.count, self.mean, self.m2 = 0, None, None

    def update(self, values: np.ndarray, axes: tuple) -> None:
        """Add ``values``, reduced over ``axes``."""
        values = values.astype(np.float64)
        count = int(np.prod([values.shape[a] for a in axes])) if axes else 1
        if count == 0:
            return
        mean = values.mean(axis=axes) if axes else values
        m2 = ((values - values.mean(axis=axes, keepdims=True)) ** 2).sum(axis=axes) if axes \
            else np.zeros_like(values)
        if self.mean is None:
            self.count, self.mean, self.m2 = count, mean, m2
            return
        total = self.count + count
        delta = mean - self.mean
        self.mean = self.mean + delta * (count / total)
        self.m2 = self.m2 + m2 + delta ** 2 * (self.count * count / total)
        self.count = total

    @property
    def variance(self) -> np.ndarray:
        return self.m2 / self.count


class Normalization(Layer):
    """``keras.layers.Normalization(axis=-1, mean=None, variance=None, invert=False)``:

    .. math::  y = (x - \\mu) / \\max(\\sqrt{\\sigma^2}, \\epsilon), \\qquad
               \\text{invert:}\\; y = \\mu + x \\max(\\sqrt{\\sigma^2}, \\epsilon)

    with one mean and variance per index of the kept ``axis`` (an int, a tuple of ints, or
    None for a single scalar mean and variance), and :math:`\\epsilon = 10^{-7}`.

    ``mean`` and ``variance`` are given (numbers or arrays broadcastable to the kept axes),
    or learned by ``adapt(data)`` from arrays, lists of batches, generators or datasets of
    batches (`BatchMoments`). Learned statistics are non-trainable weights ``mean`` and
    ``variance``, so they are saved with the model; given ones are part of the config.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        if axis is None:
            self.axis = ()
        elif arguments.is_int(axis):
            self.axis = (int(axis),)
        elif isinstance(axis, (list, tuple)) and all(arguments.is_int(a) for a in axis):
            self.axis = tuple(int(a) for a in axis)
        else:
            raise arguments.ArgumentTypeError(
                f"{owner}: axis must be an int, a tuple of ints or None, got "
                f"{arguments.describe(axis)}")
        if (mean is None) != (variance is None):
            raise arguments.InvalidArgumentError(
                f"{owner}: give both mean and variance, or neither (and call adapt()); got "
                f"mean={mean!r:.40} and variance={variance!r:.40}")
        self.input_mean = None if mean is None else np.asarray(mean, dtype=np.float64)
        self.input_variance = None if variance is None else np.asarray(variance,
                                                                       dtype=np.float64)
        if self.input_variance is not None and np.any(self.input_variance < 0):
            raise arguments.InvalidArgumentError(f"{owner}: variance must be >= 0")
        self.invert = bool(invert)
        self.mean = self.variance = None

    # ------------------------------------------------------------ shapes
    def _kept_axes(self, input_shape) -> tuple:
        rank = len(input_shape)
        kept = []
        for axis in self.axis:
            if not -rank <= axis < rank:
                raise arguments.InvalidArgumentError(
                    f"Layer '{self.name}' (Normalization): axis {axis} is out of range for "
                    f"an input of shape {tuple(input_shape)}")
            kept.append(axis % rank)
        if 0 in kept and rank > 1:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Normalization): axis must not include the batch axis "
                f"0, got axis={self.axis}")
        return tuple(sorted(set(kept)))

    def build(self, input_shape) -> None:
        self._rank = len(input_shape)
        self._kept = self._kept_axes(input_shape)
        self._stat_shape = tuple(int(input_shape[a]) for a in self._kept)
        self._broadcast_shape = tuple(int(input_shape[a]) if a in self._kept else 1
                                      for a in range(self._rank))
        if self.input_mean is None:
            self.mean = self.add_weight("mean", self._stat_shape, "zeros", trainable=False)
            self.variance = self.add_weight("variance", self._stat_shape, "ones",
                                            trainable=False)
        else:
            for name, value in (("mean", self.input_mean), ("variance", self.input_variance)):
                if value.size != int(np.prod(self._stat_shape)) and value.size != 1:
                    raise arguments.InvalidArgumentError(
                        f"Layer '{self.name}' (Normalization): {name} of shape {value.shape} "
                        f"does not fit the kept axes' shape {self._stat_shape} "
                        f"(axis={self.axis}, input shape {tuple(input_shape)})")
        self.built = True

    def _statistics(self):
        if self.input_mean is not None:
            mean, variance = (v.reshape(self._stat_shape) if v.size > 1 else
                              np.broadcast_to(v.reshape(()), self._stat_shape)
                              for v in (self.input_mean, self.input_variance))
        else:
            mean, variance = self.mean.data, self.variance.data
        shape = self._broadcast_shape
        return (mean.reshape(shape).astype(self.dtype),
                variance.reshape(shape).astype(self.dtype))

    # ------------------------------------------------------------ adapt and call
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the mean and variance of ``data`` (see the class docstring)."""
        if self.input_mean is not None:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Normalization): cannot adapt a layer that was given "
                f"mean and variance")
        moments = BatchMoments()
        for batch in batches(data, batch_size, steps, "Normalization"):
            if batch.dtype.kind not in "fiub":
                raise arguments.ArgumentTypeError(
                    f"Layer '{self.name}' (Normalization): adapt needs numbers, got a batch "
                    f"of dtype {batch.dtype}")
            if not self.built:
                self.build(batch.shape)
            self._check_batch(batch)
            reduced = tuple(a for a in range(batch.ndim) if a not in self._kept)
            moments.update(batch, reduced)
        self.mean.data[...] = moments.mean.reshape(self._stat_shape)
        self.variance.data[...] = moments.variance.reshape(self._stat_shape)

    def _check_batch(self, batch: np.ndarray) -> None:
        kept_sizes = tuple(batch.shape[a] for a in self._kept) if batch.ndim == self._rank \
            else None
        if kept_sizes != self._stat_shape:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Normalization): a batch of shape {batch.shape} does "
                f"not match the layer, built for rank {self._rank} with sizes "
                f"{self._stat_shape} on axes {self._kept}")

    def call(self, inputs):
        if inputs.ndim != self._rank or any(
                inputs.shape[a] != s for a, s in zip(self._kept, self._stat_shape)):
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Normalization): expected inputs of rank {self._rank} "
                f"with sizes {self._stat_shape} on axes {self._kept}, got shape "
                f"{inputs.shape}")
        mean, variance = self._statistics()
        scale = np.maximum(np.sqrt(variance), np.asarray(EPSILON, dtype=variance.dtype))
        if self.invert:
            return inputs * scale + mean
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=None if self.axis == () else (self.axis[0] if len(self.axis) == 1
                                               else list(self.axis)),
            mean=None if self.input_mean is None else self.input_mean.tolist(),
            variance=None if self.input_variance is None else self.input_variance.tolist(),
            invert=self.invert)
        return config


