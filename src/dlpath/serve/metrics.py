"""The server's Prometheus metrics, in a registry of its own (not the process-wide one).

    dlpath_requests_total{endpoint, code}        requests answered, by route and status code
    dlpath_request_latency_seconds{endpoint}     time from request to response (histogram)
    dlpath_batch_size                            rows per model call (histogram)
    dlpath_queue_depth                           requests waiting for a batch (gauge)
    dlpath_model_ready                           1 once the model is loaded and warmed up
"""

from __future__ import annotations

BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
LATENCY_BUCKETS = (.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)


class Metrics:
    """The metric objects and their registry; ``render()`` is the ``/metrics`` body."""

    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("dlpath_requests", "Requests answered, by endpoint and "
                                "status code", ["endpoint", "code"], registry=self.registry)
        self.latency = Histogram("dlpath_request_latency_seconds", "Request latency",
                                 ["endpoint"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.batch_size = Histogram("dlpath_batch_size", "Rows per model call",
                                    buckets=BATCH_BUCKETS, registry=self.registry)
        self.queue_depth = Gauge("dlpath_queue_depth", "Requests waiting for a batch",
                                 registry=self.registry)
        self.ready = Gauge("dlpath_model_ready", "1 once the model is loaded and warmed up",
                           registry=self.registry)

    def observe(self, endpoint: str, code: int, seconds: float) -> None:
        self.requests.labels(endpoint=endpoint, code=str(code)).inc()
        self.latency.labels(endpoint=endpoint).observe(seconds)

    def render(self) -> tuple:
        """``(body, content type)`` in Prometheus' text format."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST


KNOWN_PATHS = ("/", "/livez", "/readyz", "/metrics", "/predict")


def endpoint_of(path: str) -> str:
    """A bounded label for a request path: the route it matches, else "other"."""
    if path.startswith("/v1/models/"):
        if path.endswith(":predict"):
            return "/v1/models/{name}:predict"
        if path.endswith("/metadata"):
            return "/v1/models/{name}/metadata"
        return "/v1/models/{name}"
    if path.startswith("/page/"):
        return "/page/{file}"
    return path if path in KNOWN_PATHS else "other"


class RecordRequests:
    """Pure ASGI middleware: count each response by endpoint and status code, and time it."""

    def __init__(self, app, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        import time

        start, status = time.perf_counter(), [500]

        async def recorded(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recorded)
        finally:
            self.metrics.observe(endpoint_of(scope.get("path", "")), status[0],
                                 time.perf_counter() - start)
