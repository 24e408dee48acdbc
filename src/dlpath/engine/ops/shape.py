"""Shape primitives: reshape, transpose, broadcast_to, concatenate, stack, pad; and split.

None of these changes a value, so each backward only moves the gradient back into place.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor


class Reshape(Function):
    """y = a viewed with a new shape;  dL/da = dL/dy viewed with a's shape."""

    def forward(self, a, shape):
        self.shape = a.shape
        return a.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.shape)


class Transpose(Function):
    """y = a with its axes permuted by p;  dL/da = dL/dy permuted by p^-1."""

    def forward(self, a, axes):
        self.axes = axes
        return np.transpose(a, axes)

    def backward(self, grad):
        inverse = None if self.axes is None else tuple(np.argsort(self.axes))
        return np.transpose(grad, inverse)


class BroadcastTo(Function):
    """y = a repeated along broadcast axes;  dL/da = sum over them (done by the engine)."""

    def forward(self, a, shape):
        return np.broadcast_to(a, shape)

    def backward(self, grad):
        return grad


class Concatenate(Function):
    """y = [a_1, ..., a_n] joined along an axis;  dL/da_k = the k-th slice of dL/dy."""

    def forward(self, *arrays, axis):
        self.axis = axis
        self.bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    def backward(self, grad):
        return tuple(np.split(grad, self.bounds, axis=self.axis))


class Stack(Function):
    """y = [a_1, ..., a_n] stacked on a new axis;  dL/da_k = dL/dy taken at index k."""

    def forward(self, *arrays, axis):
        self.axis = axis
        return np.stack(arrays, axis=axis)

    def backward(self, grad):
        return tuple(np.moveaxis(grad, self.axis, 0))


class Pad(Function):
    """y = a surrounded by constant padding;  dL/da = dL/dy with the padding cut away."""

    def forward(self, a, pad_width, value):
        self.inner = tuple(slice(before, before + n) for (before, _), n in zip(pad_width, a.shape))
        return np.pad(a, pad_width, mode="constant", constant_values=value)

    def backward(self, grad):
        return grad[self.inner]


def reshape(a, shape):
    a = to_tensor(a)
    shape = tuple(int(s) for s in shape)
    try:
        return Reshape.apply(a, shape=shape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {a.shape} ({a.size} elements) "
            f"into shape {shape}"
        ) from None


def transpose(a, axes=None):
    a = to_tensor(a)
    if axes is not None:
        axes = tuple(int(ax) % a.ndim for ax in axes)
        if sorted(axes) != list(range(a.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                             f"{a.ndim} axes of shape {a.shape}")
    return Transpose.apply(a, axes=axes)


def permute(a, axes):
    return transpose(a, axes)


def broadcast_to(a, shape):
    a = to_tensor(a)
    shape = tuple(int(s) for s in shape)
    try:
        np.broadcast_shapes(a.shape, shape)
        if np.broadcast_shapes(a.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {shape}") from None
    return BroadcastTo.apply(a, shape=shape)


def expand(a, shape):
    return broadcast_to(a, shape)


def _check_same_rank(name, tensors, axis):
    tensors = [to_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError(f"{name}: needs at least one tensor")
    return tensors


def concatenate(tensors, axis: int = 0):
    tensors = _check_same_rank("concatenate", tensors, axis)
    try:
        return Concatenate.apply(*tensors, axis=axis)
    except (ValueError, np.exceptions.AxisError):
        shapes = [t.shape for t in tensors]
        raise ValueError(f"concatenate: shapes {shapes} must match except along axis "
                         f"{axis}") from None


def stack(tensors, axis: int = 0):
    tensors = _check_same_rank("stack", tensors, axis)
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all shapes must be equal, got {[t.shape for t in tensors]}")
    return Stack.apply(*tensors, axis=axis)


def split(a, sections, axis: int = 0):
    """Split ``a`` along ``axis`` into equal ``sections`` (int) or at the given indices.

    A composite: each piece is a slice (`getitem`), so its gradient lands in place.
    """
    from dlpath.engine.ops.indexing import getitem

    a = to_tensor(a)
    axis = axis % a.ndim
    length = a.shape[axis]
    if isinstance(sections, (int, np.integer)):
        if sections <= 0 or length % sections:
            raise ValueError(f"split: axis {axis} of size {length} cannot be split into "
                             f"{sections} equal parts")
        step = length // sections
        bounds = [step * i for i in range(1, sections)]
    else:
        bounds = list(sections)
    edges = [0] + bounds + [length]
    prefix = (slice(None),) * axis
    return [getitem(a, prefix + (slice(lo, hi),)) for lo, hi in zip(edges[:-1], edges[1:])]


def pad(a, pad_width, value: float = 0.0):
    """Constant padding; ``pad_width`` is one (before, after) pair per axis, as in NumPy."""
    a = to_tensor(a)
    pad_width = tuple((int(lo), int(hi)) for lo, hi in pad_width)
    if len(pad_width) != a.ndim or any(lo < 0 or hi < 0 for lo, hi in pad_width):
        raise ValueError(f"pad: expected {a.ndim} non-negative (before, after) pairs for "
                         f"shape {a.shape}, got {pad_width}")
    return Pad.apply(a, pad_width=pad_width, value=value)
