"""`dlpath serve` as a real subprocess: the REST API, its errors, batching and metrics."""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families
from serving_support import Server, mnist_run

from dlpath.recipes import get_recipe
from dlpath.saving import load_model
from dlpath.workflow.predict import read_image

PREDICT = "/v1/models/mnist-cnn:predict"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return mnist_run(tmp_path_factory.mktemp("runs"))


@pytest.fixture(scope="module")
def server(run):
    # A long batching window, so that concurrent requests surely meet in one batch.
    server = Server(run.path, "--max-latency-ms", 40, "--max-body-mb", 1).wait_ready()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def samples(count: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((count, 28, 28, 1)).astype(np.float32)


def metric_samples(client) -> dict:
    """``{(name, labels...): value}`` of the /metrics page, parsed by prometheus-client."""
    text = client.get("/metrics").text
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


# ---------------------------------------------------------------- health, metadata
def test_livez_readyz_and_model_status(client):
    assert client.get("/livez").json() == {"status": "alive"}
    assert client.get("/readyz").json() == {"status": "ready", "model": "mnist-cnn"}
    status = client.get("/v1/models/mnist-cnn").json()
    assert status["model_version_status"][0]["state"] == "AVAILABLE"
    meta = status["metadata"]
    assert meta["input"] == {"name": "input_layer", "shape": [-1, 28, 28, 1],
                             "dtype": "float32", "id_limit": None}
    assert meta["output"]["shape"] == [-1, 10]
    assert meta["classes"] == [str(i) for i in range(10)]
    assert meta["kind"] == "image" and meta["image"] == {"height": 28, "width": 28,
                                                         "channels": 1}
    assert client.get("/v1/models/mnist-cnn/metadata").json() == meta


def test_an_unknown_model_name_is_404_with_a_json_error(client):
    for response in (client.get("/v1/models/cifar"),
                     client.post("/v1/models/cifar:predict", json={"instances": [[0]]})):
        assert response.status_code == 404
        assert "no model 'cifar'" in response.json()["error"]


# ---------------------------------------------------------------- predict
def test_row_and_columnar_formats_equal_the_saved_model(client, run):
    x = samples(3)
    expected = load_model(run.model).predict(x, verbose=0)
    rows = client.post(PREDICT, json={"instances": x.tolist()})
    assert rows.status_code == 200
    np.testing.assert_allclose(rows.json()["predictions"], expected, atol=1e-6)
    named = client.post(PREDICT, json={"instances": [{"input_layer": v} for v in x.tolist()],
                                       "signature_name": "serving_default"})
    np.testing.assert_allclose(named.json()["predictions"], expected, atol=1e-6)
    columns = client.post(PREDICT, json={"inputs": {"input_layer": x.tolist()}})
    np.testing.assert_allclose(columns.json()["outputs"], expected, atol=1e-6)


@pytest.mark.parametrize("body, status, words", [
    (b'{"instances": [', 400, "malformed JSON"),
    (b"\x80abc", 400, "not UTF-8"),
    (b'[1, 2]', 400, "JSON object"),
    (b'{"instances": []}', 400, "at least one instance"),
    (b'{"instances": 3}', 400, "expected a list"),
    (b'{"rows": [1]}', 400, "unknown key"),
    (b'{"instances": [1], "inputs": [1]}', 400, "exactly one"),
    (b'{"instances": [1], "signature_name": "other"}', 400, "signature_name"),
    (b'{"instances": [{"pixels": 1}]}', 400, "input_layer"),
    (b'{"instances": [NaN]}', 400, "NaN"),
    (b'{"instances": [Infinity]}', 400, "Infinity"),
    (b'{"instances": [[1, 2, 3]]}', 422, "expected shape (N, 28, 28, 1), got (1, 3)"),
    (b'{"instances": [[[["a"]]]]}', 422, "expected float32 numbers, got strings"),
    (b'{"instances": [[[[true]]]]}', 422, "booleans"),
    (b'{"instances": [[1], [1, 2]]}', 422, "rectangular"),
    (json.dumps({"instances": [[[[1e39]] * 28] * 28]}).encode(), 422, "overflow float32"),
    (b'{"inputs": 5}', 400, "non-empty list"),
    (b"[" * 100000, 400, "malformed JSON"),
])
def test_bad_requests_get_a_message_naming_expected_and_actual(client, body, status, words):
    response = client.post(PREDICT, content=body)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_bodies_over_the_limit_are_413_by_length_and_by_counted_bytes(client):
    big = b" " * (1024 * 1024 + 1)
    declared = client.post(PREDICT, content=big)
    assert declared.status_code == 413 and "limit is 1048576" in declared.json()["error"]

    def chunks():  # no Content-Length: the server counts what arrives
        for _ in range(40):
            yield b" " * 32768

    streamed = client.post(PREDICT, content=chunks())
    assert streamed.status_code == 413 and "more than" in streamed.json()["error"]
    assert client.get("/livez").status_code == 200  # still serving


# ---------------------------------------------------------------- for people
def _png(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_image_is_read_as_at_training(client, run, tmp_path):
    image = (np.random.default_rng(1).random((40, 36)) * 255).astype(np.uint8)
    (tmp_path / "digit.png").write_bytes(_png(image))
    response = client.post("/predict?top=3", files={"file": ("digit.png", _png(image),
                                                             "image/png")})
    assert response.status_code == 200, response.text
    answer = response.json()
    # What `dlpath predict` does with the file: read_image, the recipe's preprocess.
    recipe = get_recipe("mnist-cnn")
    pixels = read_image(tmp_path / "digit.png", recipe.image_shape, recipe.pixel_max)
    x = recipe.preprocess(recipe.make_config(), pixels[None])
    expected = load_model(run.model).predict(x, verbose=0)[0]
    best = np.argsort(-expected)[:3]
    assert [c["index"] for c in answer["classes"]] == best.tolist()
    np.testing.assert_allclose([c["probability"] for c in answer["classes"]], expected[best],
                               atol=1e-6)
    assert np.array_equal(answer["pixels"], np.rint(pixels / 255 * 255).astype(int))


def test_drawn_pixels_give_the_same_answer_as_the_same_png(client):
    pixels = (np.random.default_rng(2).random((28, 28)) * 255).astype(np.uint8)
    drawn = client.post("/predict", json={"pixels": pixels.tolist()}).json()
    uploaded = client.post("/predict", files={"file": ("d.png", _png(pixels))}).json()
    assert drawn["classes"] == uploaded["classes"]
    assert drawn["pixels"] == pixels.tolist()


@pytest.mark.parametrize("kwargs, status, words", [
    ({"files": {"file": ("x.png", b"not a png", "image/png")}}, 400, "cannot be read"),
    ({"json": {"pixels": [[1, 2]]}}, 400, "expected shape (28, 28), got (1, 2)"),
    ({"json": {"pixels": [[300] * 28] * 28}}, 400, "0..255"),
    ({"json": {"text": "a fine film"}}, 400, "takes image inputs, not text"),
    ({"json": {"both": 1}}, 400, "'pixels'"),
    ({"content": b"raw", "headers": {"content-type": "text/plain"}}, 415, "multipart"),
    ({"data": {"other": "field"}, "files": {"x": ("a", b"b")}}, 400, "'file' field"),
])
def test_bad_inputs_for_people_are_refused_clearly(client, kwargs, status, words):
    response = client.post("/predict", **kwargs)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_top_must_be_a_small_positive_integer(client):
    response = client.post("/predict?top=0", json={"pixels": [[0] * 28] * 28})
    assert response.status_code == 400 and "top" in response.json()["error"]


# ---------------------------------------------------------------- the page's files
def test_the_page_is_self_contained_under_a_strict_csp(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "http" not in page.text.replace('"http', "")  # no CDN: every URL is local
    for name, kind in (("app.js", "javascript"), ("style.css", "css")):
        asset = client.get(f"/page/{name}")
        assert asset.status_code == 200 and kind in asset.headers["content-type"]
        assert "http://" not in asset.text and "https://" not in asset.text
    assert client.get("/page/../app.py").status_code == 404
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


# ---------------------------------------------------------------- batching and metrics
def test_concurrent_requests_are_batched_and_equal_one_by_one_answers(client, server):
    x = samples(24, seed=3)
    one_by_one = [client.post(PREDICT, json={"instances": [row.tolist()]}).json()
                  ["predictions"][0] for row in x]
    before = metric_samples(client)

    async def together():
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as session:
            return await asyncio.gather(*[
                session.post(PREDICT, json={"instances": [row.tolist()]}) for row in x])

    answers = asyncio.run(together())
    assert [a.status_code for a in answers] == [200] * len(x)
    np.testing.assert_allclose([a.json()["predictions"][0] for a in answers], one_by_one,
                               atol=1e-6)
    after = metric_samples(client)
    calls = after[("dlpath_batch_size_count", ())] - before[("dlpath_batch_size_count", ())]
    rows = after[("dlpath_batch_size_sum", ())] - before[("dlpath_batch_size_sum", ())]
    assert rows == len(x) and calls < len(x)  # some model calls ran several requests
    singles = (after[("dlpath_batch_size_bucket", (("le", "1.0"),))]
               - before[("dlpath_batch_size_bucket", (("le", "1.0"),))])
    assert singles < calls or calls < len(x) / 2


def test_metrics_count_requests_by_endpoint_and_code(client):
    before = metric_samples(client)
    client.post(PREDICT, content=b"{")
    client.get("/v1/models/nope")
    after = metric_samples(client)

    def count(endpoint, code, found):
        key = ("dlpath_requests_total", (("code", code), ("endpoint", endpoint)))
        return found.get(key, 0.0)

    assert count("/v1/models/{name}:predict", "400", after) == \
        count("/v1/models/{name}:predict", "400", before) + 1
    assert count("/v1/models/{name}", "404", after) == \
        count("/v1/models/{name}", "404", before) + 1
    assert after[("dlpath_queue_depth", ())] == 0
    assert after[("dlpath_model_ready", ())] == 1
    assert after[("dlpath_request_latency_seconds_count",
                  (("endpoint", "/v1/models/{name}:predict"),))] >= 1
