"""What a lab's checks are written with: named checks, cases, and comparisons that say
what is wrong.

A checks module (``labs/checks/<lab_id>.py``) lists the functions the learner writes and
its checks, in order; a check gets the learner's module and a random generator, and fails
by raising :class:`CheckFailed` with a message key (a mistake of the lab's definition file,
or one of ``messages.yaml``)::

    FUNCTIONS = ["dense_forward"]

    @check("values")
    def values(learner, rng):
        W, a, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), ...
        case = Case(learner.dense_forward, f"W {W.shape}, a {a.shape}, float64")
        z = case.call(W, a, b)
        case.expect_close("z", z, W @ a + b, mistakes={"forgot_bias": W @ a})

The comparisons find the mistake when they can: a transposed shape, a wrong sign, a constant
factor, the first wrong element with expected and actual values, a non-finite value, a
changed input, or a value that equals what a known mistake produces.
"""

from __future__ import annotations

import copy
import inspect
import sys
import traceback

import numpy as np

CHECKS_ATTRIBUTE = "_dlpath_checks"


class CheckFailed(Exception):
    """A check failed; ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def fail(key: str, **params):
    raise CheckFailed(key, **params)


def check(name: str):
    """Decorator: register a function ``(learner, rng) -> None`` as the check ``name``."""

    def register(function):
        registry = sys.modules[function.__module__].__dict__.setdefault(CHECKS_ATTRIBUTE, [])
        if any(existing_name == name for existing_name, _ in registry):
            raise ValueError(f"{function.__module__}: two checks named {name!r}")
        registry.append((name, function))
        return function

    return register


def checks_of(module) -> list:
    """The ``(name, function)`` checks of a checks module, in the order they were written."""
    return list(getattr(module, CHECKS_ATTRIBUTE, []))


# ---------------------------------------------------------------------- calling
LEARNER_FILE = "<the learner's file>"  # set by the worker to the learner file's path


def learner_line(error: BaseException) -> int | str:
    """The last line of the learner's file in the traceback of ``error``, or '?'."""
    line = "?"
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == LEARNER_FILE:
            line = frame.lineno
    return line


class Case:
    """One call of a learner's function on one input, and what its result must be.

    ``description`` names the input in messages: a string (shapes and values read the same
    in both languages) or ``{"en": ..., "zh": ...}``.
    """

    def __init__(self, function, description):
        self.function = function
        self.name = getattr(function, "__name__", "the function")
        self.description = description

    def call(self, *args, **kwargs):
        """Call the learner's function; a raise or a change of an input is a failure."""
        before = copy.deepcopy((args, kwargs))
        try:
            result = self.function(*args, **kwargs)
        except NotImplementedError:
            fail("not_implemented", name=self.name)
        except CheckFailed:
            raise
        except Exception as error:  # the learner's bug, reported with its line
            fail("raised", name=self.name, error=f"{type(error).__name__}: {error}",
                 line=learner_line(error), case=self.description)
        self._expect_unchanged(before, (args, kwargs))
        return result

    def _argument_names(self, args) -> list[str]:
        try:
            parameters = list(inspect.signature(self.function).parameters)
        except (TypeError, ValueError):
            parameters = []
        return [parameters[i] if i < len(parameters) else f"#{i + 1}"
                for i in range(len(args))]

    def _expect_unchanged(self, before, after) -> None:
        (args0, kwargs0), (args1, kwargs1) = before, after
        names = self._argument_names(args0) + list(kwargs0)
        values0 = list(args0) + list(kwargs0.values())
        values1 = list(args1) + list(kwargs1.values())
        for name, old, new in zip(names, values0, values1):
            if not _same(old, new):
                fail("mutated_input", name=self.name, argument=name, case=self.description)

    # ------------------------------------------------------------------ expectations
    def fail(self, key: str, **params):
        params.setdefault("case", self.description)
        params.setdefault("name", self.name)
        fail(key, **params)

    def expect_array(self, name: str, actual) -> np.ndarray:
        if not isinstance(actual, np.ndarray):
            if isinstance(actual, (int, float, np.generic)):
                return np.asarray(actual)
            self.fail("not_array", name=name, type=type(actual).__name__)
        return actual

    def expect_shape(self, name: str, actual, expected_shape) -> np.ndarray:
        actual = self.expect_array(name, actual)
        expected_shape = tuple(expected_shape)
        if actual.shape != expected_shape:
            key = ("shape_transposed" if len(expected_shape) >= 2
                   and actual.shape == expected_shape[::-1] else "shape")
            self.fail(key, name=name, actual=actual.shape, expected=expected_shape)
        return actual

    def expect_dtype(self, name: str, actual, dtype) -> None:
        actual = self.expect_array(name, actual)
        if actual.dtype != np.dtype(dtype):
            self.fail("dtype", name=name, actual=str(actual.dtype),
                      expected=str(np.dtype(dtype)))

    def expect_close(self, name: str, actual, expected, rtol: float = 1e-5,
                     atol: float = 1e-8, mistakes: dict | None = None) -> np.ndarray:
        """``actual`` equals ``expected`` within tolerances; else the sharpest diagnosis:
        a known mistake (``mistakes``: key -> what that mistake gives), a shape, a
        non-finite value, a sign, a constant factor, the first wrong element."""
        expected = np.asarray(expected, dtype=np.float64)
        actual = self.expect_array(name, actual)
        for key, wrong in (mistakes or {}).items():
            wrong = np.asarray(wrong, dtype=np.float64)
            if _allclose(actual, wrong, rtol, atol) and not _allclose(wrong, expected, rtol,
                                                                       atol):
                self.fail(key, name=name)
        actual = self.expect_shape(name, actual, expected.shape)
        values = actual.astype(np.float64)
        bad = ~np.isfinite(values) & np.isfinite(expected)
        if bad.any():
            index = _index(bad)
            what = "nan" if np.isnan(values[np.unravel_index(bad.argmax(), bad.shape)]) \
                else "inf"
            self.fail("not_finite", name=name, what=what, index=index)
        if _allclose(values, expected, rtol, atol):
            return actual
        scale = np.abs(expected).max()
        if scale > atol and np.abs(values).max() > atol:
            ratio = _constant_ratio(values, expected, rtol, atol)
            if ratio is not None and abs(ratio + 1) < 1e-6:
                self.fail("wrong_sign", name=name)
            if ratio is not None:
                self.fail("constant_factor", name=name, factor=ratio)
        wrong = ~np.isclose(values, expected, rtol=rtol, atol=atol)
        index = _index(wrong)
        at = np.unravel_index(wrong.argmax(), wrong.shape) if wrong.ndim else ()
        self.fail("wrong_value", name=name, index=index, actual=float(values[at]),
                  expected=float(expected[at]), count=int(wrong.sum()), total=wrong.size)

    def expect_equal(self, name: str, actual, expected) -> None:
        """Exact equality of scalars, strings, tuples or integer arrays."""
        if isinstance(expected, np.ndarray):
            actual = self.expect_shape(name, actual, expected.shape)
            if not np.array_equal(actual, expected):
                wrong = actual != expected
                at = np.unravel_index(wrong.argmax(), wrong.shape)
                self.fail("wrong_value", name=name, index=_index(wrong),
                          actual=float(actual[at]), expected=float(expected[at]),
                          count=int(wrong.sum()), total=wrong.size)
        elif actual != expected:
            self.fail("wrong_scalar", name=name, actual=actual, expected=expected)


def _allclose(a, b, rtol, atol) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _constant_ratio(actual, expected, rtol, atol):
    """The factor c with actual = c * expected everywhere, if there is one (c != 1)."""
    mask = np.abs(expected) > max(atol, 1e-6 * np.abs(expected).max())
    if not mask.any():
        return None
    ratios = actual[mask] / expected[mask]
    c = float(np.median(ratios))
    if not np.isfinite(c) or abs(c) < 1e-12 or abs(c - 1) < 1e-6:
        return None
    return c if np.allclose(actual, c * expected, rtol=max(rtol, 1e-4), atol=atol) else None


def _index(mask) -> str:
    if mask.ndim == 0:
        return ""
    return str(list(int(i) for i in np.unravel_index(mask.argmax(), mask.shape)))


def _same(a, b) -> bool:
    """Whether an input is as it was (random generators are not compared: drawing from a
    generator that a lab passes in is its purpose)."""
    if isinstance(a, (np.random.Generator, np.random.BitGenerator, np.random.RandomState)):
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # nan is unchanged
    try:
        return bool(a == b)
    except Exception:  # objects without a usable ==: not compared
        return True


# ---------------------------------------------------------------------- references
def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f`` at ``x`` (float64): (f(x+h) - f(x-h)) / 2h."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad
