"""A text run's report colours the words of a few test reviews by their attribution:
training computes Integrated Gradients on the embedding and keeps them in
``<run>/explanations/explanations.json``; the report only reads that file."""

from __future__ import annotations

import html
import re
import shutil

import numpy as np
import pytest
from headless_chromium import chromium

from dlpath import cli, explain
from dlpath.datasets import imdb
from dlpath.explain import report as explain_report
from dlpath.layers.layer import reset_names
from dlpath import random as dlrandom
from dlpath.reports import explanations
from dlpath.reports.samples import imdb_decoder
from dlpath.saving import load_model
from dlpath.workflow import RunFolder, evaluation, files

TINY = {"maxlen": 40, "num_words": 1000, "embedding_dim": 8, "units": 8}
WORDS = 30  # fewer than maxlen: the reviews are cut to their last words
SCREENSHOT = "/tmp/text_report.png"
RED, BLUE = "rgba(214, 39, 40", "rgba(31, 119, 180"
PRAISE = "great wonderful best love excellent beautiful perfect funny".split()
BLAME = "bad worst awful boring waste terrible stupid poor".split()
FILLER = ("the movie film and a of to was is it this that with but story acting plot "
          "characters i in").split()


def small_imdb(*args, num_words=None, **kwargs):
    """IMDb's form (start mark, word rank + 3; Keras' ranks of common words) on 256 + 64
    short made-up reviews of 20 to 60 words, so the run needs no reading of imdb.npz."""
    from dlpath.datasets import imdb

    index = imdb.get_word_index()
    rng = np.random.default_rng(0)

    def split(count):
        labels = rng.integers(0, 2, size=count)
        reviews = np.empty(count, dtype=object)
        for n, label in enumerate(labels):
            moods = (PRAISE, BLAME) if label else (BLAME, PRAISE)
            words = rng.choice(FILLER, size=rng.integers(20, 61)).tolist()
            for mood, share in zip(moods, (0.2, 0.05)):
                spots = rng.random(len(words)) < share
                words = [str(rng.choice(mood)) if s else w for w, s in zip(words, spots)]
            reviews[n] = [1] + [index[w] + 3 for w in words]
        return reviews, labels.astype(np.int64)

    return split(256), split(64)


@pytest.fixture(scope="module")
def text_run(tmp_path_factory) -> RunFolder:
    """A tiny imdb-lstm run: one epoch on 256 made-up reviews (15% held out), tested on
    64; every review is cut to its last `WORDS` words."""
    parent = tmp_path_factory.mktemp("runs")
    settings = [item for key, value in TINY.items() for item in ("--set", f"{key}={value}")]
    reset_names()
    dlrandom.set_seed(0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(imdb, "load_data", small_imdb)
        patch.setattr(explain_report, "WORDS_SHOWN", WORDS)
        assert cli.main(["train", "imdb-lstm", "--epochs", "1", "--out", str(parent),
                         "--verbose", "0", *settings]) == 0
    return RunFolder(next(parent.iterdir()))


@pytest.fixture
def copied_run(text_run, tmp_path) -> RunFolder:
    return RunFolder(shutil.copytree(text_run.path, tmp_path / text_run.path.name))


def _saved(run) -> dict:
    return files.read_json(run.path / "explanations" / "explanations.json")


def _section(page: str) -> str:
    section = page[page.index("<h2>Explanations</h2>"):]
    return section[:section.index("</section>")]


def test_training_keeps_the_word_attributions_of_right_and_wrong_reviews(text_run):
    saved = _saved(text_run)
    assert saved["counts"] == {"correct": 4, "wrong": 4}
    assert re.search(r"completeness within 1% for \d of 8 samples", saved["integrated_gradients"])
    result = evaluation.load(text_run.predictions, {}, ["negative", "positive"], "sequence")
    reviews = saved["reviews"]
    wrong = [r["test_index"] for r in reviews if not r["correct"]]
    assert wrong == result.mistakes(4).tolist()  # the most confident mistakes
    decode = imdb_decoder()
    for review in reviews:
        i = review["test_index"]
        assert review["correct"] == bool(result.y_true[i] == result.y_pred[i])
        assert review["predicted"] == ["negative", "positive"][result.y_pred[i]]
        assert review["true"] == ["negative", "positive"][result.y_true[i]]
        assert review["probability"] == pytest.approx(result.probabilities[i].max(), abs=1e-4)
        assert len(review["words"]) == len(review["attributions"]) <= WORDS
        assert isinstance(review["complete"], bool)
    for i in wrong:  # their inputs are kept with the predictions: the words are theirs
        review = next(r for r in reviews if r["test_index"] == i)
        words = decode(result.kept[i]).split()  # no padding, no start mark
        assert review["words"] == words[-WORDS:]
        assert review["earlier_words"] == max(0, len(words) - WORDS)
    assert any(r["earlier_words"] > 0 for r in reviews)  # some are cut


def test_the_attributions_are_integrated_gradients_on_the_embedding(text_run):
    saved = _saved(text_run)
    result = evaluation.load(text_run.predictions, {}, ["negative", "positive"], "sequence")
    review = next(r for r in saved["reviews"] if not r["correct"])
    ids = result.kept[review["test_index"]][None]
    model = load_model(text_run.model)
    scores, _ = explain.token_attributions(model, ids, targets=result.y_pred[[review[
        "test_index"]]], steps=explain_report.TEXT_IG_STEPS,
        max_steps=explain_report.TEXT_IG_MAX_STEPS)
    words = scores[0, ids[0] > 1][-WORDS:]  # no padding, no start mark
    assert np.allclose(review["attributions"], words, rtol=2e-3, atol=1e-9)
    assert np.abs(review["attributions"]).max() > 0


def test_the_report_colours_every_word_red_for_and_blue_against(text_run):
    section = _section(text_run.report.read_text(encoding="utf-8"))
    saved = _saved(text_run)
    spans = re.findall(r'<span title="([^"]+)" style="background: rgba\((\d+,\d+,\d+),'
                       r'([\d.]+)\); padding: 0 1px">([^<]*)</span>', section)
    words = [w for review in saved["reviews"] for w in review["words"]]
    shown = [html.unescape(span[3]) for span in spans[2:]]  # the key's two spans first
    assert shown == words
    values = [a for review in saved["reviews"] for a in review["attributions"]]
    for (title, colour, alpha, _), value in zip(spans[2:], values):
        assert colour == ("214,39,40" if value >= 0 else "31,119,180")
        assert float(title) == pytest.approx(value, rel=5e-3)  # 3 digits
        assert 0.0 <= float(alpha) <= 0.85
    assert {c for _, c, _, _ in spans[2:]} == {"214,39,40", "31,119,180"}
    assert "the word pushes towards the predicted class" in section
    cut = next(r["earlier_words"] for r in saved["reviews"] if r["earlier_words"])
    assert f"<i>[{cut} earlier words]</i> <span" in section
    assert "4 correctly classified test reviews and the 4 most confident mistakes" in section
    assert "completeness within 1%" in section


def test_html_in_a_review_is_escaped(copied_run):
    saved = _saved(copied_run)
    saved["reviews"][0]["words"][0] = '<script>alert("x")</script>'
    saved["reviews"][0]["predicted"] = "<b>positive</b>"
    files.write_json(copied_run.path / "explanations" / "explanations.json", saved)
    _, text = explanations.section(copied_run.path)
    assert "<script>" not in text and "<b>positive</b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</span>" in text
    assert "&lt;b&gt;positive&lt;/b&gt;" in text


def test_rebuilding_the_report_runs_no_model(copied_run, monkeypatch):
    from dlpath.models.trainer import Trainer

    def refuse(*args, **kwargs):
        raise AssertionError("the report must not run the model")

    monkeypatch.setattr(explain, "token_attributions", refuse)
    for method in ("predict", "evaluate", "__call__"):
        monkeypatch.setattr(Trainer, method, refuse, raising=False)
    copied_run.report.unlink()
    assert cli.main(["report", str(copied_run.path)]) == 0
    section = _section(copied_run.report.read_text(encoding="utf-8"))
    words = sum(len(review["words"]) for review in _saved(copied_run)["reviews"])
    assert section.count("<span title=") == 2 + words


def test_without_the_files_there_is_no_section(copied_run):
    path = copied_run.path / "explanations" / "explanations.json"
    saved = _saved(copied_run)
    saved["reviews"][1]["attributions"].pop()
    files.write_json(path, saved)
    heading, text = explanations.section(copied_run.path)
    assert heading == "Explanations" and "does not hold readable word attributions" in text
    assert f"{WORDS} words but {WORDS - 1} attributions" in text
    shutil.rmtree(copied_run.path / "explanations")
    assert explanations.section(copied_run.path) is None
    assert cli.main(["report", str(copied_run.path)]) == 0
    assert "<h2>Explanations</h2>" not in copied_run.report.read_text(encoding="utf-8")


def test_a_text_model_without_an_embedding_leaves_the_reason(tmp_path):
    from dlpath import keras

    model = keras.Sequential([keras.Input(shape=(6,), dtype="int64"),
                              keras.layers.Dense(1, activation="sigmoid")])
    x = np.arange(48, dtype=np.int64).reshape(8, 6) % 7
    probabilities = evaluation.class_probabilities(model.predict(x, verbose=0))
    result = evaluation.Evaluation({}, x, np.arange(8) % 2, probabilities,
                                   ["negative", "positive"], "sequence")
    assert explain_report.write_explanations(RunFolder(tmp_path), None, model, result)
    saved = files.read_json(tmp_path / "explanations" / "explanations.json")
    assert "has no Embedding layer" in saved["error"]


# ---------------------------------------------------------------- the page in Chromium
def test_the_coloured_words_in_chromium(text_run):
    with chromium() as driver:
        driver.get(text_run.report.as_uri())
        heading = driver.find_element("xpath", "//h2[text()='Explanations']")
        section = heading.find_element("xpath", "..")
        colours = driver.execute_script(
            "return Array.from(arguments[0].querySelectorAll('span[title]'))"
            ".map(s => getComputedStyle(s).backgroundColor)", section)
        assert len(colours) == 2 + sum(len(r["words"]) for r in _saved(text_run)["reviews"])
        assert any(c.startswith(RED) for c in colours)
        assert any(c.startswith(BLUE) for c in colours)
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1100, min(height + 100, 8000))
        assert section.screenshot(SCREENSHOT)
