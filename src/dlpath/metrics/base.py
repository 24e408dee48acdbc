"""The metric base class, and the running (weighted) mean that most metrics are.

A metric keeps state across batches, outside the autograd graph: ``update_state`` adds a batch
(NumPy arrays or Tensors), ``result`` reads the value so far, ``reset_state`` starts over (the
training loop resets at each epoch). State lives in `MetricVariable`s created with
``add_variable``, as in Keras 3, and is accumulated in float64.

`Mean` keeps ``total = sum_i w_i v_i`` and ``count = sum_i w_i`` and reports total / count
(0 before any sample). `MeanMetricWrapper` is a `Mean` of a function's per-sample values,
``fn(y_true, y_pred) -> (n, ...)``: the accuracy metrics, the regression and cross-entropy
metrics, and any plain function given to ``compile(metrics=[...])``.
"""

from __future__ import annotations

import re

import numpy as np

from dlpath.engine.function import no_grad
from dlpath.engine.tensor import Tensor
from dlpath.losses import squeeze_or_expand_to_same_rank

STATE_DTYPE = np.float64  # accumulators: exact counts up to 2^53, sums without drift


def to_array(value, dtype=None) -> np.ndarray:
    """``value`` (Tensor, array, list, number) as a NumPy array, optionally cast."""
    if isinstance(value, Tensor):
        value = value.data
    array = np.asarray(value)
    if dtype is not None and array.dtype != np.dtype(dtype):
        array = array.astype(dtype)
    return array


def snake_case(name: str) -> str:
    """'TopKCategoricalAccuracy' -> 'top_k_categorical_accuracy' (Keras' default names)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class MetricVariable:
    """A piece of metric state: a NumPy array with Keras' ``assign`` / ``assign_add``."""

    def __init__(self, value: np.ndarray, name: str, initializer):
        self.value = value
        self.name = name
        self._initializer = initializer

    @property
    def shape(self) -> tuple:
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype

    def assign(self, value) -> None:
        self.value = np.broadcast_to(to_array(value, self.value.dtype), self.shape).copy()

    def assign_add(self, value) -> None:
        self.value = self.value + to_array(value, self.value.dtype)

    def assign_sub(self, value) -> None:
        self.value = self.value - to_array(value, self.value.dtype)

    def reset(self) -> None:
        self.value = self._initializer(self.shape, self.value.dtype)

    def numpy(self) -> np.ndarray:
        return self.value

    def __array__(self, dtype=None, copy=None):
        return self.value if dtype is None else self.value.astype(dtype)

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return f"<MetricVariable {self.name} shape={self.shape} value={self.value}>"


class Metric:
    """Base class of stateful metrics (Keras 3's ``keras.metrics.Metric``).

    Subclasses create their state in ``__init__`` with ``add_variable`` and write
    ``update_state(...)`` and ``result()``; ``reset_state`` re-initializes every variable.
    ``metric(...)`` updates the state and returns the result.

    Args:
        name: the name the training logs show (default: the class name in snake case).
        dtype: the dtype inputs are cast to before they are compared or summed (float32).
    """

    def __init__(self, name: str | None = None, dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{type(self).__name__}: name must be a string, got {name!r}")
        self.name = name or snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype or "float32").name
        self._variables: list[MetricVariable] = []

    # ----------------------------------------------------------------- state
    def add_variable(self, shape=(), initializer="zeros", dtype=None, name=None):
        """A new piece of state, initialized by a name ('zeros'), an initializer or a number."""
        from dlpath import initializers

        if isinstance(initializer, (int, float)):
            init = initializers.Constant(initializer)
        else:
            init = initializers.get(initializer)
        dtype = np.dtype(dtype or STATE_DTYPE)
        shape = tuple(int(s) for s in shape) if isinstance(shape, (tuple, list)) else (
            int(shape),)
        variable = MetricVariable(init(shape, dtype), name or f"variable_{len(self._variables)}",
                                  init)
        self._variables.append(variable)
        return variable

    def add_weight(self, name=None, shape=(), initializer="zeros", dtype=None):
        """tf.keras 2's spelling of `add_variable`."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self) -> list:
        return list(self._variables)

    def reset_state(self) -> None:
        """Start over: every variable back to its initial value."""
        for variable in self._variables:
            variable.reset()

    def reset_states(self) -> None:
        """tf.keras 2's spelling of `reset_state`."""
        self.reset_state()

    # ----------------------------------------------------------------- the protocol
    def update_state(self, *args, **kwargs) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self):  # pragma: no cover - always overridden
        raise NotImplementedError(f"{type(self).__name__} must implement result")

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> "Metric":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def as_result(value):
    """A result as Python float (a scalar) or float64 array (one value per threshold/class)."""
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def divide_no_nan(numerator, denominator):
    """numerator / denominator, 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype, name: str):
    """Values and weights reduced to one per sample, the weights multiplied in (Keras 3).

    Values get the rank of the weights (``reduce_fn`` over their extra trailing axes), the
    weights are broadcast to them, and each is reduced to one number per sample.
    """
    values = to_array(values, dtype)
    if sample_weight is not None:
        weights = to_array(sample_weight, dtype)
        original_shape = weights.shape
        values, weights = squeeze_or_expand_to_same_rank(values, weights)
        if values.ndim > weights.ndim:
            values = reduce_fn(values, axis=tuple(range(weights.ndim, values.ndim)))
        try:
            broadcast = np.broadcast_to(weights, values.shape)
        except ValueError:
            raise ValueError(
                f"{name}: sample_weight of shape {original_shape} cannot be broadcast to the "
                f"per-sample values of shape {values.shape}") from None
        values = values * broadcast
        weights = broadcast
        if weights.ndim > 1:
            weights = reduce_fn(weights, axis=tuple(range(1, weights.ndim)))
    else:
        weights = None
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, weights


class Sum(Metric):
    """The (weighted) sum of the values: total = sum_i w_i v_i."""

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")

    def update_state(self, values, sample_weight=None) -> None:
        values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum, self.dtype,
                                                self.name)
        self.total.assign_add(np.sum(values, dtype=STATE_DTYPE))

    def result(self) -> float:
        return as_result(self.total.value)


class Mean(Metric):
    """The (weighted) mean of the values: sum_i w_i v_i / sum_i w_i.

    Values of shape (n, ...) count as n samples, each the mean of its entries; a scalar value
    counts as one sample (or as ``sample_weight`` samples: the training loop adds each batch's
    mean loss with the batch size as weight).
    """

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None) -> None:
        values, weights = reduce_to_samplewise_values(values, sample_weight, np.mean,
                                                      self.dtype, self.name)
        self.total.assign_add(np.sum(values, dtype=STATE_DTYPE))
        if weights is not None:
            count = np.sum(weights, dtype=STATE_DTYPE)
        else:
            count = values.shape[0] if values.ndim >= 1 else 1
        self.count.assign_add(count)

    def result(self) -> float:
        return as_result(divide_no_nan(self.total.value, self.count.value))


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``, a function of per-sample values.

    Inputs are turned into NumPy arrays before ``fn`` sees them (metrics never enter the
    autograd graph). The name defaults to the function's name.
    """

    def __init__(self, fn, name: str | None = None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper: fn must be callable, got {fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", None) or "mean_metric_wrapper",
                         dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = to_array(y_true), to_array(y_pred)
        try:
            with no_grad():
                values = self._fn(y_true, y_pred, **self._fn_kwargs)
        except ValueError as error:
            raise ValueError(f"metric {self.name!r}: {error}") from None
        super().update_state(to_array(values), sample_weight=sample_weight)

    def get_config(self) -> dict:
        config = super().get_config()
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", repr(self._fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Metric":
        config = dict(config)
        if cls is MeanMetricWrapper and isinstance(config.get("fn"), str):
            from dlpath.metrics.resolve import function_by_name

            config["fn"] = function_by_name(config["fn"])
        return cls(**config)
