"""`GradientTape`: TensorFlow's way of asking for gradients, over dlpath's define-by-run graph.

dlpath records the graph whenever an input requires a gradient, tape or not, so a tape does
not record anything itself. What it adds is TensorFlow's contract:

- ``tape.gradient(target, sources)`` returns d(target)/d(source) for every source in a
  structure (a Tensor, a list, a tuple, a dict, nested) and gives back the same structure,
  ``None`` (or zeros) where a source is not connected to the target;
- variables are watched automatically (``watch_accessed_variables``), other tensors after
  ``tape.watch(x)``;
- a tape gives one gradient unless ``persistent=True``;
- it leaves no ``.grad`` behind: the gradients are computed by the engine's one
  `backward_pass`, and every ``.grad`` that pass touches is put back as it was.

For a target T with (summed) output gradient G and a source x:

    dT/dx = sum over paths  G . (prod of the local Jacobians along the path)

Second order (an outer tape differentiating an inner tape's gradient) needs a backward pass
that builds a graph of its own; the engine's backward computes with NumPy, so a gradient
computed while another tape records is returned connected to its sources through an op
whose backward raises `NotImplementedError` naming what is missing: never a silent zero.
"""

from __future__ import annotations

import contextlib
import enum
import threading

import numpy as np

from dlpath.engine.function import Function, backward_pass, is_grad_enabled, no_grad, postorder
from dlpath.engine.tensor import Tensor
from dlpath.engine.variable import Variable

_active = threading.local()


def _recording_tapes() -> list:
    """The tapes whose ``with`` block is running, innermost last."""
    if not hasattr(_active, "tapes"):
        _active.tapes = []
    return _active.tapes


class UnconnectedGradients(enum.Enum):
    """What `GradientTape.gradient` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


def _flatten(structure, what: str) -> list:
    """The Tensors of a nested list/tuple/dict structure, in order (dict values by key order)."""
    if isinstance(structure, Tensor):
        return [structure]
    if isinstance(structure, dict):
        return [t for key in structure for t in _flatten(structure[key], what)]
    if isinstance(structure, (list, tuple)):
        return [t for item in structure for t in _flatten(item, what)]
    raise TypeError(
        f"GradientTape: {what} must be a Tensor or Variable, or a list, tuple or dict of "
        f"them, got {type(structure).__name__}"
    )


def _pack(structure, values: list):
    """Rebuild ``structure`` with its Tensors replaced, in order, by ``values``."""
    it = iter(values)

    def rebuild(item):
        if isinstance(item, Tensor):
            return next(it)
        if isinstance(item, dict):
            return type(item)((key, rebuild(item[key])) for key in item)
        if isinstance(item, tuple) and hasattr(item, "_fields"):  # a namedtuple
            return type(item)(*[rebuild(x) for x in item])
        return type(item)(rebuild(x) for x in item)

    return rebuild(structure)


def _op_inputs(tensor) -> list:
    return [parent for parent in tensor._op.inputs if parent._op is not None]


def _touched_by_backward(targets) -> list:
    """Every Tensor whose ``.grad`` a backward pass from ``targets`` may write."""
    with_ops = postorder([t for t in targets if t._op is not None], _op_inputs)
    leaves = {id(p): p for t in with_ops for p in t._op.inputs if p._op is None}
    retaining = [t for t in with_ops if t._retains_grad]
    return list(leaves.values()) + retaining


def vector_jacobian(targets, output_grads, sources, retain_graph: bool) -> list:
    """sum_k output_grads[k] . d targets[k] / d source, for each source (None if unconnected).

    Runs the engine's `backward_pass` once per target and restores every ``.grad`` it
    writes, so the caller's gradients (a training loop's) are left as they were.
    """
    touched = _touched_by_backward(targets)
    saved = [(t, t.grad, t._retains_grad) for t in touched]
    saved_sources = [(s, s.grad, s._retains_grad) for s in sources]
    for tensor, _, _ in saved + saved_sources:
        tensor.grad = None
    for source in sources:
        if source._op is not None:
            source._retains_grad = True
    source_ids = {id(s) for s in sources}
    try:
        connected = [(t, g) for t, g in zip(targets, output_grads) if t.requires_grad]
        for position, (target, grad) in enumerate(connected):
            if target._op is None:
                if id(target) in source_ids:
                    target._accumulate(grad)
                continue
            keep = retain_graph or position < len(connected) - 1
            backward_pass(target, grad, retain_graph=keep)
        results = [s.grad for s in sources]
    finally:
        for tensor, grad, retains in saved_sources + saved:
            tensor.grad, tensor._retains_grad = grad, retains
    return results


class _SecondOrderUnsupported(Function):
    """Stands for a gradient computed by a NumPy backward: it has no backward of its own."""

    def forward(self, *arrays, value):
        return value

    def backward(self, grad):
        raise NotImplementedError(
            "GradientTape: the gradient of a gradient (second order) is not supported: "
            "dlpath's backward pass computes with NumPy and records no graph, so an outer "
            "tape cannot differentiate an inner tape's result"
        )


class GradientTape:
    """Records a computation so that gradients can be asked for (``tf.GradientTape``).

    Args:
        persistent: allow several `gradient` / `jacobian` calls (else one, then
            RuntimeError).
        watch_accessed_variables: watch trainable variables automatically; if False only
            what `watch` was given has a gradient (others get None).

    Example::

        with GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self.persistent = bool(persistent)
        self.watch_accessed_variables = bool(watch_accessed_variables)
        self._watched = {}
        self._restore = []
        self._used = False
        self._recording = False

    # --------------------------------------------------------------- context
    def __enter__(self) -> "GradientTape":
        _recording_tapes().append(self)
        self._recording = True
        return self

    def __exit__(self, *exc_info) -> None:
        tapes = _recording_tapes()
        if self in tapes:
            tapes.remove(self)
        self._recording = False
        # A watched constant goes back to not requiring a gradient; the graph recorded while
        # it was watched keeps its edges, so gradient() still works after the block.
        for tensor, previous in reversed(self._restore):
            tensor.requires_grad = previous
        self._restore = []

    def watch(self, tensor) -> None:
        """Track ``tensor`` (or a structure of them) so that gradients flow to it.

        Only ops run after ``watch`` are recorded for it, as in TensorFlow.
        """
        for item in _flatten(tensor, "watch's argument"):
            self._watched[id(item)] = item
            if item.dtype.kind == "f" and not item.requires_grad:
                self._restore.append((item, item.requires_grad))
                item.requires_grad = True

    def watched_variables(self) -> tuple:
        """The variables given to `watch` (automatic watching is implicit in dlpath)."""
        return tuple(t for t in self._watched.values() if isinstance(t, Variable))

    def reset(self) -> None:
        """Forget what was watched, so the tape can be used for a new computation."""
        self._watched = {}
        self._used = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Run a block whose ops are not recorded (no graph is built inside it)."""
        with no_grad():
            yield

    # --------------------------------------------------------------- gradients
    def _check_usable(self, method: str) -> None:
        if self._used and not self.persistent:
            raise RuntimeError(
                f"GradientTape.{method} can only be called once on a non-persistent tape; "
                f"create the tape with GradientTape(persistent=True) to call it again"
            )
        self._used = True

    def _is_watched(self, source) -> bool:
        if id(source) in self._watched:
            return True
        if not isinstance(source, Variable):
            return True  # a tensor inside the recorded graph: connected or not, it answers
        return self.watch_accessed_variables and source.trainable

    def _others_recording(self) -> bool:
        return is_grad_enabled() and any(t is not self for t in _recording_tapes())

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(target)/d(sources), in the structure of ``sources``.

        A non-scalar target (or a structure of targets) is summed first; ``output_gradients``
        gives the weights of that sum instead (one array per target, of its shape).
        ``unconnected_gradients`` is ``"none"`` (the default) or ``"zero"``.
        """
        self._check_usable("gradient")
        mode = _unconnected_mode(unconnected_gradients)
        flat_sources = _flatten(sources, "sources")
        targets = _flatten(target, "target")
        output_grads = _output_grads(targets, output_gradients)
        nested = self._others_recording()
        retain = self.persistent or nested
        with no_grad():
            grads = vector_jacobian(targets, output_grads, flat_sources, retain_graph=retain)
        results = []
        for source, grad in zip(flat_sources, grads):
            if grad is None or not self._is_watched(source):
                grad = np.zeros_like(source.data) if mode is UnconnectedGradients.ZERO else None
            results.append(None if grad is None else self._as_result(grad, source, nested))
        return _pack(sources, results)

    @staticmethod
    def _as_result(grad: np.ndarray, source, nested: bool) -> Tensor:
        if nested and source.requires_grad:
            return _SecondOrderUnsupported.apply(source, value=grad)
        return Tensor._from_op(grad, None)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE):
        """J[i..., j...] = d target[i...] / d source[j...] for each source, shape T + S.

        One backward pass per element of ``target``: meant for small targets.
        """
        self._check_usable("jacobian")
        mode = _unconnected_mode(unconnected_gradients)
        if not isinstance(target, Tensor):
            raise TypeError(f"GradientTape.jacobian: target must be a Tensor, got "
                            f"{type(target).__name__}")
        flat_sources = _flatten(sources, "sources")
        rows = [[] for _ in flat_sources]
        connected = [False] * len(flat_sources)
        with no_grad():
            for i in range(target.size):
                seed = np.zeros(target.shape, dtype=target.dtype)
                seed.reshape(-1)[i] = 1
                grads = vector_jacobian([target], [seed], flat_sources, retain_graph=True)
                for k, (source, grad) in enumerate(zip(flat_sources, grads)):
                    connected[k] |= grad is not None
                    rows[k].append(np.zeros_like(source.data) if grad is None else grad)
        results = []
        for k, source in enumerate(flat_sources):
            if not (connected[k] and self._is_watched(source)):
                if mode is UnconnectedGradients.NONE:
                    results.append(None)
                    continue
                rows[k] = [np.zeros_like(source.data)] * target.size
            jac = np.stack(rows[k]).reshape(target.shape + source.shape) if rows[k] else \
                np.zeros(target.shape + source.shape, dtype=source.dtype)
            results.append(Tensor._from_op(jac, None))
        return _pack(sources, results)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE):
        """J[b, i..., j...] = d target[b, i...] / d source[b, j...]: rows independent by batch."""
        if not isinstance(source, Tensor):
            raise TypeError(f"GradientTape.batch_jacobian: source must be a Tensor, got "
                            f"{type(source).__name__}")
        if target.ndim == 0 or source.ndim == 0 or target.shape[0] != source.shape[0]:
            raise ValueError(
                f"GradientTape.batch_jacobian: target and source need the same first (batch) "
                f"dimension, got shapes {target.shape} and {source.shape}"
            )
        full = self.jacobian(target, source, unconnected_gradients)
        if full is None:
            return None
        batch = target.shape[0]
        data = full.data.reshape((batch, -1, batch) + source.shape[1:])
        diagonal = np.stack([data[b, :, b] for b in range(batch)])
        return Tensor._from_op(diagonal.reshape(target.shape + source.shape[1:]), None)


def _unconnected_mode(value) -> UnconnectedGradients:
    try:
        return UnconnectedGradients(getattr(value, "value", value))
    except ValueError:
        raise ValueError(
            f"GradientTape: unconnected_gradients must be 'none' or 'zero', got {value!r}"
        ) from None


def _output_grads(targets: list, output_gradients) -> list:
    if output_gradients is None:
        return [np.ones(t.shape, dtype=t.dtype) for t in targets]
    given = output_gradients if isinstance(output_gradients, (list, tuple)) else \
        [output_gradients]
    if len(given) != len(targets):
        raise ValueError(f"GradientTape.gradient: got {len(given)} output_gradients for "
                         f"{len(targets)} targets")
    grads = []
    for target, grad in zip(targets, given):
        array = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=target.dtype)
        if array.shape != target.shape:
            raise ValueError(f"GradientTape.gradient: an output gradient has shape "
                             f"{array.shape}, expected its target's shape {target.shape}")
        grads.append(array)
    return grads


__all__ = ["GradientTape", "UnconnectedGradients", "vector_jacobian"]
