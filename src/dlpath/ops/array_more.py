"""More shape functions (padding lives in `dlpath.ops.padding`): rolling, triangles and diagonals, stacking and splitting
variants, products of vectors (tensordot, outer, kron, cross), rotations and grids.

Moving values is differentiable (each is an engine gather, reshape, transpose or pad, so the
gradient is moved back); masks and grids of indices are constants.
"""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.math import _float, multiply, sum
from dlpath.ops.padding import pad


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype (float64 stays float64)."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _t(x) -> Tensor:
    return convert_to_tensor(x)


def _axis_of(x: Tensor, axis, owner: str) -> int:
    ndim = builtins.max(x.ndim, 1)
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{owner}: axis {axis} is out of range for a tensor of shape {x.shape}")
    return axis % ndim


def _take(x: Tensor, index: np.ndarray, axis: int) -> Tensor:
    return eops.getitem(x, (slice(None),) * axis + (index.astype(np.int64),))


# ------------------------------------------------------------------ moving along axes
def roll(x, shift, axis=None):
    """Elements shifted by ``shift`` along ``axis`` (of the flattened ``x`` when None),
    wrapping around."""
    x = _t(x)
    if axis is None:
        return array.reshape(roll(array.flatten(x), shift, 0), x.shape)
    shifts = np.atleast_1d(values(shift)).astype(np.int64)
    axes = np.atleast_1d(values(axis)).astype(np.int64)
    shifts, axes = np.broadcast_arrays(shifts, axes)
    for s, a in zip(shifts.tolist(), axes.tolist()):
        a = _axis_of(x, a, "roll")
        x = _take(x, np.roll(np.arange(x.shape[a]), s), a)
    return x


def moveaxis(x, source, destination):
    """Axes ``source`` moved to ``destination`` (the others keep their order)."""
    x = _t(x)
    return eops.transpose(x, tuple(_perm_after_move(x.ndim, source, destination)))


def _perm_after_move(ndim: int, source, destination) -> list:
    src = [int(s) % ndim for s in np.atleast_1d(source)]
    dst = [int(d) % ndim for d in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source} and destination {destination} need the "
                         f"same number of axes")
    rest = [a for a in range(ndim) if a not in src]
    perm = [None] * ndim
    for s, d in zip(src, dst):
        perm[d] = s
    fill = iter(rest)
    return [p if p is not None else next(fill) for p in perm]


def swapaxes(x, axis1, axis2):
    """Axes ``axis1`` and ``axis2`` exchanged."""
    x = _t(x)
    perm = list(range(x.ndim))
    a, b = _axis_of(x, axis1, "swapaxes"), _axis_of(x, axis2, "swapaxes")
    perm[a], perm[b] = perm[b], perm[a]
    return eops.transpose(x, tuple(perm))


def ravel(x):
    """The elements as a 1-D tensor (row-major)."""
    return eops.reshape(_t(x), (-1,))


def fliplr(x):
    """Reverse axis 1."""
    return array.flip(x, 1)


def flipud(x):
    """Reverse axis 0."""
    return array.flip(x, 0)


def rot90(x, k: int = 1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (from the first toward the
    second, as np.rot90)."""
    x = _t(x)
    a, b = (_axis_of(x, ax, "rot90") for ax in axes)
    if a == b:
        raise ValueError(f"rot90: axes must differ, got {tuple(axes)}")
    k = int(k) % 4
    if k == 2:
        return array.flip(array.flip(x, a), b)
    if k == 1:
        return swapaxes(array.flip(x, b), a, b)
    if k == 3:
        return array.flip(swapaxes(x, a, b), b)
    return x


# ------------------------------------------------------------------ triangles and diagonals
def tri(N, M=None, k: int = 0, dtype="float32"):  # noqa: N803 - NumPy's names
    """Ones at and below diagonal ``k`` of an N x M matrix."""
    return _keep(np.tri(int(N), None if M is None else int(M), int(k),
                         dtype=as_dtype(dtype or "float32", "tri")))


def tril(x, k: int = 0):
    """``x`` with the elements above diagonal ``k`` of its last two axes set to 0."""
    return _triangle(x, k, lower=True)


def triu(x, k: int = 0):
    """``x`` with the elements below diagonal ``k`` of its last two axes set to 0."""
    return _triangle(x, k, lower=False)


def _triangle(x, k, lower: bool):
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"{'tril' if lower else 'triu'}: x must have at least 2 axes, got "
                         f"shape {x.shape}")
    rows, cols = x.shape[-2:]
    keep = np.tri(rows, cols, int(k), dtype=bool)
    if not lower:
        keep = ~np.tri(rows, cols, int(k) - 1, dtype=bool)
    return eops.where(keep, x, _keep(np.zeros((), dtype=x.dtype)))


def diagonal(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The diagonal ``offset`` of the plane (axis1, axis2), as the last axis (np.diagonal)."""
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"diagonal: x must have at least 2 axes, got shape {x.shape}")
    a, b = _axis_of(x, axis1, "diagonal"), _axis_of(x, axis2, "diagonal")
    rest = [i for i in range(x.ndim) if i not in (a, b)]
    moved = eops.transpose(x, tuple(rest + [a, b]))
    rows, cols = moved.shape[-2:]
    offset = int(offset)
    start_r, start_c = builtins.max(-offset, 0), builtins.max(offset, 0)
    length = builtins.max(0, builtins.min(rows - start_r, cols - start_c))
    i = np.arange(length)
    return eops.getitem(moved, (Ellipsis, i + start_r, i + start_c))


def diag(x, k: int = 0):
    """np.diag: a 1-D ``x`` on diagonal ``k`` of a square matrix; of a 2-D ``x``, its
    diagonal ``k``."""
    x = _t(x)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(f"diag: x must be 1-D or 2-D, got shape {x.shape}")
    k = int(k)
    n = x.shape[0] + builtins.abs(k)
    rows, cols = np.indices((n, n))
    on = (cols - rows) == k
    source = np.where(on, rows if k >= 0 else cols, 0)  # the position in x
    gathered = eops.getitem(x, (np.clip(source, 0, builtins.max(x.shape[0] - 1, 0)),))
    return eops.where(on, gathered, _keep(np.zeros((), dtype=x.dtype)))


def diagflat(x, k: int = 0):
    """The flattened ``x`` on diagonal ``k`` of a square matrix."""
    return diag(ravel(x), k)


def trace(x, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The sum of diagonal ``offset`` of the plane (axis1, axis2)."""
    return sum(diagonal(x, offset, axis1, axis2), -1)


# ------------------------------------------------------------------ stacking and splitting
def _at_least(x, ndim: int) -> Tensor:
    x = _t(x)
    if x.ndim >= ndim:
        return x
    if ndim == 3 and x.ndim == 2:
        return eops.reshape(x, x.shape + (1,))
    if ndim == 3 and x.ndim == 1:
        return eops.reshape(x, (1,) + x.shape + (1,))
    return eops.reshape(x, (1,) * (ndim - x.ndim) + x.shape)


def hstack(xs):
    """Join along axis 1 (axis 0 for 1-D tensors)."""
    xs = [_t(x) for x in xs]
    return array.concatenate(xs, 0 if xs and xs[0].ndim == 1 else 1)


def vstack(xs):
    """Join along axis 0, 1-D tensors as rows."""
    return array.concatenate([_at_least(x, 2) for x in xs], 0)


def dstack(xs):
    """Join along axis 2, lower-rank tensors first made 3-D."""
    return array.concatenate([_at_least(x, 3) for x in xs], 2)


def column_stack(xs):
    """1-D tensors as columns of a 2-D one (others joined along axis 1)."""
    cols = []
    for x in xs:
        x = _t(x)
        cols.append(eops.reshape(x, x.shape + (1,)) if x.ndim == 1 else x)
    return array.concatenate(cols, 1)


def array_split(x, indices_or_sections, axis: int = 0) -> list:
    """np.array_split: like split, but ``sections`` need not divide the axis."""
    x = _t(x)
    axis = _axis_of(x, axis, "array_split")
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: sections must be > 0, got {sections}")
        size, extra = divmod(x.shape[axis], sections)
        sizes = [size + 1] * extra + [size] * (sections - extra)
        cuts = np.cumsum(sizes)[:-1].tolist()
    else:
        cuts = [int(i) for i in values(indices_or_sections).tolist()]
    edges = [0] + cuts + [x.shape[axis]]
    prefix = (slice(None),) * axis
    return [eops.getitem(x, prefix + (slice(lo, hi),)) for lo, hi in zip(edges, edges[1:])]


def hsplit(x, indices_or_sections) -> list:
    x = _t(x)
    return array.split(x, indices_or_sections, 0 if x.ndim == 1 else 1)


def vsplit(x, indices_or_sections) -> list:
    return array.split(x, indices_or_sections, 0)


def dsplit(x, indices_or_sections) -> list:
    return array.split(x, indices_or_sections, 2)


def append(x1, x2, axis=None):
    """``x2`` joined after ``x1`` along ``axis`` (both flattened when None)."""
    if axis is None:
        return array.concatenate([ravel(x1), ravel(x2)], 0)
    return array.concatenate([x1, x2], axis)


# ------------------------------------------------------------------ products
def tensordot(a, b, axes=2):
    """sum over the paired axes of a and b (np.tensordot): ``axes`` is an int N (the last N
    of a with the first N of b) or two lists of axes."""
    a, b = _t(a), _t(b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        axes_a, axes_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    else:
        axes_a, axes_b = ([int(i) for i in np.atleast_1d(values(ax))] for ax in axes)
    axes_a = [_axis_of(a, i, "tensordot") for i in axes_a]
    axes_b = [_axis_of(b, i, "tensordot") for i in axes_b]
    if [a.shape[i] for i in axes_a] != [b.shape[i] for i in axes_b]:
        raise ValueError(f"tensordot: axes {axes_a} of a {a.shape} and {axes_b} of b "
                         f"{b.shape} differ in size")
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    inner = int(np.prod([a.shape[i] for i in axes_a], dtype=np.int64))
    left = eops.reshape(eops.transpose(a, tuple(free_a + axes_a)), (-1, inner))
    right = eops.reshape(eops.transpose(b, tuple(axes_b + free_b)), (inner, -1))
    out = eops.matmul(left, right)
    return eops.reshape(out, tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b))


def outer(x1, x2):
    """out[i, j] = x1[i] x2[j] over the flattened inputs."""
    a, b = ravel(x1), ravel(x2)
    return multiply(eops.reshape(a, (-1, 1)), eops.reshape(b, (1, -1)))


def inner(x1, x2):
    """sum over the last axes of x1 and x2 (a product for scalars)."""
    a, b = _t(x1), _t(x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, ([-1], [-1]))


def vdot(x1, x2):
    """sum of x1 x2 over the flattened inputs."""
    return sum(multiply(ravel(x1), ravel(x2)))


def kron(x1, x2):
    """The Kronecker product: blocks x1[i, j] * x2 (lower ranks get leading axes of size 1)."""
    a, b = _t(x1), _t(x2)
    ndim = builtins.max(a.ndim, b.ndim)
    a = eops.reshape(a, (1,) * (ndim - a.ndim) + a.shape)
    b = eops.reshape(b, (1,) * (ndim - b.ndim) + b.shape)
    spread_a = eops.reshape(a, tuple(n for d in a.shape for n in (d, 1)))
    spread_b = eops.reshape(b, tuple(n for d in b.shape for n in (1, d)))
    out = multiply(spread_a, spread_b)
    return eops.reshape(out, tuple(p * q for p, q in zip(a.shape, b.shape)))


def cross(x1, x2, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis=None):
    """The cross product of 3-vectors along ``axis`` (a 2-vector is taken with z = 0)."""
    a, b = _t(x1), _t(x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(f"cross: vectors must have 2 or 3 components, got {a.shape[-1]} and "
                         f"{b.shape[-1]}")
    a, b = (v if v.shape[-1] == 3 else pad(v, [(0, 0)] * (v.ndim - 1) + [(0, 1)])
            for v in (a, b))
    ax, ay, az = array.unstack(a, axis=-1)
    bx, by, bz = array.unstack(b, axis=-1)
    out = array.stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], -1)
    return moveaxis(out, -1, axisc)


def meshgrid(*xs, indexing: str = "xy"):
    """Coordinate grids from 1-D tensors (``xy``: the first two axes swapped, as NumPy)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    xs = [ravel(x) for x in xs]
    shape = [x.shape[0] for x in xs]
    if indexing == "xy" and len(xs) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, x in enumerate(xs):
        position = i
        if indexing == "xy" and len(xs) >= 2 and i < 2:
            position = 1 - i
        view = [1] * len(xs)
        view[position] = x.shape[0]
        grids.append(eops.broadcast_to(eops.reshape(x, tuple(view)), tuple(shape)))
    return grids


# ------------------------------------------------------------------ norms and clipping
def clip_by_norm(t, clip_norm, axes=None):
    """t clip_norm / max(||t||_2, clip_norm) over ``axes`` (all by default)."""
    t = _float(t)
    norm = eops.sqrt(sum(t * t, axes, True))
    limit = _keep(np.asarray(values(clip_norm), dtype=t.dtype))
    return t * limit / eops.maximum(norm, limit)


def clip_by_global_norm(t_list, clip_norm, use_norm=None):
    """Every t scaled by clip_norm / max(global_norm, clip_norm), global_norm being the norm
    of all of them together; returns (clipped list, global_norm)."""
    tensors = [None if t is None else _float(t) for t in t_list]
    if use_norm is None:
        squares = [sum(t * t) for t in tensors if t is not None]
        total = squares[0] if squares else _keep(np.float32(0))
        for s in squares[1:]:
            total = total + s
        global_norm = eops.sqrt(total)
    else:
        global_norm = _float(use_norm)
    limit = _keep(np.asarray(values(clip_norm), dtype=global_norm.dtype))
    scale = limit / eops.maximum(global_norm, limit)
    return [None if t is None else t * scale for t in tensors], global_norm
