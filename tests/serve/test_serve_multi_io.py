"""Models with several inputs and outputs: TensorFlow Serving's named formats, both backends.

The parsing functions and the batcher are tested in-process; the rest runs a real
`dlpath serve` subprocess on a model with two inputs (``features``, ``tokens``) and two
outputs (``label``, ``score``).
"""

from __future__ import annotations

import asyncio
import json

import httpx
import numpy as np
import pytest
from serving_support import Server, chromium_driver, metric_samples, two_io_model

from dlpath.serve.batcher import Batcher
from dlpath.serve.predictor import InputSpec, OutputSpec, model_spec
from dlpath.serve.schemas import RequestError, parse_predict, predict_response

PREDICT = "/v1/models/pair:predict"
SPECS = (InputSpec("features", (4,), np.dtype("float32")),
         InputSpec("tokens", (6,), np.dtype("int64"), id_limit=50))


def batch(count: int, seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    return (rng.random((count, 4)).astype(np.float32),
            rng.integers(0, 50, (count, 6)).astype(np.int64))


def instances(features, tokens) -> list:
    return [{"features": f, "tokens": t} for f, t in zip(features.tolist(), tokens.tolist())]


def parse(value) -> tuple:
    request = parse_predict(json.dumps(value).encode(), SPECS)
    return request.inputs, request.columnar


# ---------------------------------------------------------------- parsing, in-process
def test_named_rows_and_columns_parse_to_one_array_per_input_in_order():
    features, tokens = batch(3)
    for body, columnar in (({"instances": instances(features, tokens)}, False),
                           ({"inputs": {"tokens": tokens.tolist(),
                                        "features": features.tolist()}}, True)):
        (x_features, x_tokens), was_columnar = parse(body)
        assert was_columnar is columnar
        assert x_features.dtype == np.float32 and x_tokens.dtype == np.int64
        np.testing.assert_array_equal(x_features, features)
        np.testing.assert_array_equal(x_tokens, tokens)


@pytest.mark.parametrize("body, status, words", [
    ({"instances": [{"features": [0] * 4}]}, 400,
     "instances[0]: missing input(s) ['tokens']; expected the inputs ['features', 'tokens'], "
     "got ['features']"),
    ({"instances": [{"features": [0] * 4, "tokens": [0] * 6, "extra": 1}]}, 400,
     "instances[0]: unknown input(s) ['extra']"),
    ({"instances": [[0] * 4]}, 400, "expected an object keyed by the model's 2 input names"),
    ({"inputs": [[0] * 4]}, 400, "inputs: expected an object keyed by the model's 2 input"),
    ({"inputs": {"features": [[0] * 4]}}, 400, "inputs: missing input(s) ['tokens']"),
    ({"inputs": {"features": [[0] * 4], "tokens": []}}, 400,
     "inputs['tokens']: expected a non-empty list"),
    ({"inputs": {"features": [[0] * 4] * 3, "tokens": [[0] * 6] * 2}}, 422,
     "inputs: every input needs the same batch length, got 'features': 3, 'tokens': 2"),
    ({"instances": [{"features": [0] * 5, "tokens": [0] * 6}]}, 422,
     "instances, input 'features': expected shape (N, 4), got (1, 5)"),
    ({"inputs": {"features": [[0] * 4], "tokens": [[0.5] * 6]}}, 422,
     "inputs['tokens']: expected integer token ids (int64), got float64"),
    ({"instances": [{"features": ["a"] * 4, "tokens": [0] * 6}]}, 422,
     "instances, input 'features': expected float32 numbers, got strings"),
    ({"instances": [{"features": [0] * 4, "tokens": [50] * 6}]}, 422,
     "instances, input 'tokens': token ids must be in [0, 50)"),
])
def test_parse_errors_name_the_input_and_expected_vs_actual(body, status, words):
    with pytest.raises(RequestError) as raised:
        parse(body)
    assert raised.value.status == status
    assert words in str(raised.value)


def test_one_input_keeps_bare_and_named_values():
    spec = (InputSpec("x", (2,), np.dtype("float32")),)
    for body in ({"instances": [[1, 2]]}, {"instances": [{"x": [1, 2]}]},
                 {"inputs": [[1, 2]]}, {"inputs": {"x": [[1, 2]]}}):
        (x,) = parse_predict(json.dumps(body).encode(), spec).inputs
        np.testing.assert_array_equal(x, [[1, 2]])


def test_responses_key_several_outputs_by_name_and_keep_one_output_bare():
    label, score = np.arange(6.0).reshape(2, 3), np.array([[7.0], [8.0]])
    names = ["label", "score"]
    assert predict_response((label, score), names, columnar=False) == {"predictions": [
        {"label": [0, 1, 2], "score": [7]}, {"label": [3, 4, 5], "score": [8]}]}
    assert predict_response((label, score), names, columnar=True) == {"outputs": {
        "label": label.tolist(), "score": score.tolist()}}
    assert predict_response((score,), ["score"], columnar=False) == {"predictions": [[7], [8]]}
    assert predict_response((score,), ["score"], columnar=True) == {"outputs": [[7], [8]]}


def test_model_spec_names_every_input_and_output_and_finds_each_id_limit(tmp_path):
    from dlpath import keras

    model = two_io_model(tmp_path / "pair.keras")
    inputs, outputs = model_spec(model)
    assert inputs == [InputSpec("features", (4,), np.dtype("float32"), None),
                      InputSpec("tokens", (6,), np.dtype("int64"), 50)]
    assert outputs == [OutputSpec("label", (3,)), OutputSpec("score", (1,))]
    # Two id inputs, each read by its own Embedding; a third reaches none.
    a = keras.Input(shape=(3,), dtype="int64", name="a")
    b = keras.Input(shape=(3,), dtype="int64", name="b")
    c = keras.Input(shape=(3,), dtype="int64", name="c")
    ea = keras.layers.Flatten()(keras.layers.Embedding(20, 2)(keras.layers.Reshape((3,))(a)))
    eb = keras.layers.Flatten()(keras.layers.Embedding(7, 2)(b))
    merged = keras.layers.Concatenate()([ea, eb, keras.layers.Lambda(lambda t: t * 1.0)(c)])
    inputs, _ = model_spec(keras.Model([a, b, c], keras.layers.Dense(1)(merged)))
    assert [spec.id_limit for spec in inputs] == [20, 7, None]


def test_both_predictors_warm_up_and_predict_one_array_per_output(tmp_path):
    from dlpath.serve.predictor import load_predictor

    model = two_io_model(tmp_path / "pair.keras")
    xs = batch(3, seed=5)
    expected = model.predict(list(xs), verbose=0)
    for backend in ("dlpath", "onnxruntime"):
        predictor = load_predictor(tmp_path / "pair.keras", backend)
        warm = predictor.warm_up()  # zeros for each input
        assert [w.shape for w in warm] == [(1, 3), (1, 1)]
        assert predictor.outputs == (OutputSpec("label", (3,)), OutputSpec("score", (1,)))
        assert [spec.id_limit for spec in predictor.inputs] == [None, 50]
        outputs = predictor.predict(xs)
        assert len(outputs) == 2 and all(o.dtype == np.float32 for o in outputs)
        for got, want in zip(outputs, expected):
            np.testing.assert_allclose(got, want, atol=1e-5)


def test_the_batcher_concatenates_each_input_and_splits_each_output():
    calls = []

    def predict(xs):  # two inputs -> two outputs that tell the rows apart
        calls.append(len(xs[0]))
        return xs[0] * 2.0, xs[1].sum(axis=1, keepdims=True).astype(np.float32)

    async def scenario():
        batcher = Batcher(predict, max_batch_size=4, max_latency=0.05)
        batcher.start()
        requests = [batch(n, seed=n) for n in (1, 3, 2, 5)]
        answers = await asyncio.gather(*[batcher.submit(xs) for xs in requests])
        with pytest.raises(ValueError, match="same rows"):
            await batcher.submit((np.zeros((2, 4)), np.zeros((3, 6))))
        await batcher.stop()
        return requests, answers

    requests, answers = asyncio.run(scenario())
    for (features, tokens), (doubled, sums) in zip(requests, answers):
        np.testing.assert_array_equal(doubled, features * 2.0)
        np.testing.assert_array_equal(sums, tokens.sum(axis=1, keepdims=True))
    assert sum(calls) == 11 and max(calls) <= 4 and len(calls) < 11


# ---------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "pair.keras"
    two_io_model(path)
    return path


@pytest.fixture(scope="module")
def expected(model_file):
    """``(inputs, [label, score])``: what the saved model predicts for a batch."""
    from dlpath.saving import load_model

    xs = batch(5, seed=11)
    return xs, load_model(model_file).predict(list(xs), verbose=0)


@pytest.fixture(scope="module")
def server(model_file):
    # A long batching window, so that concurrent requests surely meet in one batch.
    server = Server(model_file, "--max-latency-ms", 40).wait_ready()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def check_answers(client, xs, outputs) -> None:
    """Row and columnar requests of ``xs`` give ``outputs`` (label, score), keyed by name."""
    label, score = outputs
    rows = client.post(PREDICT, json={"instances": instances(*xs)})
    assert rows.status_code == 200, rows.text
    predictions = rows.json()["predictions"]
    assert [sorted(p) for p in predictions] == [["label", "score"]] * len(label)
    np.testing.assert_allclose([p["label"] for p in predictions], label, atol=1e-5)
    np.testing.assert_allclose([p["score"] for p in predictions], score, atol=1e-5)
    columns = client.post(PREDICT, json={"inputs": {"features": xs[0].tolist(),
                                                    "tokens": xs[1].tolist()}})
    assert columns.status_code == 200, columns.text
    answer = columns.json()["outputs"]
    assert list(answer) == ["label", "score"]
    np.testing.assert_allclose(answer["label"], label, atol=1e-5)
    np.testing.assert_allclose(answer["score"], score, atol=1e-5)


def test_metadata_lists_every_input_and_output(client):
    meta = client.get("/v1/models/pair").json()["metadata"]
    assert meta["inputs"] == [
        {"name": "features", "shape": [-1, 4], "dtype": "float32", "id_limit": None},
        {"name": "tokens", "shape": [-1, 6], "dtype": "int64", "id_limit": 50}]
    assert meta["outputs"] == [{"name": "label", "shape": [-1, 3]},
                               {"name": "score", "shape": [-1, 1]}]
    assert meta["kind"] == "tensor" and meta["image"] is None
    assert meta["input"] is None and meta["output"] is None
    assert client.get("/v1/models/pair/metadata").json() == meta


def test_row_and_columnar_answers_equal_the_saved_model(client, expected):
    check_answers(client, *expected)


@pytest.mark.parametrize("body, status, words", [
    ({"instances": [{"features": [0] * 4}]}, 400, "missing input(s) ['tokens']"),
    ({"instances": [{"features": [0] * 4, "tokens": [0] * 6, "ids": [1]}]}, 400,
     "unknown input(s) ['ids']"),
    ({"inputs": {"features": [[0] * 4] * 2, "tokens": [[0] * 6]}}, 422,
     "same batch length, got 'features': 2, 'tokens': 1"),
    ({"instances": [{"features": [0] * 4, "tokens": [0] * 5}]}, 422,
     "input 'tokens': expected shape (N, 6), got (1, 5)"),
    ({"inputs": {"features": [[True] * 4], "tokens": [[0] * 6]}}, 422,
     "inputs['features']: expected float32 numbers, got booleans"),
    ({"instances": [{"features": [0] * 4, "tokens": [-1] * 6}]}, 422,
     "input 'tokens': token ids must be in [0, 50), got values from -1"),
])
def test_bad_named_inputs_are_refused_over_http(client, body, status, words):
    response = client.post(PREDICT, json=body)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_concurrent_requests_are_batched_and_equal_one_by_one_answers(client, server):
    requests = [batch(1 + i % 3, seed=100 + i) for i in range(16)]

    def body(xs):
        return {"instances": instances(*xs)}

    one_by_one = [client.post(PREDICT, json=body(xs)).json()["predictions"]
                  for xs in requests]
    before = metric_samples(client)

    async def together():
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as session:
            return await asyncio.gather(*[session.post(PREDICT, json=body(xs))
                                          for xs in requests])

    answers = asyncio.run(together())
    assert [a.status_code for a in answers] == [200] * len(requests)
    for answer, alone in zip(answers, one_by_one):
        got = answer.json()["predictions"]
        assert len(got) == len(alone)
        for name in ("label", "score"):
            np.testing.assert_allclose([p[name] for p in got], [p[name] for p in alone],
                                       atol=1e-6)
    after = metric_samples(client)
    calls = after[("dlpath_batch_size_count", ())] - before[("dlpath_batch_size_count", ())]
    rows = after[("dlpath_batch_size_sum", ())] - before[("dlpath_batch_size_sum", ())]
    assert rows == sum(len(xs[0]) for xs in requests) and calls < len(requests)


def test_predict_for_people_points_a_model_with_two_inputs_to_the_rest_api(client):
    for kwargs in ({"json": {"text": "a fine film"}}, {"json": {"pixels": [[0] * 4]}},
                   {"data": {"text": "a fine film"}}):
        response = client.post("/predict", **kwargs)
        assert response.status_code == 422, response.text
        assert response.json()["error"] == (
            "model 'pair' has 2 inputs ('features', 'tokens'); an image or a text fills only "
            "one: send all of them with POST /v1/models/pair:predict")


def test_the_page_explains_the_inputs_in_both_languages(server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chromium_driver()
    if driver is None:
        pytest.fail("the page test needs Chromium, its WebDriver and Selenium: apt-get "
                    "install -y chromium chromium-driver; pip install selenium",
                    pytrace=False)
    try:
        driver.get(server.url + "/")
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(
            "return document.documentElement.dataset.ready === 'true'"))
        for hidden in ("image-panel", "text-panel", "result-panel"):
            assert not driver.find_element(By.ID, hidden).is_displayed(), hidden
        assert driver.find_element(By.ID, "several-panel").is_displayed()
        text = driver.find_element(By.ID, "several-text").text
        assert "This model has 2 inputs (features, tokens)" in text
        assert "POST /v1/models/pair:predict" in text
        example = json.loads(driver.find_element(By.ID, "several-example").text)
        assert list(example["instances"][0]) == ["features", "tokens"]
        driver.find_element(By.ID, "language").click()
        text = driver.find_element(By.ID, "several-text").text
        assert "该模型有 2 个输入（features, tokens）" in text and "POST /v1/models/pair" in text
        assert driver.find_element(By.CSS_SELECTOR, "#several-panel h2").text == "多个输入"
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()


def test_the_onnxruntime_backend_answers_as_the_dlpath_one(model_file, expected):
    server = Server(model_file, "--backend", "onnxruntime").wait_ready()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            meta = client.get("/v1/models/pair/metadata").json()
            assert meta["backend"] == "onnxruntime"
            assert [i["id_limit"] for i in meta["inputs"]] == [None, 50]
            assert [o["name"] for o in meta["outputs"]] == ["label", "score"]
            check_answers(client, *expected)
            response = client.post(PREDICT, json={"inputs": {"features": [[0] * 4]}})
            assert response.status_code == 400 and "['tokens']" in response.json()["error"]
    finally:
        assert server.stop() == 0
