"""RemoteMonitor posts each epoch's logs; an unreachable server only warns."""

import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

from dlpath.callbacks.remote_monitor import RemoteMonitorWarning
from dlpath.keras import Input, callbacks, layers, models


@pytest.fixture
def server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def _fit(monitor, epochs=2):
    model = models.Sequential([Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=epochs, verbose=0,
                     callbacks=[monitor]).history


def test_posts_json_bodies_with_headers(server):
    root, received = server
    history = _fit(callbacks.RemoteMonitor(root=root, path="/epoch", send_as_json=True,
                                           headers={"X-Run": "7"}))
    assert [path for path, _, _ in received] == ["/epoch", "/epoch"]
    sent = [json.loads(body) for _, _, body in received]
    assert [s["epoch"] for s in sent] == [0, 1]
    assert [s["loss"] for s in sent] == history["loss"]
    assert received[0][1]["X-Run"] == "7"
    assert received[0][1]["Content-Type"] == "application/json"


def test_posts_a_form_field_by_default(server):
    root, received = server
    _fit(callbacks.RemoteMonitor(root=root, field="payload"), epochs=1)
    path, _, body = received[0]
    assert path == "/publish/epoch/end/"
    form = urllib.parse.parse_qs(body.decode())
    assert json.loads(form["payload"][0])["epoch"] == 0


def test_unreachable_server_warns_each_epoch_and_fit_finishes():
    monitor = callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(RemoteMonitorWarning, match="127.0.0.1:9") as caught:
        history = _fit(monitor)
    assert len(history["loss"]) == 2
    assert len([w for w in caught if issubclass(w.category, RemoteMonitorWarning)]) == 2


def test_bad_arguments():
    with pytest.raises(ValueError, match="root"):
        callbacks.RemoteMonitor(root="ftp://x")
    with pytest.raises(TypeError, match="headers"):
        callbacks.RemoteMonitor(headers={"a": 1})
