"""Magnitude pruning during training (Zhu & Gupta 2017, arXiv:1710.01878).

At each pruning step t of a schedule (`dlpath.export.pruning_schedules`), every pruned
weight W gets a binary mask M that keeps its largest-magnitude entries and zeroes the
k = round(s_t |W|) smallest:

.. math::

    M_{ij} = [\\, |W_{ij}| > \\theta \\,], \\quad \\theta = \\text{the } k\\text{-th smallest
    } |W_{ij}|, \\qquad W \\leftarrow M \\odot W

and after every optimizer step W is multiplied by M again, so pruned weights stay zero
(the optimizer's momentum may move them; the mask puts them back). Masks only shrink: a
pruned weight is never revived. The model is never wrapped: a pruned model is an ordinary
model whose kernels hold zeros, and it saves as an ordinary ``.keras`` file (zeros
compress: `deflated_size`).

By default the kernels are pruned (every weight whose name ends in ``kernel``: Dense and
convolution kernels, LSTM/GRU/SimpleRNN ``kernel`` and ``recurrent_kernel``, attention
projections); biases, normalization weights and embeddings are not, unless ``layers=``
names an Embedding layer (its ``embeddings`` are then pruned).
"""

from __future__ import annotations

import io
import math
import numbers
import os
import zipfile

import numpy as np

from dlpath.callbacks import Callback
from dlpath.export.pruning_schedules import ConstantSparsity, PolynomialDecay, PruningSchedule


# ---------------------------------------------------------------- which weights
def _short_name(variable) -> str:
    return variable.name.rsplit("/", 1)[-1]


def prunable_weights(layer) -> list:
    """The weights of ``layer`` that pruning masks: its kernels (``embeddings`` for an
    Embedding layer); its cell's too for a recurrent layer."""
    from dlpath.layers.embedding import Embedding

    wanted = ("embeddings",) if isinstance(layer, Embedding) else ()
    return [w for w in layer.weights
            if _short_name(w).endswith("kernel") or _short_name(w) in wanted]


def _leaf_layers(model) -> list:
    """The layers of ``model``, nested models opened."""
    from dlpath.models.model import Model

    result = []
    for layer in model.layers:
        result += _leaf_layers(layer) if isinstance(layer, Model) else [layer]
    return result


def select_weights(model, layers=None) -> dict:
    """``{layer name: [variables]}``: what is pruned in ``model``.

    ``layers``: None (every layer with a kernel), or a layer, a layer's name, a layer class,
    or a list of those.
    """
    if not model.weights:
        raise ValueError(f"pruning: the model '{model.name}' has no weights yet; build it "
                         f"(call it on a batch, or start it with keras.Input) first")
    leaves = _leaf_layers(model)
    from dlpath.layers.embedding import Embedding

    if layers is None:
        chosen = [layer for layer in leaves if not isinstance(layer, Embedding)]
    else:
        items = layers if isinstance(layers, (list, tuple)) else [layers]
        chosen = []
        for item in items:
            chosen += [layer for layer in _resolve(item, leaves) if layer not in chosen]
    selected = {}
    for layer in chosen:
        weights = prunable_weights(layer)
        if weights:
            selected[layer.name] = weights
        elif layers is not None:
            raise ValueError(f"pruning: layer '{layer.name}' ({type(layer).__name__}) has no "
                             f"kernel to prune; its weights: "
                             f"{[w.name for w in layer.weights] or 'none'}")
    if not selected:
        raise ValueError(f"pruning: the model '{model.name}' has no kernel to prune")
    return selected


def _resolve(item, leaves: list) -> list:
    from dlpath.layers.layer import Layer

    if isinstance(item, str):
        found = [layer for layer in leaves if layer.name == item]
        if not found:
            raise ValueError(f"pruning: layers= names '{item}', but the model has no such "
                             f"layer; its layers: {[layer.name for layer in leaves]}")
        return found
    if isinstance(item, type) and issubclass(item, Layer):
        found = [layer for layer in leaves if isinstance(layer, item)]
        if not found:
            raise ValueError(f"pruning: layers= names the class {item.__name__}, but the "
                             f"model has no layer of that class")
        return found
    if isinstance(item, Layer):
        if item not in leaves:
            raise ValueError(f"pruning: layer '{item.name}' in layers= is not a layer of "
                             f"the model")
        return [item]
    raise TypeError(f"pruning: layers= takes layers, layer names or layer classes, got "
                    f"{type(item).__name__}")


# ---------------------------------------------------------------- the mask
def magnitude_mask(weights: np.ndarray, sparsity: float, mask=None) -> np.ndarray:
    """A boolean mask of ``weights``' shape that drops the k = round(sparsity * size)
    entries of smallest magnitude (those already dropped by ``mask`` first)."""
    magnitude = np.abs(weights).ravel().astype(np.float64)
    if mask is not None:
        magnitude[~mask.ravel()] = -1.0  # pruned before: the first to go again
    k = int(round(sparsity * magnitude.size))
    keep = np.ones(magnitude.size, dtype=bool)
    if k > 0:
        keep[np.argpartition(magnitude, k - 1)[:k]] = False
    return keep.reshape(weights.shape)


# ---------------------------------------------------------------- reports
def sparsity_report(model=None, layers=None, selected=None) -> dict:
    """The fraction of zeros in the pruned weights of ``model`` (or in ``selected``, a
    `select_weights` result)::

        {"sparsity": zeros / weights over all of them, "zeros": ..., "weights": ...,
         "layers": {layer name: its fraction of zeros}}
    """
    if selected is None:
        selected = select_weights(model, layers)
    per_layer, zeros, total = {}, 0, 0
    for name, weights in selected.items():
        layer_zeros = sum(int(np.count_nonzero(w.data == 0)) for w in weights)
        layer_total = sum(int(w.size) for w in weights)
        per_layer[name] = layer_zeros / layer_total
        zeros, total = zeros + layer_zeros, total + layer_total
    return {"sparsity": zeros / total, "zeros": zeros, "weights": total, "layers": per_layer}


def flat_report(report: dict) -> dict:
    """``{"sparsity": overall, "sparsity/<layer>": ...}``: a report as logged numbers."""
    flat = {"sparsity": report["sparsity"]}
    flat.update({f"sparsity/{name}": value for name, value in report["layers"].items()})
    return flat


def format_report(report: dict) -> str:
    """The report as a small text table."""
    width = max(len("overall"), *(len(name) for name in report["layers"]))
    lines = [f"{name:<{width}}  {value:7.2%}" for name, value in report["layers"].items()]
    lines.append(f"{'overall':<{width}}  {report['sparsity']:7.2%}  "
                 f"({report['zeros']} of {report['weights']} pruned weights are zero)")
    return "\n".join(lines)


def deflated_size(path) -> int:
    """The size in bytes of the ``.keras`` archive at ``path`` with every member
    compressed (``zipfile.ZIP_DEFLATED``): what zeros save once compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(os.fspath(path)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return len(buffer.getvalue())


# ---------------------------------------------------------------- the callback
class PruningCallback(Callback):
    """Prune while ``fit`` trains: masks recomputed on the schedule, applied every step.

    Args:
        schedule: a `PruningSchedule` (`PolynomialDecay`, `ConstantSparsity`) or a number
            (``ConstantSparsity(number)``: prune at once, then hold).
        layers: what to prune (see `select_weights`); default: every kernel.
        frequency: Delta t, the steps between two mask updates.
        report_to: called with `flat_report` of the final sparsity when training ends.
        verbose: 1 prints the per-layer report when training ends.

    Each epoch's logs get ``sparsity`` (overall) and ``history`` keeps the per-layer report
    of each epoch; ``report`` holds the last one. Steps count from ``initial_epoch``
    times the steps per epoch, so a resumed run continues its schedule.
    """

    def __init__(self, schedule, layers=None, frequency: int = 100, report_to=None,
                 verbose: int = 0):
        super().__init__()
        if isinstance(schedule, numbers.Real) and not isinstance(schedule, bool):
            schedule = ConstantSparsity(schedule)
        if not isinstance(schedule, PruningSchedule):
            raise TypeError(f"PruningCallback: schedule must be a PruningSchedule "
                            f"(PolynomialDecay, ConstantSparsity) or a sparsity, got "
                            f"{type(schedule).__name__}")
        if isinstance(frequency, bool) or not isinstance(frequency, numbers.Integral) or (
                frequency < 1):
            raise ValueError(f"PruningCallback: frequency must be a whole number >= 1, got "
                             f"{frequency!r}")
        self.schedule, self.layers, self.frequency = schedule, layers, int(frequency)
        self.report_to, self.verbose = report_to, verbose
        self.history, self.report = [], None
        self.step = None
        self._selected, self._masks = None, None

    def on_train_begin(self, logs=None):
        self.step = None
        if self.model.weights:
            self._select()

    def on_epoch_begin(self, epoch, logs=None):
        if self.step is None:
            self.step = epoch * int((self.params or {}).get("steps") or 0)

    def on_train_batch_end(self, batch, logs=None):
        first = self._selected is None
        if first:
            self._select()  # a model built by its first batch
        if self.step is None:
            self.step = 0
        target = self.schedule(self.step)
        # The first step seen (also of a resumed run) puts the masks at the scheduled level.
        if self.schedule.prunes_at(self.step, self.frequency) or (first and target > 0):
            self.prune_to(target)
        self.apply_masks()
        self.step += 1

    def on_epoch_end(self, epoch, logs=None):
        if self._selected is None:
            return
        self.report = sparsity_report(selected=self._selected)
        self.history.append(self.report)
        if logs is not None:
            logs["sparsity"] = self.report["sparsity"]

    def on_train_end(self, logs=None):
        if self._selected is None:
            return
        self.apply_masks()
        self.report = sparsity_report(selected=self._selected)
        if self.verbose:
            print(format_report(self.report))
        if self.report_to is not None:
            self.report_to(flat_report(self.report))

    # ------------------------------------------------------------ the masks
    def _select(self) -> None:
        self._selected = select_weights(self.model, self.layers)
        self._masks = {id(w): np.ones(w.shape, dtype=bool)
                       for weights in self._selected.values() for w in weights}

    def prune_to(self, sparsity: float) -> None:
        """Recompute every mask to ``sparsity`` from the weights' magnitudes, and apply."""
        for weights in self._selected.values():
            for variable in weights:
                key = id(variable)
                self._masks[key] = magnitude_mask(variable.data, sparsity, self._masks[key])
        self.apply_masks()

    def apply_masks(self) -> None:
        """W <- M * W for every pruned weight."""
        for weights in self._selected.values():
            for variable in weights:
                variable.data[~self._masks[id(variable)]] = 0


# ---------------------------------------------------------------- for recipes
def training_callback(final_sparsity: float, steps: int, report_to=None) -> PruningCallback:
    """A callback for ``steps`` training steps: Zhu & Gupta's schedule from 0 to
    ``final_sparsity`` over the first two thirds of them, pruning about 10 times (at
    most every 100 steps), then training on at the final sparsity."""
    end = max(1, (2 * steps) // 3 - 1)
    frequency = max(1, min(100, end // 10))
    schedule = PolynomialDecay(0.0, final_sparsity, 0, end)
    return PruningCallback(schedule, frequency=frequency, report_to=report_to)


def recipe_callbacks(config, train_size: int, report_to=None) -> list:
    """``[]``, or the pruning callback of a recipe run with ``--set prune=S``
    (``config.prune``): see `training_callback`."""
    sparsity = float(getattr(config, "prune", 0.0) or 0.0)
    if sparsity == 0.0:
        return []
    steps = config.epochs * math.ceil(train_size / config.batch_size)
    return [training_callback(sparsity, steps, report_to)]


__all__ = ["PruningCallback", "PolynomialDecay", "ConstantSparsity", "sparsity_report",
           "select_weights", "prunable_weights", "magnitude_mask", "deflated_size",
           "format_report", "flat_report", "training_callback", "recipe_callbacks"]
