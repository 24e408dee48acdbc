"""What ``compile`` sets up: the loss of each output, its weight, and the metrics."""

from __future__ import annotations

import copy

import numpy as np

from dlpath import losses as losses_module
from dlpath import metrics as metrics_module
from dlpath.metrics.resolve import is_known_name as is_metric_name
from dlpath.metrics.resolve import known_names as metric_names


def _per_output(value, output_names, what: str) -> list:
    """``value`` given once, as a list (by position) or a dict (by output name)."""
    count = len(output_names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(output_names))
        if unknown:
            raise ValueError(f"compile: {what} has keys {unknown} that are not output names "
                             f"{output_names}")
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and count > 1:
        if len(value) != count:
            raise ValueError(f"compile: {what} has {len(value)} entries for {count} outputs "
                             f"{output_names}")
        return list(value)
    return [value] * count


def match_outputs(y, output_names, what="y"):
    """Targets as a list in the outputs' order (from one array, a list or a dict)."""
    if len(output_names) == 1:
        if isinstance(y, dict):
            return [y[output_names[0]]] if output_names[0] in y else list(y.values())
        if isinstance(y, (list, tuple)) and len(y) == 1:
            return [y[0]]
        return [y]
    if isinstance(y, dict):
        missing = [n for n in output_names if n not in y]
        if missing:
            raise ValueError(f"{what} is missing entries for outputs {missing}")
        return [y[n] for n in output_names]
    if not isinstance(y, (list, tuple)) or len(y) != len(output_names):
        raise ValueError(f"the model has {len(output_names)} outputs {output_names}; give "
                         f"{what} as a list or dict with one entry per output")
    return list(y)


class CompiledLoss:
    """total = sum_k w_k * loss_k(y_true_k, y_pred_k) over the outputs k that have a loss."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = list(output_names)
        self.losses = [losses_module.get(item) if item is not None else None
                       for item in _per_output(loss, self.output_names, "loss")]
        if all(item is None for item in self.losses):
            raise ValueError("compile: a loss is needed to train (loss=...)")
        weights = _per_output(loss_weights, self.output_names, "loss_weights")
        self.weights = [1.0 if w is None else float(w) for w in weights]

    def __call__(self, y_true: list, y_pred: list, sample_weight=None):
        """The weighted total (a Tensor) and each output's own loss value (floats)."""
        total, values = None, []
        for loss, weight, truth, pred in zip(self.losses, self.weights, y_true, y_pred):
            if loss is None:
                values.append(None)
                continue
            if truth is None:
                raise ValueError("the model was compiled with a loss but fit got no targets "
                                 "(y) for it")
            value = loss(truth, pred, sample_weight=sample_weight)
            values.append(value)
            term = value * weight if weight != 1.0 else value
            total = term if total is None else total + term
        return total, values


class CompiledMetrics:
    """The metrics of each output, resolved on the first batch (when shapes are known)."""

    def __init__(self, metrics, weighted_metrics, output_names, losses):
        self.output_names = list(output_names)
        self.requested = [(m or [], False) for m in _per_output_list(metrics, output_names)]
        self.requested_weighted = _per_output_list(weighted_metrics, output_names)
        self.output_losses = losses
        self.metrics = None  # [(output index, Metric, weighted)]

    def build(self, y_true: list, y_pred: list) -> None:
        self.metrics = []
        prefix_needed = len(self.output_names) > 1
        for index, name in enumerate(self.output_names):
            for weighted, identifiers in ((False, self.requested[index][0]),
                                          (True, self.requested_weighted[index] or [])):
                for identifier in identifiers:
                    metric = metrics_module.resolve(identifier, self.output_losses[index],
                                                    y_true[index], y_pred[index])
                    if prefix_needed:
                        # A copy, so the user's metric object keeps its own name.
                        metric = copy.deepcopy(metric)
                        metric.name = f"{name}_{metric.name}"
                    self.metrics.append((index, metric, weighted))

    def update_state(self, y_true: list, y_pred: list, sample_weight=None) -> None:
        if self.metrics is None:
            self.build(y_true, y_pred)
        for index, metric, weighted in self.metrics:
            metric.update_state(y_true[index], y_pred[index],
                                sample_weight=sample_weight if weighted else None)

    def objects(self) -> list:
        return [metric for _, metric, _ in (self.metrics or [])]


def _per_output_list(metrics, output_names) -> list:
    """Metric lists per output: one list for all outputs, a list of lists, or a dict."""
    count = len(output_names)
    if metrics is None:
        return [[] for _ in range(count)]
    if isinstance(metrics, dict):
        return [_as_list(metrics.get(name)) for name in output_names]
    if isinstance(metrics, (list, tuple)) and count > 1 and metrics and all(
            isinstance(m, (list, tuple)) or m is None for m in metrics):
        if len(metrics) != count:
            raise ValueError(f"compile: metrics has {len(metrics)} lists for {count} outputs")
        return [_as_list(m) for m in metrics]
    return [_as_list(metrics) for _ in range(count)]


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# --------------------------------------------------------------------------- compile's arguments
def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def _holds_weights(value) -> bool:
    """Loss weights are numbers: a list/tuple of numbers or a dict of numbers."""
    if isinstance(value, dict):
        return bool(value) and all(_is_number(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_number(v) for v in value)
    return _is_number(value)


def sort_metrics_and_loss_weights(metrics, loss_weights):
    """``(metrics, loss_weights)`` whichever of compile's third and fourth places held them.

    tf.keras 2 orders compile's arguments (optimizer, loss, metrics, loss_weights, ...) and
    Keras 3 (optimizer, loss, loss_weights, metrics, ...). The values tell them apart: loss
    weights are numbers (a number, a list of numbers or a dict of numbers) and a metric never
    is one. So a list of numbers given as ``metrics`` is the loss weights, and metric names
    or objects given as ``loss_weights`` are the metrics.

    Raises:
        ValueError: both places hold loss weights, or both hold metrics.
    """
    metrics_are_weights = metrics is not None and _holds_weights(metrics)
    weights_are_metrics = loss_weights is not None and not _holds_weights(loss_weights)
    if metrics_are_weights and weights_are_metrics:
        return loss_weights, metrics
    if metrics_are_weights:
        if loss_weights is not None:
            raise ValueError(f"compile: metrics={metrics!r} and loss_weights={loss_weights!r} "
                             f"both hold numbers; metrics takes metric names or objects")
        return None, metrics
    if weights_are_metrics:
        if metrics is not None:
            raise ValueError(f"compile: loss_weights={loss_weights!r} must be numbers (a "
                             f"list or dict of floats), got metrics while metrics={metrics!r} "
                             f"is given too")
        return loss_weights, None
    return metrics, loss_weights


def _identifiers(value) -> list:
    """The leaves of a loss or metrics argument (nested lists and dicts)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _identifiers(item)]
    if isinstance(value, dict) and "class_name" not in value:
        return [leaf for item in value.values() for leaf in _identifiers(item)]
    return [value]


def check_loss_identifiers(loss) -> None:
    """Resolve every loss given to compile now, so that a wrong name fails at compile.

    Raises:
        ValueError: an unknown name, with the closest known names; a metric's name given as
            the loss says so.
    """
    for identifier in _identifiers(loss):
        if isinstance(identifier, str) and not losses_module.is_known_name(identifier):
            if is_metric_name(identifier):
                raise ValueError(f"compile: {identifier!r} is a metric, not a loss; pass it "
                                 f"in metrics=[{identifier!r}] and choose a loss such as "
                                 f"'sparse_categorical_crossentropy' or 'mse'")
            known = losses_module.known_names()
            raise ValueError(f"compile: unknown loss {identifier!r}."
                             f"{losses_module.did_you_mean(identifier, known)} Known: "
                             f"{', '.join(repr(name) for name in known)}")
        losses_module.get(identifier)


def check_metric_identifiers(metrics, what: str = "metrics") -> None:
    """Check every metric name given to compile now (the objects are built on the first
    batch, when the shapes pick 'accuracy''s variant).

    Raises:
        ValueError: an unknown name, with the closest known names.
        TypeError: a value that is no metric name, config, class, object or function.
    """
    for identifier in _identifiers(metrics):
        if isinstance(identifier, str):
            if not is_metric_name(identifier):
                raise ValueError(
                    f"compile: unknown metric {identifier!r} in {what}."
                    f"{losses_module.did_you_mean(identifier, metric_names())} Known: "
                    f"{', '.join(repr(name) for name in metric_names())}")
        elif not isinstance(identifier, dict):
            metrics_module.get(identifier)
