"""Fixtures for the dataset tests.

* Every test runs with an empty cache in its own temporary folder, downloads
  turned off (``DLPATH_OFFLINE=1``) and ``DLPATH_DATA`` unset, so no test reads
  the user's files or the network by accident.
* ``shared_data_dir`` is a folder of real dataset files laid out like
  ``shared/data``: ``$DLPATH_DATA`` when set, else ``<repo>/../shared/data``; a file
  missing there is taken from the user's download cache (``$DLPATH_CACHE``, default
  ``~/.dlpath/datasets``) and, online, downloaded into it with its checksum checked.
  Tests that need a file nobody has fail (not skip) with a message saying which file to
  put where. ``real_data`` also points ``DLPATH_DATA`` at it.
* ``http_server`` serves a temporary folder on 127.0.0.1 for download tests.
* ``synth`` writes small synthetic dataset files (IDX, npz, pickles, tar.gz).
"""

import contextlib
import functools
import gzip
import io
import os
import pickle
import struct
import tarfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from dlpath.datasets import _checksum

from real_data_files import real_data_folder

@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """Empty cache, no DLPATH_DATA, downloads off, warnings not yet given."""
    monkeypatch.delenv("DLPATH_DATA", raising=False)
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setattr(_checksum, "_warned", set())


@pytest.fixture(scope="package")
def shared_data_dir(tmp_path_factory):
    """A folder of real dataset files; fails the test when a file cannot be had."""
    return real_data_folder(tmp_path_factory.mktemp("real-data"))


@pytest.fixture
def real_data(shared_data_dir, monkeypatch):
    """Point DLPATH_DATA at the shared data folder for one test."""
    monkeypatch.setenv("DLPATH_DATA", str(shared_data_dir))
    return shared_data_dir


@pytest.fixture(scope="module")
def real_data_env(shared_data_dir, tmp_path_factory):
    """A context manager setting the real-data environment, for module-scoped fixtures."""

    @contextlib.contextmanager
    def env():
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DLPATH_DATA", str(shared_data_dir))
            patch.setenv("DLPATH_CACHE", str(tmp_path_factory.mktemp("cache")))
            patch.setenv("DLPATH_OFFLINE", "1")
            patch.setattr(_checksum, "_warned", set())
            yield shared_data_dir

    return env


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def http_server(tmp_path):
    """Serve ``<tmp>/served`` on 127.0.0.1; yields ``.root`` (folder) and ``.url`` (base)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield SimpleNamespace(root=root, url=f"http://127.0.0.1:{server.server_address[1]}/")
    server.shutdown()
    server.server_close()
    thread.join()


# --- synthetic files ------------------------------------------------------------------


def idx_bytes(array):
    """IDX encoding of a uint8 array."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_idx(path, array):
    """Write ``array`` as IDX, gzip-compressed when ``path`` ends in ``.gz``."""
    data = idx_bytes(array)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data, compresslevel=1))
    else:
        path.write_bytes(data)
    return path


def mnist_arrays(train=60000, test=10000):
    """Full-size MNIST-shaped arrays: pixel = label, labels cycle 0..9."""
    y_train = (np.arange(train) % 10).astype(np.uint8)
    y_test = (np.arange(test) % 10).astype(np.uint8)
    x_train = np.broadcast_to(y_train[:, None, None], (train, 28, 28)).astype(np.uint8)
    x_test = np.broadcast_to(y_test[:, None, None], (test, 28, 28)).astype(np.uint8)
    return x_train, y_train, x_test, y_test


def write_mnist_idx_set(folder, gz=True):
    """The four MNIST IDX files with synthetic content; returns the arrays."""
    arrays = mnist_arrays()
    suffix = ".gz" if gz else ""
    names = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    for name, array in zip(names, arrays):
        write_idx(Path(folder) / (name + suffix), array)
    return arrays


def write_mnist_npz(path):
    """A Keras-style ``mnist.npz`` with synthetic content; returns the arrays."""
    x_train, y_train, x_test, y_test = mnist_arrays()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return x_train, y_train, x_test, y_test


def cifar_batch_bytes(count, label_start=0, protocol=3):
    """A pickled CIFAR-style batch dict with ``count`` images; pixel value = index % 256.

    Protocol 3, not 2: Python 3 writes bytes in protocol 2 through ``_codecs.encode``,
    a global the real (Python 2) batch files never use and the loader refuses.
    """
    data = (np.arange(count * 3072) % 256).astype(np.uint8).reshape(count, 3072)
    batch = {
        b"batch_label": b"synthetic batch",
        b"labels": [(label_start + i) % 10 for i in range(count)],
        b"data": data,
        b"filenames": [f"image_{i}.png".encode() for i in range(count)],
    }
    return pickle.dumps(batch, protocol=protocol)


def write_tar_gz(path, members):
    """A ``.tar.gz`` archive holding ``{member name: bytes}``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


class _RunsShellCommand:
    """Pickles to a call of os.system: what a tampered dataset file would contain."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def tampered_pickle(marker_path, protocol=3):
    """A pickle whose loading with plain ``pickle`` would create ``marker_path``."""
    return pickle.dumps({b"data": _RunsShellCommand(f"touch {marker_path}")}, protocol=protocol)


@pytest.fixture
def synth():
    """The synthetic-file writers above, as attributes."""
    return SimpleNamespace(
        idx_bytes=idx_bytes,
        write_idx=write_idx,
        mnist_arrays=mnist_arrays,
        write_mnist_idx_set=write_mnist_idx_set,
        write_mnist_npz=write_mnist_npz,
        cifar_batch_bytes=cifar_batch_bytes,
        write_tar_gz=write_tar_gz,
        tampered_pickle=tampered_pickle,
    )
