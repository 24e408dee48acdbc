"""`create_app`: the HTTP side of the server — routes, validation, errors; no math.

    GET  /livez                          the process answers
    GET  /readyz                         200 once the model is loaded and warmed up, else 503
    GET  /metrics                        Prometheus text format
    GET  /                               the web page (draw a digit, upload, or type a text)
    GET  /v1/models/{name}               status and metadata (TensorFlow Serving's format)
    GET  /v1/models/{name}/metadata      the metadata alone
    POST /v1/models/{name}:predict       {"instances": ...} or {"inputs": ...} (`schemas`)
    POST /predict                        an image file or text (multipart), or JSON
                                         {"pixels": ...} / {"text": ...}: the top classes
                                         (models with one input; others: 422)

The model endpoints need ``Authorization: Bearer KEY`` when a key is set (`auth`). The
model loads in a worker thread after the server starts, so ``/livez`` answers at once;
until it is ready the model endpoints answer 503 with ``Retry-After``.
"""


import asyncio
import gc
import logging
from contextlib import asynccontextmanager
from importlib import resources

from dlpath.serve import human
from dlpath.serve.auth import authorized
from dlpath.serve.batcher import Batcher, PredictFailed, QueueFull
from dlpath.serve.limits import BodyLimit, BodyTooLarge
from dlpath.serve.metrics import Metrics, RecordRequests
from dlpath.serve.schemas import RequestError, parse_json, parse_predict, predict_response
from dlpath.serve.settings import Settings

log = logging.getLogger("dlpath.serve")
PAGE_FILES = {"app.js": "text/javascript", "style.css": "text/css"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
TOP_LIMIT = 100


def freeze_loaded_objects() -> None:
    """Take everything alive once the model is loaded (modules, the app, the model) out of
    the cyclic garbage collector's scans (``gc.freeze``), so that a full collection walks
    only what requests leave behind. Requests hold many short-lived lists (a JSON image is
    about 800 of them); those promoted while in flight trigger full collections, which
    took about 100 ms each over the unfrozen heap and set the tail latency."""
    gc.collect()
    gc.freeze()


class ServerState:
    """What the routes share: the source, the loaded model (None until ready), the batcher."""

    def __init__(self, source, settings: Settings, on_load_error=None):
        self.source, self.settings = source, settings
        self.served, self.error = None, None
        self.metrics = Metrics()
        self.on_load_error = on_load_error or (lambda message: None)
        self.batcher = Batcher(self._predict, settings.max_batch_size,
                               settings.max_latency_ms / 1000.0, settings.max_queue,
                               on_batch=self.metrics.batch_size.observe,
                               on_queue=self.metrics.queue_depth.set)

    def _predict(self, xs):
        return self.served.predictor.predict(xs)

    async def load(self) -> None:
        try:
            self.served = await asyncio.to_thread(self.source.load, self.settings.backend)
        except Exception as error:  # noqa: BLE001 - reported on /readyz and by the command
            self.error = f"{type(error).__name__}: {' '.join(str(error).split())}"
            log.error("dlpath serve: the model did not load: %s", self.error)
            self.on_load_error(self.error)
            return
        freeze_loaded_objects()
        self.metrics.ready.set(1)

    async def run(self, xs: tuple) -> tuple:
        """The model's outputs (one array per output) for ``xs`` (one array per input),
        batched with other requests, within the timeout."""
        try:
            return await asyncio.wait_for(self.batcher.submit(xs), self.settings.timeout_s)
        except QueueFull as full:
            raise RequestError(503, f"overloaded: {full}; retry later") from None
        except asyncio.TimeoutError:
            raise RequestError(504, f"no answer within {self.settings.timeout_s:g} s "
                               f"(--timeout-s)") from None
        except PredictFailed as failed:
            raise RequestError(422, str(failed)) from None


def create_app(source, settings: Settings | None = None, on_load_error=None):
    """The FastAPI app serving ``source`` (a `dlpath.serve.source.Source`)."""
    from fastapi import FastAPI

    state = ServerState(source, settings or Settings(), on_load_error)

    @asynccontextmanager
    async def lifespan(app):
        state.batcher.start()
        loading = asyncio.create_task(state.load())
        yield
        if not loading.done():
            loading.cancel()
        await state.batcher.stop()  # every queued request is answered first

    app = FastAPI(title="dlpath model server", lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.state.server = state
    _error_handlers(app)
    _health_routes(app, state)
    _model_routes(app, state)
    _page_routes(app)
    app.add_middleware(BodyLimit, max_bytes=state.settings.max_body_bytes)
    app.add_middleware(RecordRequests, metrics=state.metrics)  # outermost: sees every code
    return app


# ---------------------------------------------------------------- errors
def error_response(status: int, message: str, headers=None):
    from fastapi.responses import JSONResponse

    if status == 503:
        headers = {"Retry-After": "1", **(headers or {})}
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _error_handlers(app) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(RequestError)
    async def refused(request, error: RequestError):
        return error_response(error.status, str(error))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request, error: BodyTooLarge):
        return error_response(413, str(error), {"Connection": "close"})

    @app.exception_handler(HTTPException)
    async def http_error(request, error: HTTPException):
        return error_response(error.status_code, str(error.detail), error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request, error: RequestValidationError):
        return error_response(422, f"invalid request: {error.errors()}")

    @app.exception_handler(Exception)
    async def crashed(request, error: Exception):
        log.exception("dlpath serve: internal error on %s", request.url.path)
        return error_response(500, f"internal error: {type(error).__name__}")


# ---------------------------------------------------------------- health and metrics
def _health_routes(app, state: ServerState) -> None:
    from fastapi import Response

    @app.get("/livez")
    async def livez():
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz():
        if state.served is not None:
            return {"status": "ready", "model": state.served.name}
        if state.error is not None:
            return error_response(503, f"the model did not load: {state.error}")
        return error_response(503, "loading the model")

    @app.get("/metrics")
    async def metrics():
        state.metrics.queue_depth.set(state.batcher.depth)
        body, content_type = state.metrics.render()
        return Response(body, media_type=content_type)


# ---------------------------------------------------------------- the model
def _model(request, state: ServerState, name: str | None = None):
    """The served model, after the key, the name and readiness are checked."""
    if not authorized(request.headers.get("authorization"), state.settings.api_key):
        raise _Unauthorized()
    if name is not None and name != state.source.name:
        raise RequestError(404, f"no model {name!r}; this server serves "
                           f"{state.source.name!r}")
    if state.served is None:
        raise RequestError(503, "the model is not loaded yet" if state.error is None else
                           f"the model did not load: {state.error}")
    return state.served


class _Unauthorized(RequestError):
    def __init__(self):
        super().__init__(401, "missing or wrong API key: send 'Authorization: Bearer KEY'")


def _model_routes(app, state: ServerState) -> None:
    from fastapi import Request
    from fastapi.responses import JSONResponse

    @app.exception_handler(_Unauthorized)
    async def unauthorized(request, error: _Unauthorized):
        return error_response(401, str(error), {"WWW-Authenticate": "Bearer"})

    @app.get("/v1/models/{name}")
    async def status(name: str, request: Request):
        served = _model(request, state, name)
        return {"model_version_status": [{"version": "1", "state": "AVAILABLE",
                                          "status": {"error_code": "OK",
                                                     "error_message": ""}}],
                "metadata": served.metadata()}

    @app.get("/v1/models/{name}/metadata")
    async def metadata(name: str, request: Request):
        return _model(request, state, name).metadata()

    @app.post("/v1/models/{name}:predict")
    async def predict(name: str, request: Request):
        served = _model(request, state, name)
        predictor = served.predictor
        parsed = parse_predict(await request.body(), predictor.inputs)
        outputs = await state.run(parsed.inputs)
        return JSONResponse(predict_response(outputs, predictor.output_names,
                                             parsed.columnar))

    @app.post("/predict")
    async def predict_for_people(request: Request):
        served = _model(request, state)
        human.check_one_input(served)
        top = _top(request, len(served.class_names()))
        pixels, x = await _human_input(request, served)
        outputs = await state.run((x,))
        # The first output's first row: the classes (a model with several outputs answers
        # with its first, as its metadata's "classes" say).
        answer = {"model": served.name,
                  "classes": human.top_classes(served, outputs[0][0], top)}
        if pixels is not None:
            answer["pixels"] = pixels
        return answer


def _top(request, classes: int) -> int:
    text = request.query_params.get("top", "5")
    if not text.isdigit() or not 1 <= int(text) <= TOP_LIMIT:
        raise RequestError(400, f"top: expected an integer in 1..{TOP_LIMIT}, got {text!r}")
    return min(int(text), classes)


async def _human_input(request, served) -> tuple:
    """``(preview pixels or None, model input)`` from a multipart form or a JSON body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _form_input(request, served)
    if kind != "application/json":
        raise RequestError(415, f"expected multipart/form-data (a 'file' or 'text' field) "
                           f"or application/json, got {kind or 'no content type'!r}")
    value = parse_json(await request.body())
    if not isinstance(value, dict) or len(value.keys() & {"pixels", "text"}) != 1:
        raise RequestError(400, "expected a JSON object with 'pixels' (an image as 0..255 "
                           "numbers) or 'text'")
    if "text" in value:
        return None, human.text_input(served, value["text"])
    return human.pixels_input(served, value["pixels"])


async def _form_input(request, served) -> tuple:
    limit = request.app.state.server.settings.max_body_bytes
    try:
        form = await request.form(max_files=1, max_fields=4, max_part_size=limit)
    except BodyTooLarge:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed multipart body
        raise RequestError(400, f"malformed multipart body: {error}") from None
    try:
        upload, text = form.get("file"), form.get("text")
        if upload is not None and hasattr(upload, "read"):
            return human.image_file_input(served, await upload.read())
        if isinstance(text, str):
            return None, human.text_input(served, text)
        raise RequestError(400, "expected a 'file' field (an image file) or a 'text' field")
    finally:
        await form.close()


# ---------------------------------------------------------------- the web page
def _page_routes(app) -> None:
    from fastapi.responses import Response

    def page_file(name: str) -> bytes:
        return resources.files("dlpath.serve").joinpath("page", name).read_bytes()

    @app.get("/")
    async def index():
        return Response(page_file("index.html"), media_type="text/html; charset=utf-8",
                        headers=SECURITY_HEADERS)

    @app.get("/page/{file}")
    async def asset(file: str):
        if file not in PAGE_FILES:
            raise RequestError(404, f"no page file {file!r}")
        return Response(page_file(file), media_type=PAGE_FILES[file],
                        headers=SECURITY_HEADERS)
