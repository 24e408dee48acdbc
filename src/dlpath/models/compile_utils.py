"""What ``compile`` sets up: the loss of each output, its weight, and the metrics."""

from __future__ import annotations

import copy

from dlpath import losses as losses_module
from dlpath import metrics as metrics_module


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
