"""What a custom ``train_step`` uses: ``compiled_loss``, ``compiled_metrics`` and the logs.

A subclass that overrides ``train_step(self, data)`` (tf.keras 2 and Keras 3 style) calls

    loss = self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)
    self.compiled_metrics.update_state(y, y_pred, sample_weight)
    return {m.name: m.result() for m in self.metrics}

or Keras 3's ``self.compute_loss(x, y, y_pred, sample_weight)`` and a loop over
``self.metrics``. `CompiledLossView` and `CompiledMetricsView` are those two objects: thin
views of the model's compiled loss and metrics, built on the first batch like the default
step's. As in tf.keras 2, calling ``compiled_loss`` also updates the "loss" tracker with
the batch's total, so its mean over the epoch appears in the logs.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor


class CompiledLossView:
    """``model.compiled_loss(y_true, y_pred, sample_weight=None, regularization_losses=None)``:
    the compiled loss of the outputs plus the given penalties, a scalar Tensor."""

    def __init__(self, model):
        self._model = model

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        return self._model._compiled_loss_value(y_true, y_pred, sample_weight,
                                                regularization_losses)

    @property
    def metrics(self) -> list:
        """The loss tracker (and one per output for several outputs)."""
        model = self._model
        trackers = [model._loss_tracker] if model._loss_tracker is not None else []
        return trackers + list(getattr(model, "_output_loss_trackers", []))

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


class CompiledMetricsView:
    """``model.compiled_metrics``: the metrics given to compile, as one object.

    ``update_state(y_true, y_pred, sample_weight=None)`` builds them on the first call (the
    shapes pick 'accuracy''s variant) and updates each; ``result()`` is a dict of their
    values. Until they are built, ``model.metrics`` lists this view in their place (Keras 3
    lists its "compile_metrics" the same way), so a step that loops over ``self.metrics``
    updates them from the first batch on.
    """

    name = "compile_metrics"

    def __init__(self, model):
        self._model = model

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._model._update_compiled_metrics(y_true, y_pred, sample_weight)

    @property
    def metrics(self) -> list:
        compiled = self._model._compiled_metrics
        return compiled.objects() if compiled else []

    def result(self) -> dict:
        return {metric.name: python_value(metric.result()) for metric in self.metrics}

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    reset_states = reset_state  # tf.keras 2's spelling


def python_value(value):
    """A logged value as a Python float (one number) or a NumPy array."""
    if isinstance(value, Tensor):
        value = value.data
    array = np.asarray(value)
    if array.dtype.kind in "fiub" and array.size == 1:
        return float(array.reshape(()))
    return array


def pythonify_logs(logs) -> dict:
    """A step's logs with Tensors as floats; nested dicts (a metric's dict result) merged."""
    if logs is None:
        return {}
    if not isinstance(logs, dict):
        raise TypeError(f"train_step/test_step must return a dict of logs, got "
                        f"{type(logs).__name__}")
    result = {}
    for key, value in logs.items():
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
        else:
            result[key] = python_value(value)
    return result
