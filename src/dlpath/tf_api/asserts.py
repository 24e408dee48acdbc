"""``tf.debugging`` assertions (eager, so they check at once): each returns None when the
condition holds and otherwise raises `InvalidArgumentError` (a ValueError), with
TensorFlow's wording: the message given, the condition, and the values (at most
``summarize`` of each, 3 by default)."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor


class InvalidArgumentError(ValueError):
    """A value check failed (TensorFlow's ``tf.errors.InvalidArgumentError``)."""


def _values(x) -> np.ndarray:
    """The values, Python numbers converted as TensorFlow does (a float is float32)."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, np.ndarray):
        return x
    from dlpath.ops import convert_to_tensor

    return convert_to_tensor(x).data


def _shown(array: np.ndarray, summarize) -> str:
    flat = array.reshape(-1)
    count = 3 if summarize is None else int(summarize)
    items = " ".join(str(v) for v in flat[:count])
    return f"[{items}{' ...' if flat.size > count else ''}]"


def _fail(message, condition: str, pairs: list, summarize) -> None:
    lines = [message] if message else []
    lines.append(f"Condition {condition} did not hold element-wise:")
    lines += [f"{label} (shape={array.shape}) = {_shown(array, summarize)}"
              for label, array in pairs]
    raise InvalidArgumentError("\n".join(lines))


def _compare(op, symbol: str, x, y, message, summarize) -> None:
    a, b = _values(x), _values(y)
    try:
        held = np.all(op(a, b))
    except ValueError:
        raise ValueError(f"Condition x {symbol} y: x of shape {a.shape} and y of shape "
                         f"{b.shape} are not broadcast-compatible") from None
    if not held:
        _fail(message, f"x {symbol} y", [("x", a), ("y", b)], summarize)


def assert_greater(x, y, message=None, summarize=None, name=None) -> None:
    _compare(np.greater, ">", x, y, message, summarize)


def assert_greater_equal(x, y, message=None, summarize=None, name=None) -> None:
    _compare(np.greater_equal, ">=", x, y, message, summarize)


def assert_less(x, y, message=None, summarize=None, name=None) -> None:
    _compare(np.less, "<", x, y, message, summarize)


def assert_less_equal(x, y, message=None, summarize=None, name=None) -> None:
    _compare(np.less_equal, "<=", x, y, message, summarize)


def _sign(op, symbol: str, x, message, summarize) -> None:
    a = _values(x)
    if not np.all(op(a, 0)):
        _fail(message, f"x {symbol} 0", [("x", a)], summarize)


def assert_non_negative(x, message=None, summarize=None, name=None) -> None:
    _sign(np.greater_equal, ">=", x, message, summarize)


def assert_positive(x, message=None, summarize=None, name=None) -> None:
    _sign(np.greater, ">", x, message, summarize)


def assert_non_positive(x, message=None, summarize=None, name=None) -> None:
    _sign(np.less_equal, "<=", x, message, summarize)


def assert_negative(x, message=None, summarize=None, name=None) -> None:
    _sign(np.less, "<", x, message, summarize)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None) -> None:
    """:math:`|x - y| \\le atol + rtol |y|` element-wise; the tolerances default to 10 eps
    of the dtype."""
    a, b = _values(x), _values(y)
    eps = np.finfo(a.dtype if a.dtype.kind == "f" else np.float32).eps
    rtol = 10 * eps if rtol is None else float(rtol)
    atol = 10 * eps if atol is None else float(atol)
    if not np.all(np.abs(a - b) <= atol + rtol * np.abs(b)):
        lines = [message] if message else []
        lines.append(f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}")
        lines += [f"x (shape={a.shape}) = {_shown(a, summarize)}",
                  f"y (shape={b.shape}) = {_shown(b, summarize)}"]
        raise InvalidArgumentError("\n".join(lines))


def assert_all_finite(x, message, name=None):
    """``x`` unchanged, or InvalidArgumentError if it has NaN or inf values."""
    a = _values(x)
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise InvalidArgumentError(f"{message} : Tensor had "
                                   f"{'NaN' if np.isnan(a).any() else 'Inf'} values")
    return x


def assert_rank(x, rank, message=None, name=None) -> None:
    """ValueError unless ``x`` has rank ``rank``."""
    shape = _values(x).shape
    if len(shape) != int(rank):
        prefix = f"{message} " if message else ""
        raise ValueError(f"{prefix}Tensor must have rank {int(rank)}. Received rank "
                         f"{len(shape)}, shape {shape}")


def assert_rank_at_least(x, rank, message=None, name=None) -> None:
    shape = _values(x).shape
    if len(shape) < int(rank):
        prefix = f"{message} " if message else ""
        raise ValueError(f"{prefix}Tensor must have rank at least {int(rank)}. Received "
                         f"rank {len(shape)}, shape {shape}")


def assert_type(tensor, tf_type, message=None, name=None) -> None:
    """TypeError unless ``tensor`` has dtype ``tf_type``."""
    dtype = _values(tensor).dtype
    expected = np.dtype(getattr(tf_type, "as_numpy_dtype", tf_type))
    if dtype != expected:
        prefix = f"{message} " if message else ""
        raise TypeError(f"{prefix}tensor must be of type {expected}; got {dtype}")


def _dims(spec) -> tuple:
    """(whether any leading axes are allowed, the named trailing axes)."""
    spec = list(spec)
    if spec and spec[0] in ("*", "...", Ellipsis):
        return True, spec[1:]
    return False, spec


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None) -> None:
    """Each (tensor, shape) pair's shape matches: an int is a size, a string a symbol
    that must have one size across all pairs, None or ``"."`` any size, and a leading
    ``"*"`` any number of leading axes. ValueError naming the pair and axis otherwise."""
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    sizes: dict = {}
    prefix = f"{message} " if message else ""
    for number, (tensor, spec) in enumerate(pairs):
        shape = _values(tensor).shape
        open_start, dims = _dims(spec)
        if len(shape) < len(dims) or (not open_start and len(shape) != len(dims)):
            raise ValueError(f"{prefix}Tensor {number} (shape {shape}) must have rank "
                             f"{'at least ' if open_start else ''}{len(dims)} as specified "
                             f"by {tuple(spec)}")
        for axis, (dim, size) in enumerate(zip(dims, shape[len(shape) - len(dims):])):
            if dim is None or dim == ".":
                continue
            if isinstance(dim, str):
                expected = sizes.setdefault(dim, size)
            else:
                expected = int(dim)
            if size != expected:
                raise ValueError(f"{prefix}Tensor {number} (shape {shape}) dimension {axis} "
                                 f"must have size {expected} (specified by {dim!r}), got "
                                 f"{size}")


__all__ = ["InvalidArgumentError", "assert_all_finite", "assert_greater",
           "assert_greater_equal", "assert_less", "assert_less_equal", "assert_near",
           "assert_negative", "assert_non_negative", "assert_non_positive", "assert_positive",
           "assert_rank", "assert_rank_at_least", "assert_shapes", "assert_type"]
