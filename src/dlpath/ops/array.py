"""Shapes, joining and splitting, indexing, and tensors made from nothing (zeros, eye, ...).

Moving values around is differentiable (the gradient is moved back); building constants and
indices is not (they have no gradient).
"""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops._convert import as_dtype, convert_to_tensor, values


def _t(x) -> Tensor:
    return convert_to_tensor(x)


def _text(x):
    """``x`` as a NumPy array if it holds text, else None.

    Tensors hold numbers; a batch of strings (what a text `Dataset` yields) stays a NumPy
    array, and the shape functions move it around as TensorFlow moves string tensors.
    """
    if isinstance(x, Tensor):
        return None
    array = x if isinstance(x, np.ndarray) else None
    if array is None and isinstance(x, (str, bytes, list, tuple)):
        array = np.asarray(x)
    return array if array is not None and array.dtype.kind in "SU" else None


def _dims(shape, owner: str) -> tuple:
    """A shape given as an int, a sequence, or a 1-D Tensor, as a tuple of ints."""
    if isinstance(shape, Tensor):
        shape = shape.data.tolist()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        dims = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: shape must be an int or a sequence of ints, got "
                        f"{shape!r}") from None
    if builtins.any(n < 0 for n in dims):
        raise ValueError(f"{owner}: shape {dims} has a negative dimension")
    return dims


# ------------------------------------------------------------------ facts about shapes
def shape(x) -> tuple:
    """The static shape as a tuple of ints (Keras' ``ops.shape``)."""
    return tuple(_t(x).shape)


def rank(x) -> Tensor:
    """The number of axes, as a 0-d int32 Tensor (TF's ``tf.rank``)."""
    return Tensor(np.int32(_t(x).ndim))


def size(x) -> Tensor:
    """The number of elements, as a 0-d int32 Tensor."""
    return Tensor(np.int32(_t(x).size))


# ------------------------------------------------------------------ reshaping
def reshape(x, new_shape):
    """The same values in ``new_shape`` (one -1 is inferred)."""
    if isinstance(new_shape, Tensor):
        new_shape = new_shape.data.tolist()
    if isinstance(new_shape, (int, np.integer)):
        new_shape = (int(new_shape),)
    text = _text(x)
    if text is not None:
        return np.reshape(text, tuple(int(n) for n in new_shape))
    return eops.reshape(_t(x), tuple(int(n) for n in new_shape))


def transpose(x, axes=None):
    """Permute the axes (reverse them when ``axes`` is None)."""
    x = _t(x)
    if axes is not None:
        axes = tuple(int(a) % builtins.max(x.ndim, 1) for a in values(axes).tolist())
        if sorted(axes) != list(range(x.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                             f"{x.ndim} axes of shape {x.shape}")
    return eops.transpose(x, axes)


def expand_dims(x, axis):
    """Insert an axis of size 1 at ``axis`` (negative counts from the end of the result)."""
    text = _text(x)
    x = _t(x) if text is None else text
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    out_ndim = x.ndim + len(axes)
    positions = sorted(int(a) % out_ndim for a in axes)
    new_shape = list(x.shape)
    for position in positions:
        new_shape.insert(position, 1)
    if text is not None:
        return np.reshape(text, tuple(new_shape))
    return eops.reshape(x, tuple(new_shape))


def squeeze(x, axis=None):
    """Drop axes of size 1 (only ``axis`` when given; it must have size 1)."""
    x = _t(x)
    if axis is None:
        return eops.reshape(x, tuple(n for n in x.shape if n != 1))
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    axes = [int(a) % builtins.max(x.ndim, 1) for a in axes]
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} of shape {x.shape} has size {x.shape[a]}, "
                             f"not 1")
    return eops.reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def flatten(x):
    return eops.reshape(_t(x), (-1,))


def broadcast_to(x, new_shape):
    return eops.broadcast_to(_t(x), _dims(new_shape, "broadcast_to"))


def tile(x, repeats):
    """``x`` repeated ``repeats[i]`` times along axis i (np.tile; tf.tile's ``multiples``).

    Composed as a broadcast over new axes then a reshape, so the gradient is a sum.
    """
    x = _t(x)
    reps = _dims(repeats, "tile")
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + reps
    if len(reps) > x.ndim:
        x = eops.reshape(x, (1,) * (len(reps) - x.ndim) + x.shape)
    interleaved = []
    for rep, n in zip(reps, x.shape):
        interleaved += [1, n]
    spread = eops.reshape(x, tuple(interleaved))
    target = []
    for rep, n in zip(reps, x.shape):
        target += [rep, n]
    return eops.reshape(eops.broadcast_to(spread, tuple(target)),
                        tuple(r * n for r, n in zip(reps, x.shape)))


def repeat(x, repeats: int, axis=None):
    """np.repeat with an int ``repeats``: each element ``repeats`` times along ``axis``."""
    x = _t(x)
    if axis is None:
        x, axis = eops.reshape(x, (-1,)), 0
    axis = int(axis) % x.ndim
    expanded = eops.reshape(x, x.shape[: axis + 1] + (1,) + x.shape[axis + 1:])
    spread = eops.broadcast_to(
        expanded, x.shape[: axis + 1] + (int(repeats),) + x.shape[axis + 1:])
    return eops.reshape(spread, x.shape[:axis] + (-1,) + x.shape[axis + 1:])


def flip(x, axis=None):
    """Reverse the order of elements along ``axis`` (all axes when None)."""
    x = _t(x)
    axes = range(x.ndim) if axis is None else (
        [axis] if isinstance(axis, (int, np.integer)) else axis)
    index = [slice(None)] * x.ndim
    for a in axes:
        index[int(a)] = slice(None, None, -1)
    return eops.getitem(x, tuple(index))


# ------------------------------------------------------------------ joining and splitting
def concatenate(xs, axis: int = 0):
    """Join tensors along an existing axis."""
    xs = [_t(x) for x in xs]
    if not xs:
        raise ValueError("concatenate: expected at least one tensor")
    return eops.concatenate(_common_dtype(xs), axis=int(axis))


def stack(xs, axis: int = 0):
    """Join tensors of one shape along a new axis."""
    xs = [_t(x) for x in xs]
    if not xs:
        raise ValueError("stack: expected at least one tensor")
    return eops.stack(_common_dtype(xs), axis=int(axis))


def _common_dtype(xs: list) -> list:
    dtype = np.result_type(*[x.dtype for x in xs])
    return [x if x.dtype == dtype else eops.cast(x, dtype) for x in xs]


def unstack(x, num=None, axis: int = 0) -> list:
    """The slices of ``x`` along ``axis``, as a list (each without that axis)."""
    x = _t(x)
    axis = int(axis) % builtins.max(x.ndim, 1)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: num={num} but axis {axis} of shape {x.shape} has size "
                         f"{x.shape[axis]}")
    prefix = (slice(None),) * axis
    return [eops.getitem(x, prefix + (i,)) for i in range(x.shape[axis])]


def split(x, indices_or_sections, axis: int = 0) -> list:
    """np.split: ``sections`` equal parts (an int) or cuts at the given indices."""
    x = _t(x)
    sections = indices_or_sections
    if isinstance(sections, Tensor):
        sections = sections.data.tolist()
    if not isinstance(sections, (int, np.integer)):
        sections = [int(i) for i in sections]
    return eops.split(x, sections, axis=int(axis))


def split_sizes(x, num_or_size_splits, axis: int = 0) -> list:
    """tf.split: ``num`` equal parts, or parts of the given sizes (one size may be -1)."""
    x = _t(x)
    if isinstance(num_or_size_splits, (int, np.integer)):
        return split(x, int(num_or_size_splits), axis)
    sizes = [int(s) for s in values(num_or_size_splits).tolist()]
    length = x.shape[int(axis)]
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = length - (builtins.sum(sizes) + 1)
    if builtins.sum(sizes) != length or builtins.any(s < 0 for s in sizes):
        raise ValueError(f"split: sizes {sizes} must add up to the size {length} of axis "
                         f"{axis}")
    cuts = np.cumsum(sizes)[:-1].tolist()
    return split(x, cuts, axis)


# ------------------------------------------------------------------ indexing
def take(x, indices, axis=None):
    """np.take: elements at ``indices`` along ``axis`` (of the flattened ``x`` when None)."""
    x = _t(x)
    idx = values(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"take: indices must be integers, got dtype {idx.dtype}")
    if axis is None:
        x, axis = eops.reshape(x, (-1,)), 0
    axis = int(axis) % builtins.max(x.ndim, 1)
    length = x.shape[axis]
    if idx.size and (idx.min() < -length or idx.max() >= length):
        raise IndexError(f"take: an index is out of range for axis {axis} of size {length} "
                         f"(got values from {idx.min()} to {idx.max()})")
    return eops.getitem(x, (slice(None),) * axis + (idx.astype(np.int64),))


def gather(params, indices, axis=None, batch_dims: int = 0):
    """tf.gather: slices of ``params`` at ``indices`` along ``axis`` (default 0)."""
    if batch_dims:
        raise ValueError(f"gather: batch_dims={batch_dims} is not supported (only 0)")
    return take(params, indices, 0 if axis is None else axis)


def take_along_axis(x, indices, axis: int = -1):
    """out[..., i, ...] = x[..., indices[..., i, ...], ...] along ``axis``."""
    return eops.take_along_axis(_t(x), values(indices).astype(np.int64), int(axis))


def one_hot(indices, depth: int, on_value=1.0, off_value=0.0, axis: int = -1, dtype=None):
    """out[..., i, ...] = on_value if indices[...] == i else off_value; indices outside
    [0, depth) give a row of off_value, as tf.one_hot."""
    idx = values(indices)
    if idx.dtype.kind not in "iu":
        if idx.dtype.kind == "f" and np.all(idx == np.round(idx)):
            idx = idx.astype(np.int64)
        else:
            raise TypeError(f"one_hot: indices must be integers, got dtype {idx.dtype}")
    depth = int(depth)
    if depth < 0:
        raise ValueError(f"one_hot: depth must be >= 0, got {depth}")
    if dtype is None:
        dtype = np.asarray(on_value).dtype if isinstance(on_value, np.ndarray) else np.float32
    dtype = as_dtype(dtype, "one_hot")
    hot = idx[..., None] == np.arange(depth)
    out = np.where(hot, np.asarray(on_value, dtype), np.asarray(off_value, dtype))
    if axis != -1:
        out = np.moveaxis(out, -1, int(axis))
    return Tensor(out, dtype=dtype)


def where(condition, x=None, y=None):
    """``x`` where ``condition`` else ``y`` (broadcast); with one argument, the indices of
    the true elements as an (n, rank) int64 Tensor (tf.where)."""
    cond = values(condition).astype(bool)
    if x is None and y is None:
        return Tensor(np.argwhere(cond).astype(np.int64))
    if x is None or y is None:
        raise ValueError("where: give both x and y, or neither")
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = convert_to_tensor(x)
    return eops.where(cond, x, y)


def nonzero(condition) -> tuple:
    """The indices of the true elements, one int64 Tensor per axis (np.nonzero)."""
    return tuple(Tensor(i.astype(np.int64)) for i in np.nonzero(values(condition)))


# ------------------------------------------------------------------ made from nothing
def zeros(shape, dtype="float32"):
    dtype = as_dtype(dtype or "float32", "zeros")
    return Tensor(np.zeros(_dims(shape, "zeros"), dtype=dtype))


def ones(shape, dtype="float32"):
    dtype = as_dtype(dtype or "float32", "ones")
    return Tensor(np.ones(_dims(shape, "ones"), dtype=dtype))


def full(shape, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value`` (its dtype by TF's rules)."""
    value = convert_to_tensor(fill_value, dtype).data
    return Tensor(np.full(_dims(shape, "full"), value, dtype=value.dtype))


def zeros_like(x, dtype=None):
    x = _t(x)
    return Tensor(np.zeros(x.shape, dtype=as_dtype(dtype or x.dtype, "zeros_like")))


def ones_like(x, dtype=None):
    x = _t(x)
    return Tensor(np.ones(x.shape, dtype=as_dtype(dtype or x.dtype, "ones_like")))


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    return Tensor(np.full(x.shape, fill_value, dtype=as_dtype(dtype or x.dtype, "full_like")))


def eye(num_rows: int, num_columns=None, k: int = 0, batch_shape=None, dtype="float32"):
    """The identity matrix (ones on diagonal ``k``), optionally repeated over ``batch_shape``."""
    matrix = np.eye(int(num_rows), None if num_columns is None else int(num_columns), int(k),
                    dtype=as_dtype(dtype or "float32", "eye"))
    if batch_shape is not None:
        matrix = np.broadcast_to(matrix, _dims(batch_shape, "eye") + matrix.shape).copy()
    return Tensor(matrix)


def arange(start, stop=None, step=1, dtype=None):
    """start, start + step, ... (< stop); ints give int32 and floats float32 by default."""
    if stop is None:
        start, stop = 0, start
    start, stop, step = (values(v).item() for v in (start, stop, step))
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) for v in (start, stop, step))
        dtype = "float32" if is_float else "int32"
    return Tensor(np.arange(start, stop, step, dtype=as_dtype(dtype, "arange")))


def linspace(start, stop, num: int = 50, endpoint: bool = True, axis: int = 0, dtype=None):
    """``num`` evenly spaced values from ``start`` to ``stop`` (float32 by default)."""
    out = np.linspace(values(start), values(stop), int(num), endpoint=endpoint, axis=axis)
    return Tensor(out, dtype=as_dtype(dtype or "float32", "linspace"))


def identity(x):
    """The same values, as a new node of the graph (the gradient passes through)."""
    x = _t(x)
    return eops.reshape(x, x.shape)


def stop_gradient(x):
    """The same values, cut from the graph: no gradient flows back through it."""
    return _t(x).detach()
