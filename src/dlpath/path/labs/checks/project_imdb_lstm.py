"""Checks of project-imdb-lstm: the learner's saved sentiment model, loaded safely and
evaluated here on the 25,000 official IMDb test reviews, as Keras' ``imdb.load_data`` gives
them (num_words = the model's Embedding input_dim), padded and cut at the front to the
model's input length."""

import numpy as np

from dlpath.layers import RNN, Bidirectional, Embedding
from dlpath.path.labs.checking import check, fail
from dlpath.path.labs.checks import _saved_models as saved
from dlpath.preprocessing import pad_sequences

BAR = 0.85
DEFAULT_MAXLEN = 500  # fed to a model whose input length is free (None)
MAX_MAXLEN = 2500     # longer than every review
PROBE = 64            # test reviews of the quick shape check


def _maxlen(model) -> int:
    shape = saved.input_shape(model)
    if len(shape) != 1 or (shape[0] is not None and not 1 <= shape[0] <= MAX_MAXLEN):
        fail("input_shape", actual=saved.describe(shape),
             expected=f"(batch, maxlen), 1 <= maxlen <= {MAX_MAXLEN}")
    return DEFAULT_MAXLEN if shape[0] is None else shape[0]


def _num_words(model) -> int:
    embeddings = [layer for layer in saved.layers_of(model) if isinstance(layer, Embedding)]
    if not embeddings:
        fail("no_embedding")
    num_words = embeddings[0].input_dim
    if num_words < 4:
        fail("vocabulary_too_small", num_words=num_words)
    return num_words


def _reviews(model, rows=None):
    """(ids (N, maxlen) int64, labels) of the test reviews, or of the ``rows`` among them."""
    sequences, labels = saved.imdb_test(_num_words(model))
    if rows is not None:
        sequences, labels = sequences[rows], labels[rows]
    ids = pad_sequences(list(sequences), maxlen=_maxlen(model), padding="pre",
                        truncating="pre").astype(np.int64)
    return ids, labels


def _predicted_labels(outputs, count: int, what) -> np.ndarray:
    """1 (positive) or 0 from (N, 1) or (N,) probabilities, or from (N, 2) scores."""
    outputs = saved.expect_output(saved.single_output(outputs, what),
                                  [(count, 1), (count,), (count, 2)], what)
    if outputs.ndim == 2 and outputs.shape[1] == 2:
        return np.argmax(outputs, axis=1)
    if outputs.min() < 0 or outputs.max() > 1:
        fail("not_probabilities", low=float(outputs.min()), high=float(outputs.max()),
             **saved.cases(what))
    return (outputs.reshape(-1) > 0.5).astype(np.int64)


@check("loads")
def loads(learner, rng):
    saved.load_learner_model(learner)


@check("recurrent")
def recurrent(learner, rng):
    model = saved.load_learner_model(learner)
    if not saved.has_layer(model, (RNN, Bidirectional)):
        kinds = sorted({type(layer).__name__ for layer in saved.layers_of(model)[1:]}
                       - {"InputLayer"})
        fail("no_recurrent_layer", layers=", ".join(kinds) or "-")


@check("input-shape")
def input_shape(learner, rng):
    model = saved.load_learner_model(learner)
    _maxlen(model)
    _num_words(model)


@check("output-shape")
def output_shape(learner, rng):
    model = saved.load_learner_model(learner)
    rows = rng.choice(25000, PROBE, replace=False)
    ids, _ = _reviews(model, rows)
    what = (f"{PROBE} IMDb test reviews", f"{PROBE} 条 IMDb 测试影评")
    _predicted_labels(saved.predict(model, ids, what), PROBE, what)


@check("test-accuracy")
def test_accuracy(learner, rng):
    model = saved.load_learner_model(learner)
    ids, labels = _reviews(model)
    what = (f"the {len(ids)} IMDb test reviews", f"{len(ids)} 条 IMDb 测试影评")
    predicted = _predicted_labels(saved.predict(model, ids, what), len(ids), what)
    return saved.expect_bar(saved.accuracy(predicted, labels), BAR, len(ids))
