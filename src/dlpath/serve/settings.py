"""`Settings`: the server's bounds and options, as ``dlpath serve`` takes them."""

from __future__ import annotations

from dataclasses import dataclass

from dlpath.serve.predictor import BACKENDS, ServeError


@dataclass
class Settings:
    backend: str = "dlpath"
    max_batch_size: int = 32      # rows per model call
    max_latency_ms: float = 5.0   # how long the first request of a batch waits for others
    max_queue: int = 256          # requests waiting; more are refused with 503
    max_body_mb: float = 16.0     # request bodies; larger ones are refused with 413
    timeout_s: float = 30.0       # a request not answered by then gets 504
    api_key: str | None = None    # Bearer key of the model endpoints (None: open)

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ServeError(f"--backend: expected one of {', '.join(BACKENDS)}, got "
                             f"{self.backend!r}")
        for option, value, low in (("--max-batch-size", self.max_batch_size, 1),
                                   ("--max-queue", self.max_queue, 1)):
            if not isinstance(value, int) or value < low:
                raise ServeError(f"{option}: expected an integer >= {low}, got {value!r}")
        for option, value in (("--max-latency-ms", self.max_latency_ms),
                              ("--max-body-mb", self.max_body_mb),
                              ("--timeout-s", self.timeout_s)):
            if not value >= 0 or (option != "--max-latency-ms" and value == 0):
                raise ServeError(f"{option}: expected a positive number, got {value!r}")
        if self.api_key is not None and not self.api_key.strip():
            raise ServeError("--api-key: expected a non-empty key")

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)
