"""`dlpath serve` under load and at its edges: overload, SIGTERM, keys, text models, onnx."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

import httpx
import numpy as np
import pytest
from serving_support import Server, mnist_run, text_run

from dlpath.saving import load_model

PREDICT = "/v1/models/mnist-cnn:predict"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return mnist_run(tmp_path_factory.mktemp("runs"))


def rows(count: int, seed: int = 0) -> list:
    return np.random.default_rng(seed).random((count, 28, 28, 1)).astype(np.float32).tolist()


async def _fire(url: str, count: int, body: dict, headers=None) -> list:
    async with httpx.AsyncClient(base_url=url, timeout=60,
                                 limits=httpx.Limits(max_connections=count)) as session:
        return await asyncio.gather(*[session.post(PREDICT, json=body, headers=headers)
                                      for _ in range(count)])


def test_a_full_queue_is_503_with_retry_after_then_the_server_recovers(run):
    # One row per model call and 16-row requests: each request holds the model a while.
    server = Server(run.path, "--max-queue", 2, "--max-batch-size", 1).wait_ready()
    try:
        answers = asyncio.run(_fire(server.url, 40, {"instances": rows(16)}))
        codes = [a.status_code for a in answers]
        assert set(codes) <= {200, 503} and codes.count(503) > 0
        refused = next(a for a in answers if a.status_code == 503)
        assert refused.headers["retry-after"] == "1"
        assert "queue is full (2 requests)" in refused.json()["error"]
        again = httpx.post(server.url + PREDICT, json={"instances": rows(1)}, timeout=30)
        assert again.status_code == 200
    finally:
        assert server.stop() == 0


def test_sigterm_answers_the_requests_in_flight_and_exits_0(run):
    server = Server(run.path, "--max-batch-size", 1).wait_ready()

    async def scenario():
        fired = asyncio.ensure_future(_fire(server.url, 12, {"instances": rows(16)}))
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as watcher:
            for _ in range(200):  # until the server holds requests in its queue
                text = (await watcher.get("/metrics")).text
                depth = [line for line in text.splitlines()
                         if line.startswith("dlpath_queue_depth ")]
                if depth and float(depth[0].split()[1]) >= 6:
                    break
                await asyncio.sleep(0.02)
        server.process.send_signal(signal.SIGTERM)
        return await fired

    answers = asyncio.run(scenario())
    assert [a.status_code for a in answers] == [200] * 12
    assert server.stop() == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(server.url + "/livez", timeout=2)


def test_an_api_key_guards_the_model_endpoints_only(run):
    server = Server(run.path, env={"DLPATH_API_KEY": "s3cret"}).wait_ready()
    try:
        url, body = server.url, {"instances": rows(1)}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
            for method, path in (("post", PREDICT), ("get", "/v1/models/mnist-cnn"),
                                 ("post", "/predict")):
                response = getattr(httpx, method)(url + path, headers=headers,
                                                  **({"json": body} if method == "post" else {}))
                assert response.status_code == 401, (path, headers)
                assert response.headers["www-authenticate"] == "Bearer"
        good = {"Authorization": "Bearer s3cret"}
        assert httpx.post(url + PREDICT, json=body, headers=good).status_code == 200
        # The unknown name is not revealed without the key, and is 404 with it.
        assert httpx.get(url + "/v1/models/x").status_code == 401
        assert httpx.get(url + "/v1/models/x", headers=good).status_code == 404
        for path in ("/livez", "/readyz", "/metrics", "/", "/page/app.js"):
            assert httpx.get(url + path).status_code == 200, path
    finally:
        assert server.stop() == 0


def test_a_text_model_reads_reviews_and_checks_token_ids(tmp_path):
    folder = text_run(tmp_path)
    server = Server(folder.path, "--name", "reviews").wait_ready()
    try:
        url = server.url
        meta = httpx.get(url + "/v1/models/reviews/metadata").json()
        assert meta["kind"] == "text" and meta["classes"] == ["negative", "positive"]
        assert meta["input"]["dtype"] == "int64" and meta["input"]["id_limit"] == 1000
        answer = httpx.post(url + "/predict", data={"text": "A wonderful, moving film."})
        assert answer.status_code == 200, answer.text
        classes = answer.json()["classes"]
        assert {c["class"] for c in classes} == {"negative", "positive"}
        assert abs(sum(c["probability"] for c in classes) - 1) < 1e-6
        from dlpath.recipes import get_recipe

        recipe = get_recipe("imdb-lstm")
        config = recipe.make_config({"maxlen": 24, "embedding_dim": 8, "units": 8,
                                     "num_words": 1000})
        ids = recipe.preprocess(config, ["A wonderful, moving film."])
        p = load_model(folder.model).predict(ids, verbose=0)[0, 0]
        assert classes[0]["probability"] == pytest.approx(max(p, 1 - p), abs=1e-6)
        predict = url + "/v1/models/reviews:predict"
        out = httpx.post(predict, json={"instances": ids.tolist()}).json()["predictions"]
        assert out[0][0] == pytest.approx(p, abs=1e-6)
        for instance, words in (([5000] * 24, "[0, 1000)"), ([0.5] * 24, "integer token ids"),
                                ([1] * 23, "expected shape (N, 24)")):
            bad = httpx.post(predict, json={"instances": [instance]})
            assert bad.status_code == 422 and words in bad.json()["error"]
        empty = httpx.post(url + "/predict", json={"text": "  "})
        assert empty.status_code == 400 and "non-empty" in empty.json()["error"]
    finally:
        assert server.stop() == 0


def test_the_onnxruntime_backend_answers_as_the_dlpath_one(run):
    x = rows(5, seed=7)
    expected = load_model(run.model).predict(np.asarray(x, np.float32), verbose=0)
    server = Server(run.path, "--backend", "onnxruntime").wait_ready()
    try:
        meta = httpx.get(server.url + "/v1/models/mnist-cnn").json()["metadata"]
        assert meta["backend"] == "onnxruntime" and meta["input"]["shape"] == [-1, 28, 28, 1]
        answer = httpx.post(server.url + PREDICT, json={"instances": x}).json()
        np.testing.assert_allclose(answer["predictions"], expected, atol=1e-5)
    finally:
        assert server.stop() == 0


def test_serve_errors_are_one_line_before_anything_starts(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    for args, words in (([str(tmp_path / "nowhere")], "no run"),
                        ([str(tmp_path / "notes.txt")], "expected a saved model"),
                        ([str(tmp_path / "notes.txt"), "--max-queue", "0"], "--max-queue")):
        done = subprocess.run([sys.executable, "-m", "dlpath", "serve", *args],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, done.stderr
        assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_loading_freezes_the_loaded_objects_out_of_the_collector(tmp_path):
    """Full collections over the loaded heap cost ~100 ms each; once the model is loaded,
    the server moves what is alive into the collector's permanent generation."""
    import gc

    from dlpath.serve.app import ServerState
    from dlpath.serve.settings import Settings

    class Source:
        def load(self, backend):
            return object()

    gc.unfreeze()
    state = ServerState(Source(), Settings())
    try:
        asyncio.run(state.load())
        assert state.error is None and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
