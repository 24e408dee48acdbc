"""Downloading a dataset file into the cache, verified and atomic.

The file is streamed into a temporary file in the destination folder while
its checksum is computed; only when the checksum matches is it renamed onto
the final name with ``os.replace`` (atomic on one file system). A failed,
interrupted or mismatching download leaves no file behind, so a cache entry
is always either absent or complete.
"""

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

from . import _paths
from ._errors import ChecksumMismatchError

CHUNK_BYTES = 1 << 16
TIMEOUT_SECONDS = 60


class _Progress:
    """A one-line progress display on stderr, redrawn at most ten times a second."""

    def __init__(self, name, total, stream):
        self.name = name
        self.total = total
        self.stream = stream
        self.last = 0.0

    def update(self, done, final=False):
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        mib = done / 2**20
        if self.total:
            line = f"{self.name}: {100 * done // self.total:3d}% ({mib:.1f} MiB)"
        else:
            line = f"{self.name}: {mib:.1f} MiB"
        self.stream.write("\rDownloading " + line + ("\n" if final else ""))
        self.stream.flush()


def download(url, dest, algorithm, digest, progress=True, timeout=TIMEOUT_SECONDS):
    """Download ``url`` to ``dest``, checking its ``algorithm`` hex ``digest``.

    Args:
        url: ``http(s)://`` or ``file://`` URL.
        dest: final path; its folder is created if needed.
        algorithm: ``"md5"`` or ``"sha256"``.
        digest: the published hex digest; a download that differs is discarded.
        progress: show a progress line on stderr.
        timeout: seconds to wait for the server on each read.

    Returns:
        ``dest`` as a Path.

    Raises:
        ChecksumMismatchError: the downloaded bytes have another checksum.
        OSError, http.client.HTTPException: the download failed
            (``urllib.error.URLError`` is an OSError).
    """
    import urllib.request  # the HTTP client loads with the first download, not with Keras

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.", suffix=".part", dir=dest.parent
    )
    try:
        hasher = hashlib.new(algorithm)
        with (
            os.fdopen(handle, "wb") as out,
            urllib.request.urlopen(url, timeout=timeout) as response,
        ):
            total = int(response.headers.get("Content-Length") or 0)
            shown = _Progress(dest.name, total, sys.stderr) if progress else None
            done = 0
            for chunk in iter(lambda: response.read(CHUNK_BYTES), b""):
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                if shown:
                    shown.update(done)
            if shown:
                shown.update(done, final=True)
        if total and done != total:
            raise OSError(f"{url}: download ended after {done} of {total} bytes")
        actual = hasher.hexdigest()
        if actual != digest:
            raise ChecksumMismatchError(
                f"{url}: the downloaded file has {algorithm} {actual}, expected {digest}; "
                f"it was discarded and {dest} was not written"
            )
        os.replace(temp_name, dest)
    except BaseException:
        if os.path.exists(temp_name):
            os.remove(temp_name)
        raise
    return dest


def fetch(remote, subdir, dataset, wanted, progress=True):
    """Download ``remote`` into the cache folder ``subdir`` and return its path.

    Raises:
        DatasetNotFoundError: downloads are off (``DLPATH_OFFLINE``) or the
            download failed; the message says where to put the files by hand.
        ChecksumMismatchError: the download's checksum is not the published one.
    """
    if _paths.offline():
        reason = f"Downloads are off ({_paths.OFFLINE_ENV} is set)."
        raise _paths.not_found_error(dataset, subdir, wanted, reason)
    import http.client

    dest = _paths.cache_root() / subdir / remote.name
    try:
        return download(remote.url, dest, remote.algorithm, remote.digest, progress)
    except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
        reason = f"Downloading {remote.url} failed: {error}."
        raise _paths.not_found_error(dataset, subdir, wanted, reason) from error
