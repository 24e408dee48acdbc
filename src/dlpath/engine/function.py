"""The autograd core: the `Function` base class of every primitive op, graph mode and backward.

A primitive op is a subclass of `Function` with two methods side by side:

- ``forward(*arrays, **params) -> array`` computes the output from NumPy arrays and saves on
  ``self`` only what ``backward`` needs;
- ``backward(grad) -> tuple`` maps the gradient of the loss with respect to the output to one
  gradient per input (``None`` for an input that needs none).

``Function.apply`` runs ``forward`` on the inputs' arrays and, when any input requires a
gradient and graph mode is on, records the op as the output's creator. ``backward_pass``
walks the recorded graph in reverse topological order, once, iteratively.

Broadcasting is undone in exactly one place, `unbroadcast`: an op's backward may return a
gradient in the broadcast (output) shape and the engine sums it back to the input's shape —
the adjoint of broadcasting is summation.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

_state = threading.local()


def is_grad_enabled() -> bool:
    """Whether ops currently record the graph for backward."""
    return getattr(_state, "grad_enabled", True)


@contextlib.contextmanager
def no_grad():
    """Context manager that turns graph building off (inference, optimizer updates)."""
    previous = is_grad_enabled()
    _state.grad_enabled = False
    try:
        yield
    finally:
        _state.grad_enabled = previous


@contextlib.contextmanager
def enable_grad():
    """Context manager that turns graph building back on inside `no_grad`."""
    previous = is_grad_enabled()
    _state.grad_enabled = True
    try:
        yield
    finally:
        _state.grad_enabled = previous


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the adjoint of NumPy broadcasting.

    If ``x`` of shape ``shape`` was broadcast to ``grad.shape``, then
    dL/dx = sum of dL/dy over the broadcast axes (leading axes added, and axes of size 1).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0:
        # A scalar gradient for a larger input cannot happen through broadcasting.
        return np.broadcast_to(grad, shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return summed.reshape(shape)


class Function:
    """Base class of every primitive op (see the module docstring for the contract).

    Attributes set by `apply` for ops that take part in the graph:
        inputs: the input Tensors, in order.
        needs_grad: one bool per input, True where that input requires a gradient; a
            backward may skip the work for inputs marked False and return None for them.

    ``recording`` is set before ``forward`` runs: False when the op will not be recorded
    (``no_grad``, or no input requires a gradient), so a forward may skip what only
    backward needs (max pooling's argmax masks, the LSTM's per-step activations); its
    result must be the same either way.
    """

    recording = True  # a forward called on its own saves what backward needs

    def forward(self, *arrays, **params):  # pragma: no cover - always overridden
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover - always overridden
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on Tensors ``inputs`` and return the output Tensor."""
        tensor_type = _tensor_class or _bind_tensor_class()
        fn = cls()
        needs_grad = [t.requires_grad for t in inputs]
        if not (any(needs_grad) and is_grad_enabled()):
            fn.recording = False
            return tensor_type._from_op(fn.forward(*[t.data for t in inputs], **params), None)
        out_data = fn.forward(*[t.data for t in inputs], **params)
        fn.inputs = inputs
        fn.needs_grad = needs_grad
        return tensor_type._from_op(out_data, fn)

    @property
    def name(self) -> str:
        return type(self).__name__


_tensor_class = None  # `Tensor`, bound on first use: its module imports this one


def _bind_tensor_class():
    global _tensor_class
    from dlpath.engine.tensor import Tensor

    _tensor_class = Tensor
    return Tensor


def postorder(roots, parents_of) -> list:
    """Every item reachable from ``roots`` through ``parents_of``, each after its parents.

    Iterative depth-first search, so graphs of any depth (long RNN unrolls, 10^5 chained ops)
    work without touching Python's recursion limit.
    """
    order = []
    visited = set()
    stack = [(item, False) for item in reversed(list(roots))]
    while stack:
        item, expanded = stack.pop()
        if expanded:
            order.append(item)
            continue
        if id(item) in visited:
            continue
        visited.add(id(item))
        stack.append((item, True))
        for parent in parents_of(item):
            if id(parent) not in visited:
                stack.append((parent, False))
    return order


def _op_parents(tensor) -> list:
    return [parent for parent in tensor._op.inputs if parent._op is not None]


def backward_pass(root, grad: np.ndarray, retain_graph: bool = False) -> None:
    """Propagate ``grad`` (dL/droot) back through the graph that produced ``root``.

    Leaf tensors that require a gradient accumulate it into ``.grad``; intermediate
    gradients are freed as soon as they have been used, and so is each op's saved state
    unless ``retain_graph``.
    """
    grads = {id(root): grad}
    for tensor in reversed(postorder([root], _op_parents)):
        out_grad = grads.pop(id(tensor), None)
        op = tensor._op
        if out_grad is None or op is None:
            continue
        if tensor._retains_grad:
            tensor._accumulate(out_grad)
        in_grads = op.backward(out_grad)
        if not isinstance(in_grads, tuple):
            in_grads = (in_grads,)
        for parent, needs, in_grad in zip(op.inputs, op.needs_grad, in_grads):
            if not needs or in_grad is None:
                continue
            in_grad = unbroadcast(np.asarray(in_grad), parent.shape)
            if parent._op is None:
                parent._accumulate(in_grad)
            else:
                key = id(parent)
                previous = grads.get(key)
                grads[key] = in_grad if previous is None else previous + in_grad
        if not retain_graph:
            tensor._op = _FREED


class _FreedGraph(Function):
    """Stands in for an op whose saved state was released by a backward pass."""

    inputs = ()
    needs_grad = ()

    def backward(self, grad):
        raise RuntimeError(
            "backward through a graph a second time: its intermediate values were freed by "
            "the first backward; call backward(retain_graph=True) the first time"
        )


_FREED = _FreedGraph()
