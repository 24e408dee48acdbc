"""More of Keras 2's ``keras.backend``: scans, axis shuffles, paddings, variable updates,
``switch`` and the Python-loop combinators (foldl, foldr, map_fn) over `dlpath.ops`."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, Variable
from dlpath.ops import array, math
from dlpath.ops._convert import convert_to_tensor, values
from dlpath.ops.array_more import pad
from dlpath.ops.config import floatx
from dlpath.ops.indexing_more import reverse as _reverse
from dlpath.ops.reductions_more import cumprod as _cumprod
from dlpath.ops.reductions_more import in_top_k as _in_top_k


def cumsum(x, axis: int = 0):
    """The cumulative sum along ``axis``."""
    return math.cumsum(x, axis)


def cumprod(x, axis: int = 0):
    """The cumulative product along ``axis``."""
    return _cumprod(x, axis)


def repeat(x, n: int):
    """(batch, dim) -> (batch, n, dim): each row repeated ``n`` times."""
    x = convert_to_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"repeat: x must be 2-D (batch, dim), got shape {x.shape}")
    return array.repeat(array.expand_dims(x, 1), int(n), 1)


def reverse(x, axes):
    """The order of elements reversed along ``axes`` (an int or a list)."""
    return _reverse(x, axes)


def permute_dimensions(x, pattern):
    """The axes of ``x`` in the order ``pattern``."""
    return array.transpose(x, pattern)


def eye(size, dtype=None, name=None) -> Variable:
    """An identity-matrix Variable (``size`` an int or (rows, cols))."""
    rows, cols = (size, size) if np.ndim(size) == 0 else tuple(size)
    matrix = np.eye(int(rows), int(cols), dtype=dtype or floatx())
    return Variable(matrix, name=name or "eye")


def cast_to_floatx(x) -> np.ndarray:
    """``x`` as a NumPy array of the float type (floatx)."""
    return np.asarray(values(x), dtype=floatx())


def is_float_dtype(dtype) -> bool:
    return np.dtype(dtype).kind == "f"


def is_int_dtype(dtype) -> bool:
    return np.dtype(dtype).kind in "iu"


def in_top_k(predictions, targets, k: int):
    """Keras 2's argument order: whether each target is among the ``k`` top predictions."""
    return _in_top_k(targets, predictions, k)


# ------------------------------------------------------------------ paddings
def temporal_padding(x, padding=(1, 1)):
    """Zeros before and after the time axis of (batch, time, features)."""
    x = _rank(x, 3, "temporal_padding")
    return pad(x, [(0, 0), tuple(padding), (0, 0)])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zeros around the two spatial axes of a 4-D tensor (channels last by default)."""
    x = _rank(x, 4, "spatial_2d_padding")
    return pad(x, _spatial(padding, 2, data_format, "spatial_2d_padding"))


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zeros around the three spatial axes of a 5-D tensor (channels last by default)."""
    x = _rank(x, 5, "spatial_3d_padding")
    return pad(x, _spatial(padding, 3, data_format, "spatial_3d_padding"))


def _rank(x, rank: int, owner: str) -> Tensor:
    x = convert_to_tensor(x)
    if x.ndim != rank:
        raise ValueError(f"{owner}: x must have {rank} axes, got shape {x.shape}")
    return x


def _spatial(padding, n: int, data_format, owner: str) -> list:
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) != n or any(len(p) != 2 for p in pairs):
        raise ValueError(f"{owner}: padding must be {n} (before, after) pairs, got {padding}")
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f"{owner}: data_format must be 'channels_last' or 'channels_first', "
                         f"got {data_format!r}")
    if data_format == "channels_first":
        return [(0, 0), (0, 0)] + pairs
    return [(0, 0)] + pairs + [(0, 0)]


# ------------------------------------------------------------------ variable updates
def _variable(x, owner: str) -> Variable:
    if not isinstance(x, Variable):
        raise TypeError(f"{owner}: x must be a Variable, got {type(x).__name__}")
    return x


def update(x, new_x):
    """x <- new_x."""
    return _variable(x, "update").assign(new_x)


def update_add(x, increment):
    """x <- x + increment."""
    return _variable(x, "update_add").assign_add(increment)


def update_sub(x, decrement):
    """x <- x - decrement."""
    return _variable(x, "update_sub").assign_sub(decrement)


# ------------------------------------------------------------------ control flow
def switch(condition, then_expression, else_expression):
    """then_expression where ``condition`` else else_expression; a lower-rank condition
    applies to whole trailing slices; callables are called first."""
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    cond = values(condition).astype(bool)
    if cond.ndim == 0:
        return convert_to_tensor(then_value if cond else else_value)
    then_value = convert_to_tensor(then_value)
    cond = cond.reshape(cond.shape + (1,) * (then_value.ndim - cond.ndim))
    return array.where(cond, then_value, else_value)


def map_fn(fn, elems, name=None, dtype=None):
    """stack([fn(e) for e in elems along axis 0])."""
    return array.stack([fn(e) for e in array.unstack(convert_to_tensor(elems))])


def foldl(fn, elems, initializer=None, name=None):
    """acc = fn(acc, e) over the rows of ``elems`` from the first (acc starts at
    ``initializer``, or the first row)."""
    rows = array.unstack(convert_to_tensor(elems))
    return _fold(fn, rows, initializer, "foldl")


def foldr(fn, elems, initializer=None, name=None):
    """acc = fn(acc, e) over the rows of ``elems`` from the last."""
    rows = array.unstack(convert_to_tensor(elems))[::-1]
    return _fold(fn, rows, initializer, "foldr")


def _fold(fn, rows, initializer, owner: str):
    if initializer is None:
        if not rows:
            raise ValueError(f"{owner}: elems is empty and there is no initializer")
        acc, rows = rows[0], rows[1:]
    else:
        acc = initializer
    for row in rows:
        acc = fn(acc, row)
    return acc


# ------------------------------------------------------------------ values, names and dtypes
_uids: dict = {}


def eval(x) -> np.ndarray:  # noqa: A001 - Keras' name
    """The value of a tensor or variable, as a NumPy array."""
    return np.array(values(x), copy=True)


def get_uid(prefix: str = "") -> int:
    """1, 2, 3, ... for each call with the same ``prefix``."""
    _uids[prefix] = _uids.get(prefix, 0) + 1
    return _uids[prefix]


def standardize_dtype(dtype) -> str:
    """A dtype's canonical name, e.g. 'float32' (None gives floatx)."""
    if dtype is None:
        return floatx()
    name = getattr(dtype, "name", None)
    try:
        return np.dtype(name if isinstance(name, str) else dtype).name
    except TypeError:
        raise TypeError(f"standardize_dtype: {dtype!r} is not a dtype") from None


def result_type(*dtypes) -> str:
    """The dtype Keras promotes ``dtypes`` to: the widest float if there is a float (an
    integer never widens it: int32 and float16 give float16), else NumPy's integer
    promotion; floatx when none."""
    if not dtypes:
        return floatx()
    resolved = [np.dtype(standardize_dtype(d)) for d in dtypes]
    floats = [d for d in resolved if d.kind == "f"]
    if floats:
        return max(floats, key=lambda d: d.itemsize).name
    return np.result_type(*resolved).name


def is_sparse(x) -> bool:
    """False: dlpath tensors are dense."""
    return False


def to_dense(x):
    """``x`` itself: dlpath tensors are dense."""
    return convert_to_tensor(x)


def moving_average_update(x, value, momentum):
    """x <- x momentum + value (1 - momentum)."""
    variable = _variable(x, "moving_average_update")
    momentum = float(values(momentum))
    new = variable.data * momentum + values(value) * (1 - momentum)
    return variable.assign(new.astype(variable.dtype))


class name_scope:  # noqa: N801 - Keras' name
    """``with K.name_scope('block'):`` — names are not scoped in dlpath; a no-op context."""

    def __init__(self, name, **_options):
        self.name = name

    def __enter__(self):
        return self.name

    def __exit__(self, *exc) -> bool:
        return False
