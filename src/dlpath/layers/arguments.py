"""Checks of the arguments that layers and ``fit``/``evaluate``/``predict`` take.

Each check returns the value in its normal form (a Python int, a float, a tuple)
or raises an error that names the owner (the layer class or the method), the
argument, the values it accepts and the value it got, e.g.
``Dense: units must be a positive int, got 2.5 (float)``. Nothing is coerced
silently: ``2.5``, ``True`` and ``"8"`` are not ints. NumPy integers are ints,
as in Keras.
"""

from __future__ import annotations

import numpy as np


class InvalidArgumentError(ValueError):
    """An argument has a value that its layer or method does not accept."""


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument has a type that its layer or method does not accept.

    Both a TypeError (the Python convention) and a ValueError (what Keras raises for
    these), so that either ``except`` catches it.
    """


def describe(value) -> str:
    """``2.5 (float)``: a short repr of ``value`` and its type, for messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for booleans and everything else."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _fail(owner: str, name: str, accepted: str, value, type_error: bool):
    error = ArgumentTypeError if type_error else InvalidArgumentError
    return error(f"{owner}: {name} must be {accepted}, got {describe(value)}")


def positive_int(value, name: str, owner: str) -> int:
    """``value`` as an int >= 1."""
    if not is_int(value):
        raise _fail(owner, name, "a positive int", value, type_error=True)
    if value < 1:
        raise _fail(owner, name, "a positive int", value, type_error=False)
    return int(value)


def non_negative_int(value, name: str, owner: str) -> int:
    """``value`` as an int >= 0."""
    if not is_int(value):
        raise _fail(owner, name, "a non-negative int", value, type_error=True)
    if value < 0:
        raise _fail(owner, name, "a non-negative int", value, type_error=False)
    return int(value)


def optional_positive_int(value, name: str, owner: str):
    """None, or ``value`` as an int >= 1."""
    if value is None:
        return None
    if not is_int(value) or value < 1:
        raise _fail(owner, name, "None or a positive int", value, type_error=not is_int(value))
    return int(value)


def int_tuple(value, rank: int, name: str, owner: str, minimum: int = 1) -> tuple:
    """An int (repeated ``rank`` times) or ``rank`` ints, each >= ``minimum``, as a tuple."""
    kind = "positive" if minimum == 1 else f">= {minimum}"
    accepted = f"an int or a tuple of {rank} ints, each {kind}"
    if is_int(value):
        value_tuple = (value,) * rank
    elif isinstance(value, (tuple, list)):
        value_tuple = tuple(value)
    else:
        raise _fail(owner, name, accepted, value, type_error=True)
    if len(value_tuple) != rank or not all(is_int(v) for v in value_tuple):
        raise _fail(owner, name, accepted, value, type_error=len(value_tuple) == rank)
    if min(value_tuple) < minimum:
        raise _fail(owner, name, accepted, value, type_error=False)
    return tuple(int(v) for v in value_tuple)


def axes(value, name: str, owner: str, allow_many: bool = True):
    """An axis (an int, negative counting from the end), or with ``allow_many`` a
    non-empty list/tuple of distinct ints, returned as given (int or list)."""
    accepted = "an int or a list of ints" if allow_many else "an int"
    if is_int(value):
        return int(value)
    if allow_many and isinstance(value, (list, tuple)) and value and all(
            is_int(v) for v in value):
        if len(set(int(v) for v in value)) != len(value):
            raise _fail(owner, name, accepted + " without repeats", value, type_error=False)
        return [int(v) for v in value]
    raise _fail(owner, name, accepted, value, type_error=True)


def axis_in_range(axis: int, rank: int, name: str, owner: str) -> int:
    """``axis`` of a tensor of ``rank`` axes as a non-negative int, or an error."""
    if not -rank <= axis < rank:
        raise InvalidArgumentError(f"{owner}: {name}={axis} is out of range for inputs of "
                                   f"rank {rank} (accepted: {-rank} to {rank - 1})")
    return axis % rank


def rate(value, name: str, owner: str) -> float:
    """``value`` as a float in [0, 1): a dropout rate (0 turns dropout off, as in Keras)."""
    accepted = "a float in [0, 1)"
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(
            value, (bool, np.bool_)):
        raise _fail(owner, name, accepted, value, type_error=True)
    if not 0 <= value < 1:
        raise _fail(owner, name, accepted, value, type_error=False)
    return float(value)


def choice(value, name: str, owner: str, allowed: tuple) -> str:
    """``value`` as one of the strings ``allowed`` (compared in lower case, as Keras does)."""
    accepted = "one of " + ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        raise _fail(owner, name, accepted, value, type_error=True)
    if value.lower() not in allowed:
        raise _fail(owner, name, accepted, value, type_error=False)
    return value.lower()


def data_format(value, owner: str) -> str:
    """``"channels_last"``, the only layout dlpath computes, for None or that value."""
    if value is None:
        return "channels_last"
    layout = choice(value, "data_format", owner, ("channels_last", "channels_first"))
    if layout == "channels_first":
        raise InvalidArgumentError(
            f"{owner}: data_format must be 'channels_last' or None, got 'channels_first': "
            f"dlpath works on NHWC images and (batch, steps, features) sequences only")
    return layout


def shape(value, name: str, owner: str) -> tuple:
    """A shape without the batch axis: a tuple (or list) of ints >= 0 and None."""
    accepted = "a tuple of non-negative ints or None"
    if not isinstance(value, (tuple, list)):
        raise _fail(owner, name, accepted, value, type_error=True)
    if not all(s is None or is_int(s) for s in value):
        raise _fail(owner, name, accepted, value, type_error=True)
    if any(s is not None and s < 0 for s in value):
        raise _fail(owner, name, accepted, value, type_error=False)
    return tuple(None if s is None else int(s) for s in value)
