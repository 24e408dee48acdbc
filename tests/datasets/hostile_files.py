"""Builders of hostile data-set files, and a runner that loads one under limits.

The bombs are small on disk and huge once decompressed: a deflate stream is cut at
full flushes, after which every further MiB of zeros compresses to the same
1 kB piece, so gigabytes of zeros are written by repeating that piece. Their
gzip trailers are not checked by any reader that stops in time, and are zero.
"""

import json
import os
import struct
import subprocess
import sys
import tarfile
import textwrap
import time
import zlib
from pathlib import Path

MIB = 1 << 20
GIB = 1 << 30
MEMORY_LIMIT = 1536 * MIB  # address space of the process that loads a bomb
TIME_LIMIT = 60.0  # seconds before the loading process is killed
SRC = Path(__file__).resolve().parents[2] / "src"


def deflate_zeros(prefix, zero_bytes):
    """A raw deflate stream of ``prefix`` and then ``zero_bytes`` zeros (whole MiBs)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    piece = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head + piece * (zero_bytes // MIB) + compressor.flush()


def write_gzip_bomb(path, prefix, zero_bytes):
    """A gzip file that decompresses to ``prefix`` and ``zero_bytes`` zeros."""
    header = b"\x1f\x8b\x08\x00" + bytes(4) + b"\x00\xff"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + deflate_zeros(prefix, zero_bytes) + bytes(8))
    return path


def tar_header(name, size, kind=tarfile.REGTYPE):
    """The 512-byte GNU tar header of an entry ``name`` declaring ``size`` bytes."""
    info = tarfile.TarInfo(name)
    info.size, info.type = size, kind
    return info.tobuf(format=tarfile.GNU_FORMAT)


def idx_header(shape):
    """An IDX header announcing unsigned bytes of ``shape``."""
    return struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(f">{len(shape)}I", *shape)


_LOADER = textwrap.dedent("""
    import json, resource, sys, time
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from dlpath.datasets import CorruptDatasetError, cifar10, imdb, mnist
    loaders = {"mnist": mnist.load_data, "cifar10": cifar10.load_data,
               "imdb": imdb.load_data, "word_index": imdb.get_word_index}
    start = time.perf_counter()
    try:
        loaders[sys.argv[2]](sys.argv[3])
        outcome = {"error": None, "message": "loaded"}
    except Exception as error:
        outcome = {"error": type(error).__name__, "message": str(error)[:2000],
                   "corrupt": isinstance(error, CorruptDatasetError)}
    outcome["seconds"] = time.perf_counter() - start
    print(json.dumps(outcome))
""")


def load_bounded(loader, path):
    """Run ``<loader>.load_data(path)`` in a fresh process limited in memory and time.

    Args:
        loader: ``"mnist"``, ``"cifar10"``, ``"imdb"`` or ``"word_index"``.
        path: the file or folder to load.

    Returns:
        ``{"error": class name or None, "message": str, "corrupt": bool, "seconds": float}``.
    """
    env = {**os.environ, "PYTHONPATH": str(SRC), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "DLPATH_OFFLINE": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LOADER, str(MEMORY_LIMIT), loader, str(path)],
        capture_output=True, text=True, timeout=TIME_LIMIT, env=env,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise AssertionError(f"the loader process failed ({done.returncode}) after "
                             f"{elapsed:.1f} s: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
