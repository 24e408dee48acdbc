"""`RemoteMonitor`: post each epoch's logs to a server (tf.keras semantics).

At each epoch's end ``{"epoch": epoch, **logs}`` is POSTed to ``root + path``: as a JSON
body (``send_as_json=True``, ``Content-Type: application/json``), or as a form whose
``field`` holds the JSON text. A server that cannot be reached or answers with an error
gives a warning naming the URL; training goes on.
"""

from __future__ import annotations

import json
import numbers
import urllib.parse
import warnings

import numpy as np

from dlpath.callbacks.callback import Callback

TIMEOUT_SECONDS = 10


class RemoteMonitorWarning(UserWarning):
    """The monitoring server could not be reached or refused the logs."""


def _plain(value):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    return float(value) if isinstance(value, numbers.Real) and not isinstance(
        value, (bool, int)) else value


class RemoteMonitor(Callback):
    """Stream the epoch logs to a server over HTTP.

    Args:
        root: the server's root URL (``http://`` or ``https://``).
        path: the path to post to, relative to ``root``.
        field: the form field that holds the JSON text (when not ``send_as_json``).
        headers: extra HTTP headers (a dict of strings).
        send_as_json: post the logs as a JSON body instead of a form.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/",
                 field="data", headers=None, send_as_json=False):
        super().__init__()
        if not isinstance(root, str) or urllib.parse.urlsplit(root).scheme not in (
                "http", "https"):
            raise ValueError(f"RemoteMonitor: root must be an http:// or https:// URL, got "
                             f"{root!r}")
        if headers is not None and not (isinstance(headers, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in headers.items())):
            raise TypeError(f"RemoteMonitor: headers must be a dict of strings, got "
                            f"{headers!r:.80}")
        self.root = root
        self.path = path
        self.field = field
        self.headers = dict(headers or {})
        self.send_as_json = bool(send_as_json)

    @property
    def url(self) -> str:
        return self.root + self.path

    def _request(self, send: dict) -> urllib.request.Request:
        import urllib.request  # the HTTP client loads with the first send, not with Keras

        headers = dict(self.headers)
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers["Content-Type"] = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        send.update({key: _plain(value) for key, value in (logs or {}).items()})
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self._request(send), timeout=TIMEOUT_SECONDS):
                pass
        except (urllib.error.URLError, OSError, ValueError) as error:
            warnings.warn(f"RemoteMonitor: could not send the logs of epoch {epoch + 1} to "
                          f"{self.url}: {error}", RemoteMonitorWarning, stacklevel=2)
