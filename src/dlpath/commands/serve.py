"""``dlpath serve``: serve a run's model (or a model file) over HTTP.

    dlpath serve RUN_DIR|MODEL_FILE [--name NAME] [--host 127.0.0.1] [--port 8000]
                 [--backend dlpath|onnxruntime] [--max-batch-size 32] [--max-latency-ms 5]
                 [--max-queue 256] [--max-body-mb 16] [--timeout-s 30] [--api-key KEY]

The server binds to 127.0.0.1 unless ``--host`` says otherwise. With ``--api-key`` (or
``$DLPATH_API_KEY``) the model endpoints need ``Authorization: Bearer KEY``; /livez,
/readyz, /metrics and the web page stay open. SIGTERM or Ctrl-C stops it gracefully: no new
connections, the requests in flight are answered, then it exits (0 on SIGTERM).
"""

from __future__ import annotations

import os
import signal
import sys

GRACEFUL_SHUTDOWN_S = 30


def cmd_serve(args) -> int:
    from dlpath.serve import Settings, find_source
    from dlpath.serve.auth import ENV

    settings = Settings(backend=args.backend, max_batch_size=args.max_batch_size,
                        max_latency_ms=args.max_latency_ms, max_queue=args.max_queue,
                        max_body_mb=args.max_body_mb, timeout_s=args.timeout_s,
                        api_key=args.api_key or os.environ.get(ENV) or None)
    source = find_source(args.target, args.name)
    return serve(source, settings, args.host, args.port)


def serve(source, settings, host: str, port: int) -> int:
    """Run the server until SIGTERM or Ctrl-C; 1 when the model did not load."""
    try:
        import uvicorn
    except ImportError:
        raise RuntimeError("dlpath serve needs the server packages: pip install fastapi "
                           "uvicorn prometheus-client python-multipart") from None
    from dlpath.serve.app import create_app

    failed = []

    def on_load_error(message):
        failed.append(message)
        server.should_exit = True

    app = create_app(source, settings, on_load_error)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            access_log=False, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
                            # a last bound on connections, well above the queue's
                            limit_concurrency=4 * (settings.max_queue
                                                   + settings.max_batch_size) + 64)
    server = uvicorn.Server(config)
    auth = "Bearer key required" if settings.api_key else "no API key"
    print(f"serving '{source.name}' ({source.model_file}, {settings.backend}) on "
          f"http://{host}:{port}/ ({auth}); stop with Ctrl-C or SIGTERM", flush=True)
    # uvicorn passes SIGTERM on once it has shut down gracefully; that stop is a success.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failed:
        print(f"dlpath serve: error: the model did not load: {failed[0]}", file=sys.stderr)
        return 1
    return 0


def add_parser(commands, parents) -> None:
    from dlpath.serve.predictor import BACKENDS

    sub = commands.add_parser("serve", parents=parents, help="serve a run's model over HTTP",
                              description="Serve a run's model (or a saved .keras/.onnx "
                              "file) with TensorFlow Serving's REST API, dynamic batching, "
                              "Prometheus metrics and a web page.")
    sub.add_argument("target", metavar="RUN_DIR|MODEL_FILE",
                     help="a run folder, a run's name, a recipe's name for its newest run, "
                     "or a saved model file (.keras; .onnx with --backend onnxruntime)")
    sub.add_argument("--name", help="the model's name in the URLs (default: the recipe's "
                     "name, or the file's stem)")
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default "
                     "127.0.0.1: this machine only)")
    sub.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sub.add_argument("--backend", choices=BACKENDS, default="dlpath",
                     help="run the model with dlpath or with onnxruntime (exported at start)")
    sub.add_argument("--max-batch-size", type=int, default=32, metavar="N",
                     help="rows per model call (default 32; 1: no batching)")
    sub.add_argument("--max-latency-ms", type=float, default=5.0, metavar="MS",
                     help="how long a request waits for others to batch with (default 5)")
    sub.add_argument("--max-queue", type=int, default=256, metavar="N",
                     help="requests that may wait; more get 503 (default 256)")
    sub.add_argument("--max-body-mb", type=float, default=16.0, metavar="MB",
                     help="largest request body; larger get 413 (default 16)")
    sub.add_argument("--timeout-s", type=float, default=30.0, metavar="S",
                     help="a request not answered in this time gets 504 (default 30)")
    sub.add_argument("--api-key", metavar="KEY", help="require 'Authorization: Bearer KEY' "
                     "on the model endpoints (default: $DLPATH_API_KEY, else none)")
    sub.set_defaults(handler=cmd_serve)
