"""Downloads, against a local HTTP server: verified, atomic, and clear when they fail."""

import hashlib
import socket
from dataclasses import replace

import numpy as np
import pytest

from dlpath.datasets import (
    ChecksumMismatchError,
    DatasetNotFoundError,
    fashion_mnist,
    mnist,
)
from dlpath.datasets._checksum import RemoteFile
from dlpath.datasets._download import download, fetch

pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")

PAYLOAD = b"dataset bytes " * 10000


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _served(http_server, name, data):
    (http_server.root / name).write_bytes(data)
    return http_server.url + name


def test_download_writes_verified_file(tmp_path, http_server, capsys):
    url = _served(http_server, "file.bin", PAYLOAD)
    dest = tmp_path / "cache" / "sub" / "file.bin"
    assert download(url, dest, "sha256", _sha256(PAYLOAD)) == dest
    assert dest.read_bytes() == PAYLOAD
    assert list(dest.parent.iterdir()) == [dest]
    assert "Downloading file.bin: 100%" in capsys.readouterr().err


def test_md5_checksums_are_supported(tmp_path, http_server):
    url = _served(http_server, "file.bin", PAYLOAD)
    dest = download(url, tmp_path / "file.bin", "md5", hashlib.md5(PAYLOAD).hexdigest(),
                    progress=False)
    assert dest.read_bytes() == PAYLOAD


def test_checksum_mismatch_leaves_no_file(tmp_path, http_server):
    url = _served(http_server, "file.bin", PAYLOAD)
    dest = tmp_path / "cache" / "file.bin"
    with pytest.raises(ChecksumMismatchError, match="file.bin.*expected 0+; it was discarded"):
        download(url, dest, "sha256", "0" * 64, progress=False)
    assert list(dest.parent.iterdir()) == []  # neither the file nor a partial file


def test_mismatch_does_not_replace_an_existing_file(tmp_path, http_server):
    url = _served(http_server, "file.bin", PAYLOAD)
    dest = tmp_path / "file.bin"
    dest.write_bytes(b"previous")
    with pytest.raises(ChecksumMismatchError):
        download(url, dest, "sha256", "0" * 64, progress=False)
    assert dest.read_bytes() == b"previous"


def test_http_error_leaves_no_file(tmp_path, http_server):
    dest = tmp_path / "cache" / "missing.bin"
    with pytest.raises(OSError, match="404"):
        download(http_server.url + "missing.bin", dest, "sha256", "0" * 64, progress=False)
    assert list(dest.parent.iterdir()) == []


def test_file_urls_work(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(PAYLOAD)
    dest = download(source.as_uri(), tmp_path / "out" / "copy.bin", "sha256", _sha256(PAYLOAD),
                    progress=False)
    assert dest.read_bytes() == PAYLOAD


def test_fetch_when_offline_raises_not_found(monkeypatch, tmp_path, http_server):
    url = _served(http_server, "file.bin", PAYLOAD)
    remote = RemoteFile("file.bin", url, "sha256", _sha256(PAYLOAD))
    with pytest.raises(DatasetNotFoundError, match="DLPATH_OFFLINE"):
        fetch(remote, "things", "Things", "file.bin")
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    path = fetch(remote, "things", "Things", "file.bin", progress=False)
    assert path == tmp_path / "cache" / "things" / "file.bin"


def test_fetch_with_refused_connection_names_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    remote = RemoteFile("file.bin", f"http://127.0.0.1:{port}/file.bin", "sha256", "0" * 64)
    with pytest.raises(DatasetNotFoundError) as error:
        fetch(remote, "things", "Things", "file.bin", progress=False)
    message = str(error.value)
    assert "DLPATH_DATA" in message and str(tmp_path / "cache" / "things") in message
    assert f"127.0.0.1:{port}" in message
    assert not (tmp_path / "cache" / "things" / "file.bin").exists()


def test_mnist_downloads_into_cache_then_reuses_it(monkeypatch, tmp_path, http_server, synth):
    x_train, _, _, _ = synth.write_mnist_npz(http_server.root / "mnist.npz")
    data = (http_server.root / "mnist.npz").read_bytes()
    monkeypatch.setattr(mnist, "REMOTE", replace(mnist.REMOTE, url=http_server.url + "mnist.npz",
                                                 digest=_sha256(data)))
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    (x, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x, x_train)
    assert (tmp_path / "cache" / "mnist" / "mnist.npz").read_bytes() == data
    (http_server.root / "mnist.npz").unlink()  # the second load must not download
    (x, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x, x_train)


def test_mnist_download_with_wrong_checksum_fails_cleanly(monkeypatch, tmp_path, http_server,
                                                          synth):
    synth.write_mnist_npz(http_server.root / "mnist.npz")
    monkeypatch.setattr(mnist, "REMOTE", replace(mnist.REMOTE, url=http_server.url + "mnist.npz"))
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    with pytest.raises(ChecksumMismatchError):
        mnist.load_data()
    cache = tmp_path / "cache" / "mnist"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_fashion_mnist_downloads_the_four_files(monkeypatch, tmp_path, http_server, synth):
    expected = synth.write_mnist_idx_set(http_server.root)
    remotes = {}
    for name, remote in fashion_mnist.REMOTES.items():
        digest = hashlib.md5((http_server.root / name).read_bytes()).hexdigest()
        remotes[name] = replace(remote, url=http_server.url + name, digest=digest)
    monkeypatch.setattr(fashion_mnist, "REMOTES", remotes)
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    (x_train, _), (_, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, expected[0])
    np.testing.assert_array_equal(y_test, expected[3])
    assert len(list((tmp_path / "cache" / "fashion_mnist").iterdir())) == 4
