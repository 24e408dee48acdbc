"""`Discretization`: bucket continuous values by ranges, ``keras.layers.Discretization``.

With boundaries b_0 < b_1 < ... < b_{k-1} (given, or learned by ``adapt`` as quantiles),
a value x falls in bucket

    i(x) = #{j : b_j <= x}        (bins (-inf, b_0), [b_0, b_1), ..., [b_{k-1}, +inf))

and the output is i(x) (``output_mode='int'``) or its one-hot / multi-hot / count encoding
over k + 1 bins. Bucket indices are piecewise constant in x, so no gradient flows back.

``adapt`` summarizes the data by Keras' approximate-quantile scheme: each batch is reduced
to about 1 / epsilon sorted sample values with weights, summaries are merged (weighted merge
sort, then compressed by interpolating the cumulative weights), and the boundaries are the
values at cumulative weight fractions 1 / num_bins, 2 / num_bins, ... of the summary.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.preprocessing.adapt_data import batches
from dlpath.layers.preprocessing.category_encoding import encode

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """(2, m) summary of ``values``: every ``step``-th sorted value, weight ``step`` each,
    step = max(n epsilon, 1) (all values, weight 1, when there are fewer than 1 / epsilon)."""
    values = np.sort(np.asarray(values, dtype=np.float32).reshape(-1))
    increment = values.size * epsilon
    step = max(increment, 1.0)
    kept = values[int(increment)::int(step)]
    return np.stack([kept, np.full(kept.shape, step)])


def compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """The summary at cumulative weight fractions epsilon, 2 epsilon, ..., 1 (linear
    interpolation of values and cumulative weights); unchanged if already that small."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    positions = cumulative / cumulative[-1]
    values = np.interp(fractions, positions, summary[0])
    weights = np.diff(np.interp(fractions, positions, cumulative), prepend=0.0)
    return np.stack([values, weights]).astype(np.float32)


def merge(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    """Weighted merge of two summaries, compressed to ``epsilon``."""
    merged = np.concatenate([first, second], axis=1)
    return compress(merged[:, np.argsort(merged[0], kind="stable")], epsilon)


def bin_boundaries_of(summary: np.ndarray, num_bins: int) -> list:
    """The num_bins - 1 inner boundaries: the summary's values at fractions j / num_bins."""
    return compress(summary, 1.0 / num_bins)[0, :-1].tolist()


class Discretization(Layer):
    """``keras.layers.Discretization(bin_boundaries=None, num_bins=None, epsilon=0.01,
    output_mode="int")``: values to bucket indices (see the module docstring).

    Give either ``bin_boundaries`` (a sorted list) or ``num_bins`` and call ``adapt(data)``.
    ``output_mode='int'`` returns int64 indices of the input's shape; ``'one_hot'``,
    ``'multi_hot'`` and ``'count'`` return float vectors over ``len(bin_boundaries) + 1``
    bins, as `CategoryEncoding` does.
    """

    casts_inputs = False

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, **kwargs):
        owner = "Discretization"
        self.output_mode = arguments.choice(output_mode, "output_mode", owner, OUTPUT_MODES)
        super().__init__(dtype=dtype or ("int64" if self.output_mode == "int" else "float32"),
                         **kwargs)
        if sparse:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse must be False: dlpath returns dense arrays")
        self.sparse = False
        if num_bins is not None and bin_boundaries is not None:
            raise arguments.InvalidArgumentError(
                f"{owner}: give either bin_boundaries or num_bins, not both (got "
                f"bin_boundaries={bin_boundaries!r} and num_bins={num_bins!r})")
        if num_bins is None and bin_boundaries is None:
            raise arguments.InvalidArgumentError(
                f"{owner}: give bin_boundaries, or num_bins and then call adapt()")
        self.num_bins = None if num_bins is None else arguments.positive_int(
            num_bins, "num_bins", owner)
        if not isinstance(epsilon, (int, float, np.floating)) or not 0 < epsilon < 1:
            raise arguments.InvalidArgumentError(
                f"{owner}: epsilon must be a number in (0, 1), got {epsilon!r}")
        self.epsilon = float(epsilon)
        self.bin_boundaries = None if bin_boundaries is None else self._checked(
            bin_boundaries)

    @staticmethod
    def _checked(boundaries) -> list:
        values = np.asarray(boundaries, dtype=np.float64)
        if values.ndim != 1 or not np.isfinite(values).all() or np.any(np.diff(values) < 0):
            raise arguments.InvalidArgumentError(
                f"Discretization: bin_boundaries must be a sorted list of finite numbers, "
                f"got {boundaries!r}")
        return [float(v) for v in values]

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn ``num_bins - 1`` boundaries as approximate quantiles of ``data``."""
        if self.num_bins is None:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Discretization): adapt() needs num_bins; this layer "
                f"was given bin_boundaries")
        summary = np.zeros((2, 0), np.float32)
        for batch in batches(data, batch_size, steps, "Discretization"):
            summary = merge(summarize(batch, self.epsilon), summary, self.epsilon)
        self.bin_boundaries = bin_boundaries_of(summary, self.num_bins)

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (Discretization): no bin boundaries yet; pass "
                f"bin_boundaries or call adapt(data) first")
        values = np.asarray(getattr(inputs, "data", inputs))
        if values.dtype.kind not in "fiub":
            raise arguments.ArgumentTypeError(
                f"Layer '{self.name}' (Discretization): expected numbers, got an input of "
                f"dtype {values.dtype}")
        indices = np.digitize(values, self.bin_boundaries)  # (shape of the input)
        if self.output_mode == "int":
            return Tensor(indices.astype(self.dtype))
        return Tensor(encode(indices, len(self.bin_boundaries) + 1, self.output_mode,
                             dtype=self.dtype, owner=f"Layer '{self.name}' (Discretization)"))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = None if self.bin_boundaries is None else len(self.bin_boundaries) + 1
        if self.output_mode == "one_hot":
            keep = input_shape[:-1] if input_shape[-1] == 1 else input_shape
            return tuple(keep) + (depth,)
        return tuple(input_shape[:-1]) + (depth,)

    def get_config(self) -> dict:
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries,
                "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse}

    @classmethod
    def from_config(cls, config: dict) -> "Discretization":
        """An adapted layer's config holds both num_bins and the learned boundaries."""
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if config.get("num_bins") is None:
            return cls(bin_boundaries=boundaries, **config)
        layer = cls(**config)
        layer.bin_boundaries = None if boundaries is None else layer._checked(boundaries)
        return layer
