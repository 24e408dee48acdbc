"""get_file: download (from a local server), hash checks, cache, offline errors, archives."""

import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile
from functools import partial

import pytest

from dlpath.datasets._errors import ChecksumMismatchError
from dlpath.keras import utils
from dlpath.utils import FileNotAvailableError, UnsafeArchiveError, extract_archive


@pytest.fixture
def server(tmp_path):
    """A local HTTP server over a folder of files; yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def online(monkeypatch):
    monkeypatch.delenv("DLPATH_OFFLINE", raising=False)
    monkeypatch.delenv("DLPATH_CACHE", raising=False)


def test_download_verifies_hash_then_serves_from_cache_offline(server, tmp_path, monkeypatch):
    root, url = server
    data = b"hello dlpath\n" * 100
    (root / "a.txt").write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    path = utils.get_file("a.txt", f"{url}/a.txt", file_hash=sha, cache_dir=tmp_path / "c")
    assert path == str(tmp_path / "c" / "datasets" / "a.txt")
    assert open(path, "rb").read() == data
    (root / "a.txt").unlink()
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    again = utils.get_file("a.txt", f"{url}/a.txt", file_hash=sha, cache_dir=tmp_path / "c")
    assert again == path
    md5 = hashlib.md5(data).hexdigest()
    assert utils.get_file(origin=f"{url}/a.txt", md5_hash=md5, cache_dir=tmp_path / "c") == path


def test_no_hash_download_and_fname_from_origin(server, tmp_path):
    root, url = server
    (root / "b.bin").write_bytes(b"\x00\x01" * 10)
    path = utils.get_file(origin=f"{url}/b.bin", cache_dir=tmp_path, cache_subdir="models")
    assert path.endswith(os.path.join("models", "b.bin"))
    assert open(path, "rb").read() == b"\x00\x01" * 10
    assert not [p for p in os.listdir(tmp_path / "models") if p.endswith(".part")]


def test_wrong_hash_discards_the_download(server, tmp_path):
    root, url = server
    (root / "c.txt").write_bytes(b"abc")
    with pytest.raises(ChecksumMismatchError, match="expected"):
        utils.get_file("c.txt", f"{url}/c.txt", file_hash="0" * 64, cache_dir=tmp_path)
    assert not (tmp_path / "datasets" / "c.txt").exists()


def test_offline_and_failed_downloads_name_url_and_place(tmp_path, monkeypatch, server):
    _, url = server
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    with pytest.raises(FileNotAvailableError) as info:
        utils.get_file("w.h5", "https://example.invalid/w.h5", cache_dir=tmp_path)
    message = str(info.value)
    assert "https://example.invalid/w.h5" in message
    assert str(tmp_path / "datasets" / "w.h5") in message
    monkeypatch.delenv("DLPATH_OFFLINE")
    with pytest.raises(FileNotAvailableError, match="404"):
        utils.get_file("missing.txt", f"{url}/missing.txt", cache_dir=tmp_path)
    assert isinstance(info.value, FileNotFoundError)


def _tar_bytes(entries):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_untar_and_extract(server, tmp_path):
    root, url = server
    (root / "pack.tar.gz").write_bytes(_tar_bytes([("pack/x.txt", b"x")]))
    folder = utils.get_file("pack", f"{url}/pack.tar.gz", untar=True, cache_dir=tmp_path)
    assert folder == str(tmp_path / "datasets" / "pack")
    assert (tmp_path / "datasets" / "pack" / "pack" / "x.txt").read_bytes() == b"x"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/y.txt", "y")
    (root / "z.zip").write_bytes(buffer.getvalue())
    path = utils.get_file("z.zip", f"{url}/z.zip", extract=True, cache_dir=tmp_path)
    assert path.endswith("z.zip")
    assert (tmp_path / "datasets" / "inner" / "y.txt").read_text() == "y"


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt"])
def test_path_traversal_is_refused(tmp_path, name):
    tar_path = tmp_path / "bad.tar.gz"
    tar_path.write_bytes(_tar_bytes([("ok.txt", b"ok"), (name, b"evil")]))
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract_archive(tar_path, tmp_path / "out")
    assert not (tmp_path / "out" / "ok.txt").exists()
    zip_path = tmp_path / "bad.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(name, "evil")
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract_archive(zip_path, tmp_path / "out2")


def test_tar_link_out_of_the_folder_is_refused(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("link")
        info.type = tarfile.SYMTYPE
        info.linkname = "../../etc/passwd"
        tar.addfile(info)
    path = tmp_path / "link.tar"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnsafeArchiveError, match="links to"):
        extract_archive(path, tmp_path / "out")


def test_argument_errors():
    with pytest.raises(ValueError, match="origin"):
        utils.get_file("x.txt")
    with pytest.raises(ValueError, match="hash_algorithm"):
        utils.get_file("x.txt", "http://127.0.0.1:9/x", file_hash="ab", hash_algorithm="sha1")
    with pytest.raises(ValueError, match="archive_format"):
        extract_archive(__file__, ".", archive_format="rar")
