"""Where the dataset tests find the real data set files: ``$DLPATH_DATA`` (default
``<repo>/../shared/data``), then the user's download cache, then (online) a download into
that cache with the published checksum checked."""

import http.client
import os
from pathlib import Path

import pytest

from dlpath.datasets import _download, _paths, cifar10, imdb, mnist

REPO_ROOT = Path(__file__).resolve().parents[2]
# Read at import time: the autouse fixture of conftest.py removes DLPATH_DATA per test.
SHARED_DATA = Path(os.environ.get("DLPATH_DATA") or REPO_ROOT.parent / "shared" / "data")
REQUIRED_FILES = (
    "mnist/train-images-idx3-ubyte.gz",
    "mnist/train-labels-idx1-ubyte.gz",
    "mnist/t10k-images-idx3-ubyte.gz",
    "mnist/t10k-labels-idx1-ubyte.gz",
    "cifar10/cifar-10-python.tar.gz",
    "imdb/imdb.npz",
    "imdb/imdb_word_index.json",
    "imdb/aclImdb_v1.tar.gz",
)

# The user's own cache and download setting, read before the fixture above hides them.
USER_CACHE = _paths.cache_root()
USER_OFFLINE = _paths.offline()


def _remote(name):
    """The published file behind ``<subdir>/<file>``."""
    remotes = {**mnist.IDX_REMOTES, cifar10.REMOTE.name: cifar10.REMOTE,
               imdb.REMOTE.name: imdb.REMOTE, imdb.WORD_INDEX_REMOTE.name:
               imdb.WORD_INDEX_REMOTE, imdb.TEXTS_REMOTE.name: imdb.TEXTS_REMOTE}
    return remotes[Path(name).name]


def locate_real_file(name, shared=SHARED_DATA, cache=USER_CACHE, offline=USER_OFFLINE,
                     fetch=_download.download):
    """``<subdir>/<file>`` from the shared folder, the cache, or (online) a download into
    the cache; None when it is nowhere and cannot be downloaded."""
    for folder in (shared, cache):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    if offline:
        return None
    remote = _remote(name)
    try:
        return Path(fetch(remote.url, Path(cache) / name, remote.algorithm, remote.digest))
    except (OSError, http.client.HTTPException):
        return None


def real_data_folder(folder, **where):
    """A folder laid out like shared/data holding every REQUIRED_FILES entry: the shared
    folder itself when complete, else links to the files found in ``folder``."""
    found = {name: locate_real_file(name, **where) for name in REQUIRED_FILES}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        cache = where.get("cache", USER_CACHE)
        pytest.fail(
            f"Real data set files are missing: {missing}. Put them (official formats) under "
            f"DLPATH_DATA (now {where.get('shared', SHARED_DATA)}) or the download cache "
            f"{cache}, with the same sub-folders (mnist/, cifar10/, imdb/); online, unset "
            f"DLPATH_OFFLINE and they are downloaded into the cache.", pytrace=False)
    shared = Path(where.get("shared", SHARED_DATA))
    if all(path == shared / name for name, path in found.items()):
        return shared
    for name, path in found.items():
        (Path(folder) / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(path.resolve(), Path(folder) / name)
    return Path(folder)
