"""Bearer-key authentication of the model endpoints.

With a key (``--api-key`` or ``$DLPATH_API_KEY``), every request to a model endpoint must
carry ``Authorization: Bearer KEY``; the key is compared in constant time
(`hmac.compare_digest`). ``/livez``, ``/readyz``, ``/metrics`` and the web page stay open:
they reveal no predictions (the page asks for the key and sends it with its requests).
"""

from __future__ import annotations

import hmac

ENV = "DLPATH_API_KEY"


def authorized(header: str | None, key: str | None) -> bool:
    """True when no key is set, or ``header`` is ``Bearer <key>``."""
    if not key:
        return True
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), key.encode("utf-8"))
