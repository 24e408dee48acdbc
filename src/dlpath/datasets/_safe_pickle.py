"""A restricted unpickler for the pickles inside the dataset files.

The CIFAR-10 python batches and the object arrays inside ``imdb.npz`` are
pickles. A pickle can name any importable callable and make the loader call
it (``os.system``, ``subprocess.Popen``, ...), so loading one with plain
``pickle.load`` runs whatever code the file's author chose. These files only
need plain containers (dicts, lists, bytes, str, ints) and NumPy arrays, which
pickle through three globals; :class:`RestrictedUnpickler` resolves those three
and refuses every other global before anything is called.
"""

import io
import pickle

import numpy as np

from ._errors import CorruptDatasetError

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


class UnsafePickleError(pickle.UnpicklingError, CorruptDatasetError):
    """A pickle in a dataset file refers to a global that is not allowed."""


class RestrictedUnpickler(pickle.Unpickler):
    """``pickle.Unpickler`` that resolves only :data:`ALLOWED_GLOBALS`.

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
        return allowed

    def persistent_load(self, pid):
        """Refuse persistent ids: dataset pickles never use them."""
        raise UnsafePickleError(f"{self.source}: refusing a persistent id {pid!r}")


def safe_loads(data, source, encoding="ASCII"):
    """Unpickle ``data`` (bytes) with :class:`RestrictedUnpickler`.

    Raises:
        UnsafePickleError: the pickle names a global that is not allowed.
        CorruptDatasetError: the pickle is truncated or malformed.
    """
    return safe_load(io.BytesIO(data), source, encoding=encoding)


def safe_load(file, source, encoding="ASCII"):
    """Unpickle one object from the binary file object ``file``; see :func:`safe_loads`."""
    try:
        return RestrictedUnpickler(file, source, encoding=encoding).load()
    except UnsafePickleError:
        raise
    except Exception as error:  # truncated data raises EOFError, bad opcodes others
        raise CorruptDatasetError(
            f"{source}: not a readable pickle ({type(error).__name__}: {error})"
        ) from error
