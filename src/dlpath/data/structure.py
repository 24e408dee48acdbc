"""Elements of a dataset: nested tuples and dicts of NumPy arrays, and their specs.

An element is a leaf (an array) or a tuple / dict of elements, as in ``tf.data``. A Python
list is one array, not a structure (``from_tensor_slices([1, 2, 3])`` has three scalar
elements), as TensorFlow reads it. Tensors and numbers become NumPy arrays.

Iterating a `Dataset` yields `DataArray` leaves: NumPy arrays that also answer
``.numpy()``, so loops written for the eager tensors of ``tf.data`` run unchanged.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor


class DataArray(np.ndarray):
    """A NumPy array with TensorFlow's ``.numpy()``: what iterating a dataset yields."""

    def numpy(self):
        """The plain NumPy array (a NumPy scalar for a 0-d array), as ``EagerTensor.numpy``."""
        array = np.asarray(self)
        return array[()] if array.ndim == 0 else array


class TensorSpec:
    """The shape and dtype of one component of an element (``tf.TensorSpec``).

    ``None`` in ``shape`` is a dimension of any size (e.g. the last, smaller batch).
    """

    def __init__(self, shape=None, dtype="float32", name=None):
        self.shape = None if shape is None else tuple(
            None if d is None else int(d) for d in shape)
        self.dtype = _dtype(dtype)
        self.name = name

    def is_compatible_with(self, array) -> bool:
        """True when ``array``'s shape fits ``shape`` (``None`` dims match any size)."""
        if self.shape is None:
            return True
        shape = np.shape(array)
        return len(shape) == len(self.shape) and all(
            want is None or want == got for want, got in zip(self.shape, shape))

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape
                and self.dtype == other.dtype)

    __hash__ = object.__hash__

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype}, name={self.name!r})"


def _dtype(dtype):
    """A NumPy dtype from a NumPy/Python dtype, its name, or anything with ``as_numpy_dtype``."""
    if dtype is None:
        return None
    numpy_dtype = getattr(dtype, "as_numpy_dtype", None)
    if numpy_dtype is not None:
        dtype = numpy_dtype
    if isinstance(dtype, str) and dtype == "string":
        return np.dtype(object)
    if dtype is str or dtype is bytes:
        return np.dtype(object)
    return np.dtype(dtype)


def normalize(value):
    """``value`` as an element: tuples and dicts kept, every leaf a NumPy array.

    Raises:
        TypeError: a leaf that is not array-like (e.g. None or an arbitrary object).
        ValueError: a list of arrays of different shapes (not one array).
    """
    if isinstance(value, tuple):
        return tuple(normalize(v) for v in value)
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return as_leaf(value)


def as_leaf(value) -> np.ndarray:
    """One component as a plain NumPy array (Tensors give their data)."""
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, np.ndarray):
        return value.view(np.ndarray) if type(value) is not np.ndarray else value
    if value is None:
        raise TypeError("a dataset element cannot hold None; expected arrays, numbers or "
                        "strings (in tuples or dicts)")
    try:
        array = np.asarray(value)
    except ValueError as error:
        raise ValueError(f"a dataset component must be one rectangular array, got a "
                         f"{type(value).__name__} that is not ({error})") from None
    if array.dtype == object and not _all_strings(array):
        raise TypeError(f"a dataset component must hold numbers or strings, got a "
                        f"{type(value).__name__} of objects")
    return array


def _all_strings(array) -> bool:
    return all(isinstance(v, (str, bytes)) for v in array.ravel().tolist())


def map_structure(fn, *elements):
    """Apply ``fn`` to the leaves of ``elements`` (all of the same structure)."""
    first = elements[0]
    if isinstance(first, tuple):
        return tuple(map_structure(fn, *parts) for parts in zip(*elements))
    if isinstance(first, dict):
        return {k: map_structure(fn, *(e[k] for e in elements)) for k in first}
    return fn(*elements)


def flatten(element) -> list:
    """The leaves of ``element``, depth first (dict values in key order of insertion)."""
    if isinstance(element, tuple):
        return [leaf for part in element for leaf in flatten(part)]
    if isinstance(element, dict):
        return [leaf for part in element.values() for leaf in flatten(part)]
    return [element]


def pack_like(structure, leaves: list):
    """Rebuild ``structure`` with ``leaves`` (as returned by `flatten`) in its places."""
    iterator = iter(leaves)

    def take(_leaf):
        return next(iterator)

    return map_structure(take, structure)


def same_structure(a, b) -> bool:
    """True when ``a`` and ``b`` nest tuples and dicts the same way."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(same_structure(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b)
                and all(same_structure(a[k], b[k]) for k in a))
    return True


def describe(element) -> str:
    """``(int64 (), float32 (28, 28))``: the structure, dtypes and shapes, for messages."""
    if isinstance(element, tuple):
        return "(" + ", ".join(describe(e) for e in element) + ")"
    if isinstance(element, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in element.items()) + "}"
    return f"{element.dtype} {element.shape}"


def to_user(element):
    """The element as user code sees it: `DataArray` leaves."""
    return map_structure(lambda leaf: leaf.view(DataArray), element)


def to_numpy(element):
    """The element with plain NumPy leaves (``as_numpy_iterator``)."""
    return map_structure(np.asarray, element)


def spec_of(element, batched_dims: int = 0):
    """The `TensorSpec` structure of ``element``; its first ``batched_dims`` dims as None."""
    def spec(leaf):
        shape = (None,) * batched_dims + tuple(leaf.shape[batched_dims:])
        dtype = leaf.dtype if leaf.dtype.kind not in "USO" else np.dtype(object)
        return TensorSpec(shape, dtype)

    return map_structure(spec, element)
