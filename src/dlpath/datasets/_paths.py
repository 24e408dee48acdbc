"""Where dataset files are looked for, and the error when none is found.

Search order for a dataset whose folder is ``<name>`` (e.g. ``mnist``):

1. ``$DLPATH_DATA/<name>/``, then ``$DLPATH_DATA/`` itself, when the
   ``DLPATH_DATA`` environment variable names a folder;
2. the cache, ``$DLPATH_CACHE/<name>/`` (default ``~/.dlpath/datasets/<name>/``),
   which is also where downloads go.

Setting ``DLPATH_OFFLINE=1`` turns downloads off: a missing file then raises
:class:`DatasetNotFoundError` at once.
"""

import os
from pathlib import Path

from ._errors import DatasetNotFoundError

DATA_ENV = "DLPATH_DATA"
CACHE_ENV = "DLPATH_CACHE"
OFFLINE_ENV = "DLPATH_OFFLINE"
DEFAULT_CACHE = Path("~") / ".dlpath" / "datasets"


def data_root():
    """The folder named by ``DLPATH_DATA``, or None when it is unset or empty."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value).expanduser() if value else None


def cache_root():
    """The download cache: ``DLPATH_CACHE`` if set, else ``~/.dlpath/datasets``."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else DEFAULT_CACHE.expanduser()


def offline():
    """True when ``DLPATH_OFFLINE`` is set to something other than ``0``/``false``/empty."""
    value = os.environ.get(OFFLINE_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no")


def search_dirs(subdir, include_root=True):
    """Folders to look in for dataset ``subdir``, in order (see the module docstring).

    ``include_root=False`` leaves out the ``DLPATH_DATA`` root itself, for
    datasets whose file names would be ambiguous there (Fashion-MNIST uses the
    same four file names as MNIST).
    """
    dirs = []
    root = data_root()
    if root is not None:
        dirs.append(root / subdir)
        if include_root:
            dirs.append(root)
    dirs.append(cache_root() / subdir)
    return dirs


def find_file(dirs, name):
    """The first ``dir/name`` that is a file, or None."""
    for folder in dirs:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def bare_name(path):
    """True when ``path`` is a plain file name (no folder part), like Keras' ``path``."""
    return Path(path).name == str(path)


def not_found_error(dataset, subdir, wanted, reason):
    """Build the :class:`DatasetNotFoundError` for a dataset with no usable file.

    Args:
        dataset: the dataset's display name, e.g. ``"MNIST"``.
        subdir: the dataset's folder name under ``DLPATH_DATA`` and the cache.
        wanted: what to put there, in words (e.g. ``"mnist.npz, or the four ..."``).
        reason: why no download happened, e.g. the network error.
    """
    root = data_root()
    cache = cache_root() / subdir
    if root is None:
        where = (
            f"Put {wanted} in a folder <dir>/{subdir}/ and set the environment variable "
            f"{DATA_ENV}=<dir>, or put them in the cache folder {cache}/."
        )
    else:
        where = (
            f"Put {wanted} in {root / subdir}/ ({DATA_ENV}={root}) "
            f"or in the cache folder {cache}/."
        )
    return DatasetNotFoundError(f"No {dataset} data file found. {where} {reason}")


def explicit_path(path, dataset, wanted):
    """The caller's ``path`` when it names a location, or None for a bare file name.

    A bare name (``"mnist.npz"``) is, as in Keras, the name to look for in the
    dataset folders and to download to. Anything with a folder part must exist.

    Raises:
        DatasetNotFoundError: ``path`` has a folder part but does not exist.
    """
    if path is None or bare_name(path):
        return None
    located = Path(path).expanduser()
    if not located.exists():
        raise DatasetNotFoundError(
            f"{located}: no such file or folder; expected {wanted} for {dataset}"
        )
    return located
