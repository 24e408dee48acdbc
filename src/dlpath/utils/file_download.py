"""``get_file``: a file from a URL into a cache folder, verified, written atomically.

tf.keras 2's ``keras.utils.get_file``. The file lands in ``<cache_dir>/<cache_subdir>/
<fname>`` (``cache_dir`` defaults to ``$DLPATH_CACHE`` or ``~/.dlpath``; ``cache_subdir``
to ``"datasets"``). A file already there (or under ``$DLPATH_DATA/<cache_subdir>/``) is
used without any network access, after its hash is checked when one is given. Downloads
stream into a temporary file in the same folder and are renamed onto the final name only
when complete and verified (`dlpath.datasets._download`), so the cache never holds half a
file. With ``DLPATH_OFFLINE=1``, or when the download fails, the error names the URL and
the path to put the file at by hand.
"""

from __future__ import annotations

import os
import tempfile
import urllib.parse
from pathlib import Path

from dlpath.datasets import _download, _paths
from dlpath.datasets._checksum import file_digest
from dlpath.datasets._errors import ChecksumMismatchError, DatasetNotFoundError
from dlpath.utils.archives import extract_archive

_TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


class FileNotAvailableError(DatasetNotFoundError):
    """``get_file`` found no cached copy and could not download the file."""


def _algorithm(hash_algorithm: str, file_hash: str) -> str:
    if hash_algorithm not in ("auto", "md5", "sha256"):
        raise ValueError(f"get_file: hash_algorithm must be 'auto', 'md5' or 'sha256', got "
                         f"{hash_algorithm!r}")
    if hash_algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    return hash_algorithm


def _cache_folder(cache_dir, cache_subdir) -> Path:
    if cache_dir is None:
        override = os.environ.get(_paths.CACHE_ENV, "").strip()
        cache_dir = override or os.path.join("~", ".dlpath")
    return Path(os.path.expanduser(os.fspath(cache_dir))) / os.fspath(cache_subdir)


def _matches(path: Path, algorithm, file_hash) -> bool:
    return file_hash is None or file_digest(path, algorithm) == file_hash.lower()


def _cached(fpath: Path, fname: str, cache_subdir, algorithm, file_hash):
    """The first existing copy whose hash matches: the cache, then ``$DLPATH_DATA``."""
    candidates = [fpath]
    root = _paths.data_root()
    if root is not None and not os.path.isabs(fname):
        candidates += [root / os.fspath(cache_subdir) / fname, root / fname]
    for candidate in candidates:
        if candidate.is_file() and _matches(candidate, algorithm, file_hash):
            return candidate
    return None


def _download_unverified(url: str, dest: Path) -> None:
    """Stream ``url`` into a temporary file beside ``dest``, then rename it (no hash)."""
    import urllib.request  # the HTTP client loads with the first download, not with Keras

    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part",
                                         dir=dest.parent)
    try:
        with os.fdopen(handle, "wb") as out, \
                urllib.request.urlopen(url, timeout=_download.TIMEOUT_SECONDS) as response:
            for chunk in iter(lambda: response.read(_download.CHUNK_BYTES), b""):
                out.write(chunk)
        os.replace(temp_name, dest)
    except BaseException:
        if os.path.exists(temp_name):
            os.remove(temp_name)
        raise


def _unavailable(origin: str, fpath: Path, reason: str) -> FileNotAvailableError:
    return FileNotAvailableError(
        f"get_file: cannot download {origin}: {reason} Download it by hand and put it at "
        f"{fpath} (or under $DLPATH_DATA/{fpath.parent.name}/), then call again.")


def _fetch(origin: str, fpath: Path, algorithm, file_hash) -> None:
    import http.client

    if _paths.offline():
        raise _unavailable(origin, fpath, f"downloads are off ({_paths.OFFLINE_ENV} is set).")
    try:
        if file_hash is None:
            _download_unverified(origin, fpath)
        else:
            _download.download(origin, fpath, algorithm, file_hash.lower(), progress=True)
    except ChecksumMismatchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _unavailable(origin, fpath, f"{error}.") from error


def _archive_stem(fpath: Path) -> Path:
    name = fpath.name
    for suffix in _TAR_SUFFIXES + (".zip",):
        if name.endswith(suffix):
            return fpath.with_name(name[: -len(suffix)])
    return fpath


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None):
    """The local path of ``fname``, downloaded from ``origin`` unless already cached.

    Args:
        fname: the file's name (or an absolute path); None: the last part of ``origin``.
        origin: the URL to download from.
        untar: deprecated (tf.keras 2): extract a tar archive into ``<fname stem>/`` and
            return that folder.
        md5_hash: deprecated spelling of ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected md5 or sha256 hex digest; a cached file that differs is
            downloaded again, a download that differs is discarded.
        cache_subdir: the folder under ``cache_dir`` (or an absolute folder).
        hash_algorithm: ``"auto"`` (sha256 for a 64-digit hash, else md5), ``"md5"``,
            ``"sha256"``.
        extract: extract the archive (tar or zip) beside the file; the file's path is
            returned.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"``, a list of them, or None.
        cache_dir: the cache's root (default ``$DLPATH_CACHE`` or ``~/.dlpath``).

    Returns:
        The path of the file (or of the extracted folder with ``untar=True``), a str.
    """
    if origin is None or not str(origin).strip():
        raise ValueError('get_file: please specify the "origin" argument (the URL of the '
                         'file to download)')
    origin = str(origin)
    if fname is None:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"get_file: cannot infer fname from origin {origin!r}; "
                             f"pass fname=")
    fname = os.fspath(fname)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    algorithm = _algorithm(hash_algorithm, file_hash) if file_hash is not None else None
    datadir = _cache_folder(cache_dir, cache_subdir)
    fpath = datadir / fname
    if untar and not fname.endswith(_TAR_SUFFIXES):
        fpath = datadir / (fname + ".tar.gz")
    found = _cached(fpath, fname, cache_subdir, algorithm, file_hash)
    if found is None:
        _fetch(origin, fpath, algorithm, file_hash)
        found = fpath
    if untar:
        target = _archive_stem(fpath)
        if not target.exists():
            extract_archive(found, target, "tar")
        return str(target)
    if extract:
        extract_archive(found, datadir, archive_format)
    return str(found)
