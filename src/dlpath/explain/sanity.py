"""Sanity checks for attribution maps (Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim
2018, "Sanity Checks for Saliency Maps").

An explanation that does not change when what it explains changes explains nothing: an
edge detector draws convincing maps without looking at the model. Two tests:

- **Model-parameter randomization.** The trainable weights are re-drawn, layer by layer
  from the top (output) layer down (*cascading*: layers above stay random), and one layer
  at a time (*independent*: the others keep their trained values). Each re-drawn weight
  array of rank >= 2 (kernels) gets fresh N(0, s^2) values, s its trained standard
  deviation; vectors (biases, scales) get N(mean, s^2) of their own values.
- **Data (label) randomization.** The same architecture (``clone_model``: fresh weights)
  is trained on the training inputs with their labels shuffled, so that nothing links the
  inputs to the labels. This version is cheap on purpose: ``label_epochs`` (default 1)
  epoch(s) over ``label_samples`` (default 512) samples, batch 64, Adam 1e-3 (about one
  second for a small CNN on MNIST); the paper trains to memorisation. Its training
  accuracy is reported with the result.

Each map is compared with the trained model's map for the same input and class (the
trained model's prediction) by the Spearman rank correlation of the absolute values
(``scipy.stats.spearmanr``), averaged over the inputs. A method is **flagged** as failing
when the maps of the fully randomized model (the last step of the cascade) or of the
label-randomized model still correlate above ``threshold`` (default 0.5) with the trained
model's: its maps then follow the input, not what the model learned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlpath.explain._model import ExplainError, all_layers, resolve_targets

THRESHOLD = 0.5


@dataclass
class SanityResult:
    """Mean Spearman correlations between trained and randomized maps, and the verdict."""

    method: str
    threshold: float
    cascading: list = field(default_factory=list)  # [(layer randomized down to, rho)]
    independent: list = field(default_factory=list)  # [(layer randomized alone, rho)]
    label: float | None = None  # rho against the model trained on shuffled labels
    label_training: str = ""  # how that model was trained, and what it reached

    @property
    def reasons(self) -> list:
        found = []
        if self.cascading and self.cascading[-1][1] > self.threshold:
            found.append(f"maps of the fully randomized model correlate "
                         f"{self.cascading[-1][1]:.2f} > {self.threshold:.2f} with the "
                         f"trained model's")
        if self.label is not None and self.label > self.threshold:
            found.append(f"maps of the model trained on shuffled labels correlate "
                         f"{self.label:.2f} > {self.threshold:.2f} with the trained "
                         f"model's")
        return found

    @property
    def failed(self) -> bool:
        return bool(self.reasons)

    def as_dict(self) -> dict:
        return {"method": self.method, "threshold": self.threshold, "failed": self.failed,
                "reasons": self.reasons,
                "cascading": [[name, rho] for name, rho in self.cascading],
                "independent": [[name, rho] for name, rho in self.independent],
                "label": self.label, "label_training": self.label_training}


def rank_correlation(first, second) -> float:
    """Mean over samples of Spearman's rho between |first[n]| and |second[n]|."""
    from scipy.stats import spearmanr

    a = np.abs(np.asarray(first, dtype=np.float64)).reshape(len(first), -1)
    b = np.abs(np.asarray(second, dtype=np.float64)).reshape(len(second), -1)
    if a.shape != b.shape:
        raise ExplainError(f"rank_correlation: maps of shapes {a.shape} and {b.shape}")
    values = []
    for u, v in zip(a, b):
        used = (u != 0) | (v != 0)  # positions where both maps are 0 rank nothing
        u, v = u[used], v[used]
        if len(u) < 2 or np.ptp(u) == 0 or np.ptp(v) == 0:  # a constant map: no ranking to compare
            values.append(1.0 if np.array_equal(u, v) else 0.0)
        else:
            values.append(float(spearmanr(u, v).statistic))
    return float(np.mean(values))


def weighted_layers(model) -> list:
    """Layers that own trainable weights, input side first."""
    return [layer for layer in all_layers(model)
            if any(w.trainable for w in layer._variables)]


def randomize_layer(layer, rng) -> None:
    """Re-draw ``layer``'s trainable weights (kernels N(0, s^2), vectors N(mean, s^2))."""
    for weight in layer._variables:
        if not weight.trainable:
            continue
        values = weight.numpy()
        spread = float(values.std()) or 0.05
        centre = 0.0 if values.ndim >= 2 else float(values.mean())
        if values.ndim < 2 and float(values.std()) == 0.0:
            continue  # a constant vector (zero biases, unit scales) stays as initialised
        weight.assign(rng.normal(centre, spread, values.shape).astype(values.dtype))


def sanity_check(model, x, method, name: str = "", targets=None, data=None,
                 threshold: float = THRESHOLD, independent: bool = True,
                 label_epochs: int = 1, label_samples: int = 512,
                 seed: int = 0, shuffled=None) -> SanityResult:
    """Run the randomization tests on ``method(model, x, targets) -> maps``.

    ``data`` = (x_train, y_train) enables the label-randomization test; ``shuffled``, the
    ``(model, note)`` of `train_on_shuffled_labels`, reuses one such model for several
    methods instead. The model's weights are restored afterwards.
    """
    if not callable(method):
        raise ExplainError(f"sanity_check: method must be a function (model, x, targets) -> "
                           f"maps, got {method!r}")
    x = np.asarray(x)
    targets = resolve_targets(model, x, targets)
    reference = method(model, x, targets)
    result = SanityResult(name or getattr(method, "__name__", "method"), float(threshold))
    layers = weighted_layers(model)
    if not layers:
        raise ExplainError(f"sanity_check: model '{model.name}' has no trainable weights")
    saved = model.get_weights()
    rng = np.random.default_rng(seed)
    try:
        for layer in reversed(layers):  # cascading: top layer first, the others stay random
            randomize_layer(layer, rng)
            rho = rank_correlation(reference, method(model, x, targets))
            result.cascading.append((layer.name, rho))
        model.set_weights(saved)
        if independent:
            for layer in reversed(layers):
                randomize_layer(layer, rng)
                rho = rank_correlation(reference, method(model, x, targets))
                result.independent.append((layer.name, rho))
                model.set_weights(saved)
    finally:
        model.set_weights(saved)
    if shuffled is None and data is not None:
        shuffled = train_on_shuffled_labels(model, data, label_epochs, label_samples, seed)
    if shuffled is not None:
        label_model, result.label_training = shuffled
        result.label = rank_correlation(reference, method(label_model, x, targets))
    return result


def train_on_shuffled_labels(model, data, epochs: int = 1, samples: int = 512,
                             seed: int = 0) -> tuple:
    """``(model, note)``: the architecture of ``model`` with fresh weights, trained briefly
    on ``data`` (x, y) with the labels shuffled; ``note`` says how and what it reached."""
    from dlpath import random as dlrandom
    from dlpath.models.clone import clone_model
    from dlpath.optimizers import Adam

    x_train, y_train = (np.asarray(a) for a in data)
    count = min(int(samples), len(x_train))
    if count < 2:
        raise ExplainError(f"sanity_check: label randomization needs training samples, "
                           f"got {len(x_train)}")
    rng = np.random.default_rng(seed)
    dlrandom.set_seed(seed)
    chosen = rng.permutation(len(x_train))[:count]
    x_part, y_part = x_train[chosen], rng.permutation(y_train[chosen])
    clone = clone_model(model)
    loss = (getattr(model, "_compile_config", None) or {}).get("loss") or \
        "sparse_categorical_crossentropy"
    clone.compile(optimizer=Adam(learning_rate=1e-3), loss=loss, metrics=["accuracy"])
    history = clone.fit(x_part, y_part, batch_size=64, epochs=int(epochs), verbose=0)
    accuracy = history.history.get("accuracy", [float("nan")])[-1]
    note = (f"{int(epochs)} epoch(s) on {count} samples with shuffled labels, batch 64, "
            f"Adam 1e-3; training accuracy {accuracy:.3f}")
    return clone, note
