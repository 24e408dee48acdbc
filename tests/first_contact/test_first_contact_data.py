"""What the README says about the data sets the tests read, checked through ``dlpath train``:
``DLPATH_DATA``, then the download cache; online a checksum-verified, atomic download into
the cache; offline an error that says which files to put in which folder."""

import functools
import hashlib
import json
import os
import threading
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from dlpath import cli
from dlpath.datasets import mnist

TEST_DATA = Path(os.environ["DLPATH_DATA"])  # tests/conftest.py sets it
QUICK = ["--epochs", "1", "--set", "train_limit=256", "--set", "eval_limit=200",
         "--verbose", "0"]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty DLPATH_DATA and an empty cache, downloads off; the runs in tmp/runs."""
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setenv("DLPATH_RUNS", str(tmp_path / "runs"))
    return tmp_path


@pytest.mark.parametrize("recipe, folder", [("mnist-mlp", "mnist"), ("cifar10-cnn", "cifar10"),
                                            ("imdb-lstm", "imdb")])
def test_offline_without_files_the_error_says_where_to_put_them(fresh, capsys, recipe,
                                                                folder):
    assert cli.main(["train", recipe, *QUICK]) == 1
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1
    assert f"{fresh / 'data' / folder}/" in error and f"{fresh / 'cache' / folder}/" in error
    assert "Put " in error


def test_the_files_are_found_in_the_download_cache(fresh, capsys):
    cache = fresh / "cache" / "mnist"
    cache.mkdir(parents=True)
    for path in (TEST_DATA / "mnist").glob("*-ubyte.gz"):
        (cache / path.name).symlink_to(path)
    assert cli.main(["train", "mnist-mlp", *QUICK]) == 0, capsys.readouterr().err


@pytest.fixture
def server(tmp_path):
    """Serve ``tmp/served`` on 127.0.0.1; yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def served_mnist(root: Path) -> bytes:
    """A Keras-style mnist.npz (real test images, synthetic training ones) in ``root``."""
    (_, _), (x_test, y_test) = mnist.load_data(TEST_DATA / "mnist")
    x_train = np.resize(x_test, (60000, 28, 28))
    y_train = np.resize(y_test, 60000)
    np.savez_compressed(root / "mnist.npz", x_train=x_train, y_train=y_train,
                        x_test=x_test, y_test=y_test)
    return (root / "mnist.npz").read_bytes()


def test_online_a_missing_file_is_downloaded_verified_into_the_cache(fresh, server,
                                                                     monkeypatch, capsys):
    root, url = server
    data = served_mnist(root)
    monkeypatch.setenv("DLPATH_OFFLINE", "0")
    # A download whose checksum is not the published one is refused and leaves nothing.
    monkeypatch.setattr(mnist, "REMOTE", replace(mnist.REMOTE, url=url + "mnist.npz",
                                                 digest="0" * 64))
    assert cli.main(["train", "mnist-mlp", *QUICK]) == 1
    assert "expected 0000" in capsys.readouterr().err
    assert not [path for path in (fresh / "cache").rglob("*") if path.is_file()]
    # The published checksum: downloaded into the cache, then trained on.
    monkeypatch.setattr(mnist, "REMOTE", replace(mnist.REMOTE, url=url + "mnist.npz",
                                                 digest=hashlib.sha256(data).hexdigest()))
    assert cli.main(["train", "mnist-mlp", *QUICK]) == 0, capsys.readouterr().err
    assert (fresh / "cache" / "mnist" / "mnist.npz").read_bytes() == data
    assert [p.name for p in (fresh / "cache" / "mnist").iterdir()] == ["mnist.npz"]
    run = next((fresh / "runs").iterdir())
    assert json.loads((run / "test_metrics.json").read_text())["accuracy"] > 0.1
