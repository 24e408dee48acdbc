"""`BodyLimit`: request bodies larger than the limit are refused with 413.

Two checks, as a client may lie or not say: a ``Content-Length`` over the limit is refused
before the body is read, and the bytes actually received are counted as they stream in
(chunked uploads have no length), raising `BodyTooLarge` once they pass the limit.
"""

from __future__ import annotations

import json


class BodyTooLarge(ValueError):
    """The request body passed the limit while it was being read."""


class BodyLimit:
    """Pure ASGI middleware: ``BodyLimit(app, max_bytes)``."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, int(max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                return await _refuse(send, 400, f"Content-Length: expected a number of bytes, "
                                     f"got {declared[:40].decode('latin-1')!r}")
            if length > self.max_bytes:
                return await _refuse(send, 413, self.message(length))
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.message(received, "more than "))
            return message

        await self.app(scope, counted, send)

    def message(self, size: int, prefix: str = "") -> str:
        return (f"request body too large: {prefix}{size} bytes, the limit is {self.max_bytes} "
                f"bytes (--max-body-mb)")


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
