"""What every attribution method needs from a model: class scores and their gradients.

The score of class c is the model's output *before* its final softmax or sigmoid, the
"class score" :math:`S_c(x)` of Simonyan et al. (2014) and :math:`y^c` of Selvaraju et al.
(2017): gradients of a probability saturate and mix in every other class. A model whose
last layer ends in ``activation="softmax"``/``"sigmoid"`` (or is a ``Softmax`` layer) is
run with that activation switched off (`class_scores`); one sigmoid unit z gives the
scores (-z, z) of the classes (0, 1), so that ``targets`` work the same for binary and
multi-class models.

Layers are reached by hooking their ``call`` for the duration of one forward pass
(`capture_output`, `replace_output`), which works for Sequential, functional and nested
models alike and changes nothing once the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from dlpath.engine import Tensor, activations, no_grad, ops
from dlpath.engine.tape import vector_jacobian

_SQUASHING = {"softmax", "sigmoid"}


class ExplainError(ValueError):
    """An argument of an attribution method does not fit the model or its inputs."""


# ---------------------------------------------------------------- layers
def all_layers(model) -> list:
    """Every layer inside ``model`` (nested models' layers too), in model order."""
    result, seen = [], set()
    for layer in model.layers:
        for inner in layer._all_layers():
            if id(inner) not in seen:
                seen.add(id(inner))
                result.append(inner)
    return result


def find_layer(model, name: str):
    """The layer called ``name`` anywhere inside ``model``; the error lists the names."""
    layers = all_layers(model)
    for layer in layers:
        if layer.name == name:
            return layer
    raise ExplainError(f"model '{model.name}' has no layer named '{name}'; its layers: "
                       f"{', '.join(layer.name for layer in layers)}")


def output_layer(model):
    """The layer whose output is the model's (single) output."""
    outputs = getattr(model, "outputs", None)
    if outputs:
        return outputs[0].node.layer
    return model.layers[-1] if model.layers else None


@contextlib.contextmanager
def _hooked(layer, wrapper_of):
    """Replace ``layer.call`` by ``wrapper_of(original)`` inside the block."""
    layer._call_accepts("training")  # cache the real signature before it is wrapped
    original = layer.call
    layer.call = functools.wraps(original)(wrapper_of(original))
    try:
        yield
    finally:
        del layer.call


@contextlib.contextmanager
def capture_output(layer):
    """Record the Tensors ``layer`` returns during the block: ``with ... as seen``."""
    seen = []

    def wrapper_of(original):
        def call(*args, **kwargs):
            output = original(*args, **kwargs)
            seen.append(output)
            return output
        return call

    with _hooked(layer, wrapper_of):
        yield seen


@contextlib.contextmanager
def replace_output(layer, value: Tensor):
    """``layer`` returns ``value`` instead of computing (its mask is still derived)."""
    def wrapper_of(original):
        def call(*args, **kwargs):
            return value
        return call

    with _hooked(layer, wrapper_of):
        yield


@contextlib.contextmanager
def _linear_head(model):
    """Switch the output layer's final softmax/sigmoid off inside the block (a ``Softmax``
    layer at the end passes its inputs through)."""
    from dlpath.layers.activation_layers import Softmax

    layer = output_layer(model)
    if isinstance(layer, Softmax):
        with _hooked(layer, lambda original: lambda inputs, *args, **kwargs: inputs):
            yield "softmax"
        return
    fn = getattr(layer, "activation", None)
    squashed = fn is not None and getattr(fn, "__name__", "") in _SQUASHING
    if not squashed:
        yield False
        return
    layer.activation = activations.linear
    try:
        yield getattr(fn, "__name__", "")
    finally:
        layer.activation = fn


@contextlib.contextmanager
def frozen(model):
    """Weights need no gradient inside the block (only the input's is computed)."""
    weights = [w for w in model.weights if w.requires_grad]
    for weight in weights:
        weight.requires_grad = False
    try:
        yield
    finally:
        for weight in weights:
            weight.requires_grad = True


# ---------------------------------------------------------------- scores
def class_scores(model, x) -> Tensor:
    """(N, classes) pre-softmax/pre-sigmoid scores of ``x`` (a Tensor or an array)."""
    with _linear_head(model):
        scores = model(x, training=False)
    if isinstance(scores, (list, tuple)):
        raise ExplainError(f"model '{model.name}' has {len(scores)} outputs; attributions "
                           f"explain a single-output classifier")
    if scores.ndim == 1:
        scores = scores.reshape(-1, 1)
    if scores.ndim != 2:
        raise ExplainError(f"model '{model.name}': expected class scores of shape "
                           f"(batch, classes), got {scores.shape}")
    if scores.shape[1] == 1:  # one logit z: classes 0 and 1 score -z and z
        scores = ops.concatenate([-scores, scores], axis=1)
    return scores


def probabilities(model, x, batch_size: int = 256) -> np.ndarray:
    """(N, classes) output probabilities (softmax of the class scores), without a graph."""
    rows = []
    with no_grad():
        for start in range(0, len(x), batch_size):
            scores = class_scores(model, x[start:start + batch_size]).numpy()
            shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
            rows.append(shifted / shifted.sum(axis=1, keepdims=True))
    return np.concatenate(rows).astype(np.float64)


def resolve_targets(model, x, targets) -> np.ndarray:
    """(N,) class ids: ``targets`` (an int for all, or one per sample), else predicted."""
    count = len(x)
    if targets is None:
        return probabilities(model, x).argmax(axis=1)
    ids = np.asarray(targets, dtype=np.int64).reshape(-1)
    if ids.size == 1:
        ids = np.full(count, int(ids[0]))
    if ids.size != count:
        raise ExplainError(f"targets: expected one class id or {count} (one per sample), "
                           f"got {ids.size}")
    return ids


def check_class_ids(targets: np.ndarray, classes: int) -> None:
    """Every id in ``targets`` names one of the model's ``classes`` classes."""
    if targets.min() < 0 or targets.max() >= classes:
        raise ExplainError(f"targets: class ids must be in 0..{classes - 1}, got "
                           f"{sorted(set(targets.tolist()))}")


def _selector(scores: Tensor, targets: np.ndarray) -> np.ndarray:
    """One-hot (N, classes) seed that picks S_{t_n}(x_n) out of the scores."""
    check_class_ids(targets, scores.shape[1])
    seed = np.zeros(scores.shape, dtype=scores.dtype)
    seed[np.arange(len(targets)), targets] = 1
    return seed


def gradients(model, x: np.ndarray, targets: np.ndarray, extra=()) -> tuple:
    """``(dS_t/dx, S_t, [dS_t/dE for E in captured])`` for a batch, in one backward pass.

    ``extra`` are layers whose outputs' gradients are wanted too (Grad-CAM); their captured
    outputs are returned as arrays in the last element, ``(value, gradient)`` pairs.
    """
    data = np.asarray(x, dtype=np.float32)
    source = Tensor(data, requires_grad=True)
    with frozen(model), contextlib.ExitStack() as stack:
        captured = [stack.enter_context(capture_output(layer)) for layer in extra]
        scores = class_scores(model, source)
    seed = _selector(scores, targets)
    picked = (scores.numpy() * seed).sum(axis=1)
    sources = [source] + [seen[-1] for seen in captured]
    for layer, seen in zip(extra, captured):
        if not seen:
            raise ExplainError(f"layer '{layer.name}' was not called by the model")
    grads = vector_jacobian([scores], [seed], sources, retain_graph=False)
    grads = [np.zeros_like(s.numpy()) if g is None else g for s, g in zip(sources, grads)]
    pairs = [(s.numpy(), g) for s, g in zip(sources[1:], grads[1:])]
    return grads[0], picked, pairs


def check_images(x, what: str) -> np.ndarray:
    """``x`` as a float batch (N, ...) with at least one sample."""
    array = np.asarray(x)
    if array.ndim < 2 or len(array) == 0:
        raise ExplainError(f"{what}: expected a batch of inputs (N, ...), got shape "
                           f"{array.shape}")
    if array.dtype.kind not in "fiu":
        raise ExplainError(f"{what}: expected numeric inputs, got dtype {array.dtype}")
    return array.astype(np.float32)
