"""A restricted unpickler for the pickles inside the dataset files.

The CIFAR-10 python batches and the object arrays inside ``imdb.npz`` are
pickles. A pickle can name any importable callable and make the loader call
it (``os.system``, ``subprocess.Popen``, ...), so loading one with plain
``pickle.load`` runs whatever code the file's author chose. These files only
need plain containers (dicts, lists, bytes, str, ints) and NumPy arrays, which
pickle through three globals; :class:`RestrictedUnpickler` resolves those three
and refuses every other global before anything is called.

It is built on the pure-Python unpickler (``pickle._Unpickler``), not the C one: the C
unpickler keeps its memo in an array and grows it to twice any index a ``LONG_BINPUT`` or
``PUT`` names, so a pickle of a dozen bytes naming index 2**31 makes it allocate and clear
32 GiB. The Python unpickler keeps its memo in a dict, so memory stays proportional to the
file. It is about five times slower on pickles of millions of small ints (1.5 s instead of
0.3 s for the training sequences of ``imdb.npz``).
"""

import io
import pickle

import numpy as np

from ._errors import CorruptDatasetError, reading

try:  # NumPy >= 2 moved the array internals to numpy._core.
    from numpy._core.multiarray import _reconstruct
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct

# (module, name) as written in the pickle -> the object it stands for. Pickles
# written by NumPy 1.x say ``numpy.core``, those written by NumPy 2.x say
# ``numpy._core``; both mean the same function.
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}


def _describe_shape(shape):
    """A short description of a value given as a shape (it may be anything)."""
    if isinstance(shape, tuple) and len(shape) <= 32:
        return str(tuple(s if isinstance(s, int) and s.bit_length() <= 64 else "?"
                         for s in shape))
    return f"of type {type(shape).__name__}"


class UnsafePickleError(pickle.UnpicklingError, CorruptDatasetError):
    """A pickle in a dataset file refers to a global that is not allowed."""


class RestrictedUnpickler(pickle._Unpickler):
    """The pure-Python unpickler, resolving only :data:`ALLOWED_GLOBALS`.

    Args:
        file: binary file object holding the pickle.
        source: name of the file (and member) being read, used in error messages.
        encoding: how to decode Python 2 ``str`` objects; ``"bytes"`` keeps them
            as bytes, which is what the CIFAR-10 batches need.
    """

    def __init__(self, file, source, encoding="ASCII"):
        super().__init__(file, encoding=encoding)
        self.source = source

    def find_class(self, module, name):
        """Return an allowed global, or raise :class:`UnsafePickleError`."""
        allowed = ALLOWED_GLOBALS.get((module, name))
        if allowed is None:
            names = ", ".join(f"{m}.{n}" for m, n in ALLOWED_GLOBALS)
            raise UnsafePickleError(
                f"{self.source}: refusing to load the global {module}.{name}; "
                f"a dataset pickle may only refer to {names}"
            )
        if allowed is _reconstruct:
            return self._reconstruct_empty
        return allowed

    def _reconstruct_empty(self, subtype, shape, dtype):
        """``_reconstruct`` as ``ndarray.__reduce__`` calls it: an empty ndarray.

        The array's size comes with its data (``__setstate__``), so a pickle that asks
        for a large array here could only be allocating memory it never fills.
        """
        if subtype is not np.ndarray or type(shape) is not tuple or shape != (0,):
            raise UnsafePickleError(
                f"{self.source}: refusing _reconstruct({getattr(subtype, '__name__', '?')}, "
                f"shape {_describe_shape(shape)}); NumPy pickles reconstruct an empty "
                f"ndarray of shape (0,)"
            )
        return _reconstruct(subtype, shape, dtype)

    def persistent_load(self, pid):
        """Refuse persistent ids: dataset pickles never use them."""
        raise UnsafePickleError(
            f"{self.source}: refusing a persistent id (of type {type(pid).__name__})"
        )


def safe_loads(data, source, encoding="ASCII", expected="a pickle"):
    """Unpickle ``data`` (bytes) with :class:`RestrictedUnpickler`.

    Raises:
        UnsafePickleError: the pickle names a global that is not allowed.
        CorruptDatasetError: the pickle is truncated or malformed; the message says
            ``expected``, what the pickle should hold.
    """
    return safe_load(io.BytesIO(data), source, encoding=encoding, expected=expected)


def safe_load(file, source, encoding="ASCII", expected="a pickle"):
    """Unpickle one object from the binary file object ``file``; see :func:`safe_loads`."""
    with reading(source, expected):
        return RestrictedUnpickler(file, source, encoding=encoding).load()
