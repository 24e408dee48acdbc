"""More indexing: boolean masks, n-d gathers and scatters, slices by begin/size and by
strides, sequence masks, unique values and sorted search, and Keras' selection helpers.

Gathers and scatters are differentiable in the values they move (engine getitem, or the
scatter primitives of `dlpath.ops.primitives_more`); indices, masks and searches are constants.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.primitives_more import ScatterAdd, ScatterUpdate


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype (float64 stays float64)."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _t(x) -> Tensor:
    return convert_to_tensor(x)


def _int_indices(indices, owner: str) -> np.ndarray:
    idx = values(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{owner}: indices must be integers, got dtype {idx.dtype}")
    return idx.astype(np.int64)


def _nd_index(idx: np.ndarray, shape: tuple, owner: str) -> tuple:
    """The last axis of ``idx`` as a tuple of index arrays into ``shape``, range-checked."""
    depth = idx.shape[-1] if idx.ndim else 0
    if idx.ndim == 0 or depth > len(shape):
        raise ValueError(f"{owner}: indices must have a last axis of at most {len(shape)} "
                         f"entries for shape {tuple(shape)}, got indices of shape {idx.shape}")
    for d in range(depth):
        column = idx[..., d]
        if column.size and (column.min() < 0 or column.max() >= shape[d]):
            raise IndexError(f"{owner}: an index on axis {d} is outside [0, {shape[d]}) "
                             f"(got values from {column.min()} to {column.max()})")
    return tuple(idx[..., d] for d in range(depth))


# ------------------------------------------------------------------ gathers
def gather_nd(params, indices, batch_dims: int = 0):
    """out[i...] = params[indices[i..., 0], ..., indices[i..., d-1]] (tf.gather_nd)."""
    if batch_dims:
        raise ValueError(f"gather_nd: batch_dims={batch_dims} is not supported (only 0)")
    x = _t(params)
    idx = _int_indices(indices, "gather_nd")
    return eops.getitem(x, _nd_index(idx, x.shape, "gather_nd"))


def boolean_mask(tensor, mask, axis: int = 0):
    """The elements (or slices) of ``tensor`` where ``mask`` is True; ``mask`` covers the
    axes axis .. axis + mask.ndim - 1, which become one axis."""
    x = _t(tensor)
    m = values(mask).astype(bool)
    axis = int(axis) % builtins.max(x.ndim, 1)
    if m.ndim == 0 or x.shape[axis: axis + m.ndim] != m.shape:
        raise ValueError(f"boolean_mask: mask of shape {m.shape} must match the axes from "
                         f"{axis} of tensor shape {x.shape}")
    return eops.getitem(x, (slice(None),) * axis + np.nonzero(m))


def reverse(tensor, axis):
    """tf.reverse: the order of elements reversed along each of ``axis``."""
    axes = np.atleast_1d(values(axis)).astype(np.int64).tolist()
    return array.flip(tensor, axes)


def repeat(x, repeats, axis=None):
    """np.repeat / tf.repeat: each element ``repeats`` times along ``axis`` (of the
    flattened ``x`` when None); ``repeats`` may give one count per element."""
    x = _t(x)
    counts = np.asarray(values(repeats)).astype(np.int64)
    if axis is None:
        x, axis = array.flatten(x), 0
    axis = int(axis) % builtins.max(x.ndim, 1)
    if (counts < 0).any():
        raise ValueError(f"repeat: repeats must be non-negative, got {counts.tolist()}")
    if counts.ndim == 0 or counts.size == 1:
        return array.repeat(x, int(counts.reshape(-1)[0]), axis)
    if counts.shape != (x.shape[axis],):
        raise ValueError(f"repeat: {counts.size} repeats for axis {axis} of size "
                         f"{x.shape[axis]}")
    index = np.repeat(np.arange(x.shape[axis]), counts)
    return eops.getitem(x, (slice(None),) * axis + (index,))


# ------------------------------------------------------------------ scatters
def scatter_nd(indices, updates, shape):
    """zeros(shape) with updates added at ``indices`` (repeats add up), as tf.scatter_nd
    and keras.ops.scatter."""
    shape = tuple(int(n) for n in np.atleast_1d(values(shape)))
    u = _t(updates)
    index = _nd_index(_int_indices(indices, "scatter_nd"), shape, "scatter_nd")
    target = index[0].shape + shape[len(index):]
    if u.shape != target:
        u = _broadcast(u, target, "scatter_nd")
    return ScatterAdd.apply(u, index=index, shape=shape)


def scatter(indices, values_, shape):
    """keras.ops.scatter(indices, values, shape)."""
    return scatter_nd(indices, values_, shape)


def tensor_scatter_nd_update(tensor, indices, updates):
    """``tensor`` with the places at ``indices`` replaced by ``updates``."""
    x = _t(tensor)
    index = _nd_index(_int_indices(indices, "tensor_scatter_nd_update"), x.shape,
                      "tensor_scatter_nd_update")
    u = _t(updates)
    target = index[0].shape + x.shape[len(index):]
    u = _broadcast(u, target, "tensor_scatter_nd_update")
    if u.dtype != x.dtype:
        u = eops.cast(u, x.dtype) if u.dtype.kind == "f" else _keep(u.data.astype(x.dtype))
    return ScatterUpdate.apply(x, u, index=index)


def scatter_update(inputs, indices, updates):
    """keras.ops.scatter_update: ``inputs`` with the places at ``indices`` replaced."""
    return tensor_scatter_nd_update(inputs, indices, updates)


def slice_update(inputs, start_indices, updates):
    """``inputs`` with the block starting at ``start_indices`` replaced by ``updates``."""
    x, u = _t(inputs), _t(updates)
    starts = [int(s) for s in np.atleast_1d(values(start_indices))]
    if len(starts) != x.ndim or u.ndim != x.ndim:
        raise ValueError(f"slice_update: start_indices and updates need {x.ndim} axes for "
                         f"inputs of shape {x.shape}, got {starts} and shape {u.shape}")
    if builtins.any(s < 0 or s + n > m for s, n, m in zip(starts, u.shape, x.shape)):
        raise ValueError(f"slice_update: updates of shape {u.shape} at {starts} do not fit "
                         f"in inputs of shape {x.shape}")
    grid = np.indices(u.shape) + np.asarray(starts).reshape((-1,) + (1,) * u.ndim)
    return tensor_scatter_nd_update(x, np.moveaxis(grid, 0, -1), u)


def _broadcast(u: Tensor, target: tuple, owner: str) -> Tensor:
    if u.shape == target:
        return u
    try:
        np.broadcast_shapes(u.shape, target)
    except ValueError:
        raise ValueError(f"{owner}: updates of shape {u.shape} do not match the indexed "
                         f"shape {target}") from None
    return eops.broadcast_to(u, target)


# ------------------------------------------------------------------ slices
def tf_slice(input_, begin, size):
    """tf.slice: the block of ``size`` from ``begin`` (a size of -1 takes the rest)."""
    x = _t(input_)
    starts = [int(s) for s in np.atleast_1d(values(begin))]
    sizes = [int(s) for s in np.atleast_1d(values(size))]
    if len(starts) != x.ndim or len(sizes) != x.ndim:
        raise ValueError(f"slice: begin and size need {x.ndim} entries for shape {x.shape}, "
                         f"got {starts} and {sizes}")
    index = []
    for s, n, m in zip(starts, sizes, x.shape):
        stop = m if n == -1 else s + n
        if s < 0 or stop > m or n < -1:
            raise ValueError(f"slice: begin {starts} and size {sizes} fall outside shape "
                             f"{x.shape}")
        index.append(slice(s, stop))
    return eops.getitem(x, tuple(index))


def strided_slice(input_, begin, end, strides=None, begin_mask: int = 0, end_mask: int = 0,
                  ellipsis_mask: int = 0, new_axis_mask: int = 0, shrink_axis_mask: int = 0):
    """tf.strided_slice: entry i of begin/end/strides is ``x[..., begin[i]:end[i]:strides[i]]``
    on the next axis; bit i of ``begin_mask`` / ``end_mask`` drops begin[i] / end[i], of
    ``shrink_axis_mask`` takes the index begin[i], of ``new_axis_mask`` inserts an axis, of
    ``ellipsis_mask`` stands for all the axes not named (as ``...`` does)."""
    x = _t(input_)
    begins = [int(b) for b in np.atleast_1d(values(begin))]
    ends = [int(e) for e in np.atleast_1d(values(end))]
    steps = [1] * len(begins) if strides is None else [int(s) for s in
                                                      np.atleast_1d(values(strides))]
    if not len(begins) == len(ends) == len(steps):
        raise ValueError(f"strided_slice: begin, end and strides need one entry each, got "
                         f"{begins}, {ends} and {steps}")
    if bin(int(ellipsis_mask)).count("1") > 1:
        raise ValueError("strided_slice: ellipsis_mask may set one bit only")
    index = []
    for i, (b, e, s) in enumerate(zip(begins, ends, steps)):
        if ellipsis_mask >> i & 1:
            index.append(Ellipsis)
        elif new_axis_mask >> i & 1:
            index.append(None)
        elif shrink_axis_mask >> i & 1:
            index.append(b)
        elif s == 0:
            raise ValueError(f"strided_slice: strides[{i}] must be non-zero")
        else:
            index.append(slice(None if begin_mask >> i & 1 else b,
                               None if end_mask >> i & 1 else e, s))
    named = builtins.sum(1 for part in index if part is not None and part is not Ellipsis)
    if named > x.ndim:
        raise ValueError(f"strided_slice: {named} sliced axes for a tensor of shape {x.shape}")
    return eops.getitem(x, tuple(index))


def get_item(x, key):
    """keras.ops.get_item: ``x[key]``."""
    return _t(x)[key]


# ------------------------------------------------------------------ masks and searches
def sequence_mask(lengths, maxlen=None, dtype="bool"):
    """mask[..., j] = j < lengths[...], for j < maxlen (max(lengths) by default)."""
    n = values(lengths).astype(np.int64)
    width = int(n.max()) if maxlen is None and n.size else int(values(maxlen) if maxlen
                                                              is not None else 0)
    mask = np.arange(width) < n[..., None]
    return _keep(mask.astype(as_dtype(dtype, "sequence_mask")))


UniqueResult = namedtuple("UniqueResult", ["y", "idx"])


def tf_unique(x, out_idx="int32"):
    """tf.unique: the distinct values of the 1-D ``x`` in order of first appearance, and for
    each element the position of its value in them."""
    data = values(x)
    if data.ndim != 1:
        raise ValueError(f"unique: x must be 1-D, got shape {data.shape}")
    distinct, first, inverse = np.unique(data, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return UniqueResult(_keep(distinct[order]),
                        _keep(rank[inverse.reshape(-1)].astype(as_dtype(out_idx, "unique"))))


def unique(x, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, axis=None):
    """keras.ops.unique: np.unique's sorted distinct values (and inverse, counts)."""
    out = np.unique(values(x), return_inverse=return_inverse, return_counts=return_counts,
                    axis=axis)
    if not isinstance(out, tuple):
        return _keep(out)
    return tuple(_keep(part) for part in out)


def searchsorted(sorted_sequence, values_, side: str = "left", out_type="int32"):
    """Where each value would go in ``sorted_sequence`` to keep it sorted; a batch of
    sequences (leading axes) searches row by row, as tf.searchsorted."""
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    seq, vals = values(sorted_sequence), values(values_)
    dtype = as_dtype(out_type, "searchsorted")
    if seq.ndim <= 1:
        return _keep(np.searchsorted(seq, vals, side=side).astype(dtype))
    if seq.shape[:-1] != vals.shape[:-1]:
        raise ValueError(f"searchsorted: leading axes of sorted_sequence {seq.shape} and "
                         f"values {vals.shape} differ")
    rows = [np.searchsorted(s, v, side=side) for s, v in
            zip(seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1]))]
    return _keep(np.asarray(rows).reshape(vals.shape).astype(dtype))


def digitize(x, bins):
    """The index of the bin each value of ``x`` falls in (np.digitize, increasing bins)."""
    return _keep(np.digitize(values(x), values(bins)).astype(np.int32))


# ------------------------------------------------------------------ selection
def select(condlist, choicelist, default=0):
    """choicelist[i] where condlist[i] is the first true condition, else ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: {len(condlist)} conditions but {len(choicelist)} choices")
    if not condlist:
        raise ValueError("select: expected at least one condition")
    out = _t(default)
    choices = [_t(c) for c in choicelist]
    dtype = np.result_type(*[c.dtype for c in choices])
    out = out if out.dtype == dtype else _keep(out.data.astype(dtype))
    for cond, choice in reversed(list(zip(condlist, choices))):
        out = array.where(values(cond), choice, out)
    return out


def switch(index, branches, *operands):
    """branches[index](*operands), the index clamped into range (keras.ops.switch)."""
    i = builtins.min(builtins.max(int(values(index)), 0), len(branches) - 1)
    return branches[i](*operands)


def is_tensor(x) -> bool:
    """Whether ``x`` is a dlpath Tensor (a Variable too)."""
    return isinstance(x, Tensor)


def ndim(x) -> int:
    return _t(x).ndim


def copy(x):
    """A new Tensor with the same values (the gradient passes through)."""
    return array.identity(x)


def tensor_array(x, dtype=None):
    """keras.ops.array: ``x`` as a Tensor."""
    return convert_to_tensor(x, dtype)


def dtype(x) -> str:
    """The dtype's name, e.g. 'float32'."""
    return np.dtype(_t(x).dtype).name


def ensure_shape(x, shape):
    """``x`` unchanged if its shape matches ``shape`` (None matches any size), else an
    error."""
    x = _t(x)
    wanted = None if shape is None else list(shape)
    if wanted is not None and (len(wanted) != x.ndim or builtins.any(
            w is not None and int(w) != n for w, n in zip(wanted, x.shape))):
        raise ValueError(f"ensure_shape: expected shape {tuple(wanted)}, got {x.shape}")
    return x


def executing_eagerly() -> bool:
    """True: dlpath always runs eagerly."""
    return True
