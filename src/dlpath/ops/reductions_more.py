r"""More reductions and scans: cumulative products, quantiles, nan-ignoring reductions,
segment reductions, counts and top-k membership.

Differentiable where the math allows (quantiles interpolate between sorted values, so the
gradient goes back to the two values they lie between); counts and memberships are constants.
"""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.math import _axis, _float, _tuple_axis, mean, sqrt, sum
from dlpath.ops.math import max as _max
from dlpath.ops.math import min as _min
from dlpath.ops.primitives_more import Cumprod, ScatterAdd


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype (float64 stays float64)."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _moved_last(x: Tensor, axis):
    """``x`` with ``axis`` moved last (flattened when None), and that axis as an int."""
    if axis is None:
        return eops.reshape(x, (-1,)), None
    axis = int(axis)
    if not -builtins.max(x.ndim, 1) <= axis < builtins.max(x.ndim, 1):
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {x.ndim}")
    axis %= builtins.max(x.ndim, 1)
    order = [a for a in range(x.ndim) if a != axis] + [axis]
    return eops.transpose(x, tuple(order)), axis


def _moved_back(y: Tensor, axis, ndim: int) -> Tensor:
    if axis is None:
        return y
    order = [a for a in range(ndim) if a != axis] + [axis]
    return eops.transpose(y, tuple(int(i) for i in np.argsort(order)))


# ------------------------------------------------------------------ scans
def cumprod(x, axis=None, dtype=None):
    """y_i = prod_{j <= i} x_j along ``axis`` (of the flattened ``x`` when None)."""
    x = convert_to_tensor(x, dtype)
    if x.dtype.kind in "iub":
        data = x.data.reshape(-1) if axis is None else x.data
        return _keep(np.cumprod(data, axis=0 if axis is None else int(axis), dtype=x.dtype))
    moved, axis = _moved_last(x, axis)
    return _moved_back(Cumprod.apply(moved), axis, x.ndim)


def cumulative_logsumexp(x, axis: int = 0, exclusive: bool = False, reverse: bool = False):
    """y_i = ln sum_{j <= i} e^(x_j), shifted by the maximum so it cannot overflow."""
    x = _float(x)
    axis = int(axis) % builtins.max(x.ndim, 1)
    if reverse:
        x = array.flip(x, axis)
    top = _keep(np.max(x.data, axis=axis, keepdims=True))  # a constant shift
    from dlpath.ops.math import cumsum

    out = eops.log(cumsum(eops.exp(x - top), axis)) + top
    if exclusive:
        out = _shift(out, axis, -np.inf)
    return array.flip(out, axis) if reverse else out


def _shift(x: Tensor, axis: int, fill) -> Tensor:
    """``x`` moved one step along ``axis``, ``fill`` in front (an exclusive scan)."""
    length = x.shape[axis]
    head = eops.getitem(x, (slice(None),) * axis + (slice(0, length - 1),))
    pad = [(0, 0)] * x.ndim
    pad[axis] = (1, 0)
    return eops.pad(head, pad, fill)


def cumsum(x, axis: int = 0, exclusive: bool = False, reverse: bool = False):
    """tf.cumsum: y_i = sum_{j <= i} x_j, or over j < i (``exclusive``), or from the end."""
    from dlpath.ops.math import cumsum as _cumsum

    x = convert_to_tensor(x)
    axis = int(axis) % builtins.max(x.ndim, 1)
    if reverse:
        x = array.flip(x, axis)
    if x.dtype.kind in "iub":  # integers keep their dtype, as in TensorFlow
        out = _keep(np.cumsum(x.data, axis=axis, dtype=x.dtype if x.dtype.kind != "b"
                              else np.int32))
    else:
        out = _cumsum(x, axis)
    if exclusive:
        out = _shift(out, axis, 0)
    return array.flip(out, axis) if reverse else out


def tf_cumprod(x, axis: int = 0, exclusive: bool = False, reverse: bool = False):
    """tf.math.cumprod: y_i = prod_{j <= i} x_j, or over j < i (``exclusive``), or from the
    end (``reverse``)."""
    x = convert_to_tensor(x)
    axis = int(axis) % builtins.max(x.ndim, 1)
    if reverse:
        x = array.flip(x, axis)
    out = cumprod(x, axis)
    if exclusive:
        out = _shift(out, axis, 1)
    return array.flip(out, axis) if reverse else out


# ------------------------------------------------------------------ order statistics
_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def interpolation_points(position: np.ndarray, method: str) -> tuple:
    """(low, high, weight) for reading the sorted values at fractional ``position``s by
    ``method``: the result is v[low] + (v[high] - v[low]) weight."""
    low, high = np.floor(position).astype(np.int64), np.ceil(position).astype(np.int64)
    if method == "lower":
        high = low
    elif method == "higher":
        low = high
    elif method == "nearest":
        low = high = np.round(position).astype(np.int64)
    weight = position - low if method == "linear" else np.full(position.shape, 0.5)
    return low, high, weight


def quantile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The q-th quantiles along ``axis`` (q in [0, 1]), as np.quantile: the value at position
    q (n - 1) of the sorted values, interpolated by ``method``; q's axes come first."""
    if method not in _METHODS:
        raise ValueError(f"quantile: method must be one of {_METHODS}, got {method!r}")
    qs = np.asarray(values(q), dtype=np.float64)
    if qs.size and (qs.min() < 0 or qs.max() > 1):
        raise ValueError(f"quantile: q must lie in [0, 1], got {qs.tolist()}")
    x = _float(x)
    ndim, axis = x.ndim, _axis(axis)
    moved, axis = _moved_last(x, axis)
    n = moved.shape[-1]
    from dlpath.ops.math import sort

    ordered = sort(moved, -1)
    position = qs * (n - 1)
    low, high, weight = interpolation_points(position, method)
    low_v = eops.getitem(ordered, (Ellipsis, low.reshape(-1)))  # (..., q)
    high_v = eops.getitem(ordered, (Ellipsis, high.reshape(-1)))
    w = _keep(weight.reshape(-1).astype(x.dtype))
    out = low_v + (high_v - low_v) * w  # (..., q)
    lead = out.ndim - 1
    out = eops.transpose(out, (lead,) + tuple(range(lead)))  # (q, ...)
    kept = out.shape[1:]
    if keepdims:
        kept = (1,) * ndim if axis is None else kept[:axis] + (1,) + kept[axis:]
    return eops.reshape(out, qs.shape + tuple(kept))


def percentile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The q-th percentiles (q in [0, 100]): quantile(x, q / 100)."""
    return quantile(x, np.asarray(values(q), dtype=np.float64) / 100, axis, method, keepdims)


def median(x, axis=None, keepdims: bool = False):
    """The middle value (the mean of the two middle ones for an even count)."""
    return quantile(x, 0.5, axis, "linear", keepdims)


def ptp(x, axis=None, keepdims: bool = False):
    """max - min along ``axis`` (peak to peak)."""
    return _max(x, axis, keepdims) - _min(x, axis, keepdims)


def average(x, axis=None, weights=None):
    """sum(w x) / sum(w) along ``axis`` (a plain mean without weights; 1-D weights align with
    ``axis``)."""
    x = _float(x)
    if weights is None:
        return mean(x, axis)
    w = convert_to_tensor(weights)
    w = w if w.dtype == x.dtype else eops.cast(_float(w), x.dtype)
    if w.shape != x.shape:
        if axis is None or w.ndim != 1 or w.shape[0] != x.shape[int(axis)]:
            raise ValueError(f"average: weights of shape {w.shape} must match x {x.shape}, or "
                             f"be 1-D of the length of axis {axis}")
        shape = [1] * x.ndim
        shape[int(axis)] = w.shape[0]
        w = eops.reshape(w, tuple(shape))
    return sum(x * w, axis) / sum(eops.broadcast_to(w, x.shape), axis)


def reduce_euclidean_norm(x, axis=None, keepdims: bool = False):
    """sqrt(sum x^2) along ``axis``."""
    x = _float(x)
    return sqrt(sum(x * x, axis, keepdims))


# ------------------------------------------------------------------ nan-ignoring reductions
def _without_nan(x, fill):
    x = _float(x)
    mask = np.isnan(x.data)
    return eops.where(mask, _keep(np.asarray(fill, dtype=x.dtype)), x), mask


def nansum(x, axis=None, keepdims: bool = False):
    return sum(_without_nan(x, 0)[0], axis, keepdims)


def nanprod(x, axis=None, keepdims: bool = False):
    from dlpath.ops.math import prod

    return prod(_without_nan(x, 1)[0], axis, keepdims)


def nanmean(x, axis=None, keepdims: bool = False):
    """The mean of the values that are not nan (nan where all are)."""
    clean, mask = _without_nan(x, 0)
    count = np.sum(~mask, axis=_tuple_axis(axis), keepdims=keepdims).astype(clean.dtype)
    return sum(clean, axis, keepdims) / _keep(count)


def nanvar(x, axis=None, keepdims: bool = False):
    clean, mask = _without_nan(x, 0)
    centre = nanmean(x, axis, True)
    deviation = eops.where(mask, _keep(np.zeros((), clean.dtype)), clean - centre)
    count = np.sum(~mask, axis=_tuple_axis(axis), keepdims=keepdims).astype(clean.dtype)
    return sum(deviation * deviation, axis, keepdims) / _keep(count)


def nanstd(x, axis=None, keepdims: bool = False):
    return sqrt(nanvar(x, axis, keepdims))


def nanmax(x, axis=None, keepdims: bool = False):
    return _max(_without_nan(x, -np.inf)[0], axis, keepdims)


def nanmin(x, axis=None, keepdims: bool = False):
    return _min(_without_nan(x, np.inf)[0], axis, keepdims)


# ------------------------------------------------------------------ counts
def count_nonzero(x, axis=None, keepdims: bool = False, dtype="int64"):
    """The number of non-zero elements along ``axis``."""
    out = np.count_nonzero(values(x), axis=_tuple_axis(axis), keepdims=keepdims)
    return _keep(np.asarray(out, dtype=as_dtype(dtype, "count_nonzero")))


def bincount(x, weights=None, minlength: int = 0, maxlength=None, dtype=None):
    """How often each value 0, 1, ... occurs in the 1-D int ``x`` (or the total weight)."""
    idx = values(x)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"bincount: x must hold integers, got dtype {idx.dtype}")
    if idx.size and idx.min() < 0:
        raise ValueError("bincount: x must be non-negative")
    w = None if weights is None else values(weights).reshape(-1)
    out = np.bincount(idx.reshape(-1), w, int(minlength or 0))
    if maxlength is not None:
        out = out[: int(maxlength)]
    if dtype is None:
        dtype = np.int32 if w is None else w.dtype
    return _keep(out.astype(as_dtype(dtype, "bincount")))


def in_top_k(targets, predictions, k: int):
    """Whether ``predictions[i, targets[i]]`` is among the ``k`` largest of row i (ties with
    the k-th value count as in, as TensorFlow; an out-of-range target or a row with a
    non-finite score is not): the rule of `dlpath.metrics.accuracy.in_top_k`."""
    from dlpath.metrics.accuracy import in_top_k as rows_in_top_k

    scores, labels = values(predictions), values(targets).reshape(-1)
    if scores.ndim != 2 or scores.shape[0] != labels.size:
        raise ValueError(f"in_top_k: predictions must be (batch, classes) and targets "
                         f"(batch,), got {scores.shape} and {values(targets).shape}")
    return _keep(rows_in_top_k(labels, scores, int(k)))


# ------------------------------------------------------------------ segments
def _segments(ids, num_segments, length: int, owner: str):
    ids = values(ids).astype(np.int64).reshape(-1)
    if ids.size != length:
        raise ValueError(f"{owner}: segment_ids has {ids.size} entries but data has "
                         f"{length} rows")
    if ids.size and ids.min() < 0:
        raise ValueError(f"{owner}: segment_ids must be non-negative")
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    num_segments = int(values(num_segments))
    if ids.size and ids.max() >= num_segments:
        raise ValueError(f"{owner}: a segment id is >= num_segments ({num_segments})")
    return ids, num_segments


def segment_sum(data, segment_ids, num_segments=None, sorted: bool = False):  # noqa: A002
    """out[k] = sum of data[i] over the rows i with segment_ids[i] == k (0 when none)."""
    x = convert_to_tensor(data)
    ids, n = _segments(segment_ids, num_segments, x.shape[0], "segment_sum")
    return ScatterAdd.apply(x, index=(ids,), shape=(n,) + x.shape[1:])


def segment_mean(data, segment_ids, num_segments=None, sorted: bool = False):  # noqa: A002
    """The mean of each segment's rows (0 for an empty segment)."""
    x = _float(data)
    ids, n = _segments(segment_ids, num_segments, x.shape[0], "segment_mean")
    counts = np.maximum(np.bincount(ids, minlength=n), 1).astype(x.dtype)
    total = ScatterAdd.apply(x, index=(ids,), shape=(n,) + x.shape[1:])
    return total / _keep(counts.reshape((n,) + (1,) * (x.ndim - 1)))


def _segment_reduce(data, segment_ids, num_segments, reduce, owner: str):
    x = convert_to_tensor(data)
    ids, n = _segments(segment_ids, num_segments, x.shape[0], owner)
    rows = []
    for k in range(n):
        members = np.nonzero(ids == k)[0]
        if members.size:
            rows.append(reduce(eops.getitem(x, (members,)), 0))
        else:
            rows.append(_keep(np.zeros(x.shape[1:], dtype=x.dtype)))
    if not rows:
        return _keep(np.zeros((0,) + x.shape[1:], dtype=x.dtype))
    return array.stack(rows)


def segment_max(data, segment_ids, num_segments=None, sorted: bool = False):  # noqa: A002
    """The largest row of each segment (0 for an empty segment, as tf.math.segment_max)."""
    return _segment_reduce(data, segment_ids, num_segments, _max, "segment_max")


def segment_min(data, segment_ids, num_segments=None, sorted: bool = False):  # noqa: A002
    """The smallest row of each segment (0 for an empty segment)."""
    return _segment_reduce(data, segment_ids, num_segments, _min, "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted: bool = False):  # noqa: A002
    """The product of each segment's rows (0 for an empty segment)."""
    from dlpath.ops.math import prod

    return _segment_reduce(data, segment_ids, num_segments, prod, "segment_prod")


def unsorted_segment_sum(data, segment_ids, num_segments):
    """tf.math.unsorted_segment_sum: segment_sum with ``num_segments`` given."""
    return segment_sum(data, segment_ids, num_segments)
