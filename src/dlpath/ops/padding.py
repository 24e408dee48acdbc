"""Padding: ``pad`` with every mode of np.pad that Keras 3 names, and ``tf.pad``.

Every mode is differentiable in ``x``: constant padding is the engine's Pad primitive,
edge/reflect/symmetric/wrap gather values of ``x``, and the statistic and ramp modes
concatenate blocks computed from ``x``.
"""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor, values


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _take(x: Tensor, index: np.ndarray, axis: int) -> Tensor:
    return eops.getitem(x, (slice(None),) * axis + (index.astype(np.int64),))


# ------------------------------------------------------------------ padding
_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")
_STAT_MODES = ("maximum", "minimum", "mean", "median")
_PAD_MODES = ("constant", "empty", "linear_ramp") + _INDEX_MODES + _STAT_MODES


def pad(x, pad_width, mode: str = "constant", constant_values=None):
    """np.pad: ``pad_width`` is an int, one (before, after) pair, or one pair per axis.

    ``mode``: constant (``constant_values``, 0 by default; ``empty`` pads zeros too), edge,
    reflect, symmetric, wrap (values gathered from ``x``), maximum, minimum, mean, median
    (the statistic of the whole axis), linear_ramp (from 0 to the edge value). Every mode
    is differentiable in ``x``.
    """
    x = convert_to_tensor(x)
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be one of {_PAD_MODES}, got {mode!r}")
    widths = np.asarray(values(pad_width), dtype=np.int64)
    try:
        widths = np.broadcast_to(widths, (x.ndim, 2))
    except ValueError:
        raise ValueError(f"pad: pad_width must give (before, after) for each of the {x.ndim} "
                         f"axes of shape {x.shape}, got {widths.tolist()}") from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width must be non-negative, got {widths.tolist()}")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"pad: constant_values only go with mode='constant', got {mode!r}")
    if mode in ("constant", "empty"):
        fill = 0 if constant_values is None else values(constant_values).item()
        return eops.pad(x, [tuple(w) for w in widths.tolist()], fill)
    for axis, (before, after) in enumerate(widths.tolist()):
        if not before + after:
            continue
        if x.shape[axis] == 0:
            raise ValueError(f"pad: cannot {mode}-pad the empty axis {axis}")
        if mode in _INDEX_MODES:
            x = _take(x, np.pad(np.arange(x.shape[axis]), (before, after), mode=mode), axis)
        else:
            x = _pad_computed(x, axis, before, after, mode)
    return x


def _pad_computed(x: Tensor, axis: int, before: int, after: int, mode: str) -> Tensor:
    """Blocks computed from ``x`` along ``axis``: a statistic of the axis, or a ramp."""
    from dlpath.ops import math, reductions_more

    def block(edge: Tensor, width: int, ramp_from_outside: bool) -> Tensor:
        shape = list(x.shape)
        shape[axis] = width
        if mode != "linear_ramp":
            return eops.broadcast_to(edge, tuple(shape))
        steps = np.arange(width) / width  # 0 at the outside, toward 1 at the edge
        if not ramp_from_outside:
            steps = steps[::-1]
        view = [1] * x.ndim
        view[axis] = width
        ramp = _keep(steps.reshape(view).astype(x.dtype))
        return eops.broadcast_to(edge, tuple(shape)) * ramp

    stats = {"maximum": math.max, "minimum": math.min, "mean": math.mean,
             "median": reductions_more.median}
    n = x.shape[axis]
    head = (slice(None),) * axis
    if mode == "linear_ramp":
        first = eops.getitem(x, head + (slice(0, 1),))
        last = eops.getitem(x, head + (slice(n - 1, n),))
    else:
        first = last = stats[mode](x, axis, keepdims=True)
    parts = ([block(first, before, True)] if before else []) + [x] + (
        [block(last, after, False)] if after else [])
    return _join(parts, axis)


def _join(parts, axis: int) -> Tensor:
    return parts[0] if len(parts) == 1 else eops.concatenate(parts, axis=axis)


def tf_pad(tensor, paddings, mode: str = "CONSTANT", constant_values=0, name=None):
    """tf.pad: ``paddings`` is (rank, 2); ``mode`` is CONSTANT, REFLECT or SYMMETRIC."""
    modes = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}
    if str(mode).upper() not in modes:
        raise ValueError(f"pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', got {mode!r}")
    x = convert_to_tensor(tensor)
    widths = np.asarray(values(paddings))
    if widths.shape != (x.ndim, 2):
        raise ValueError(f"pad: paddings must have shape ({x.ndim}, 2) for a tensor of shape "
                         f"{x.shape}, got {widths.shape}")
    mode = modes[str(mode).upper()]
    limit = {"reflect": 1, "symmetric": 0}.get(mode)
    for axis, (before, after) in enumerate(widths.tolist()):
        if limit is not None and builtins.max(before, after) > x.shape[axis] - limit:
            raise ValueError(f"pad: {mode.upper()} padding of {builtins.max(before, after)} "
                             f"is too large for axis {axis} of size {x.shape[axis]}")
    return pad(x, widths, mode, constant_values if mode == "constant" else None)
