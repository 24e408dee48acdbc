"""The project-imdb-lstm lab: an LSTM trained here briefly is evaluated by the checker on the
25,000 official test reviews (its vocabulary and length read from the model) and rejected
below 0.85 with the accuracy it reached; untrained, logit, non-recurrent and wrongly shaped
models and non-model files are rejected with messages that say why."""

import warnings

import numpy as np
import pytest
from harness_project_labs import assert_model_rejected, not_a_model, save

import dlpath
from dlpath import keras
from dlpath.datasets import imdb
from dlpath.preprocessing import pad_sequences

LAB = "project-imdb-lstm"
NUM_WORDS, MAXLEN = 2000, 80


def lstm(seed=0, activation="sigmoid", num_words=NUM_WORDS, maxlen=MAXLEN):
    dlpath.random.set_seed(seed)
    model = keras.Sequential([keras.Input((maxlen,), dtype="int64"),
                              keras.layers.Embedding(num_words, 16),
                              keras.layers.LSTM(8),
                              keras.layers.Dense(1, activation=activation)])
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="binary_crossentropy")
    return model


@pytest.fixture(scope="module")
def reviews():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x, y), (x_test, y_test) = imdb.load_data(num_words=NUM_WORDS)
    pad = lambda s: pad_sequences(list(s), maxlen=MAXLEN).astype(np.int64)  # noqa: E731
    return (pad(x[:3000]), y[:3000]), (pad(x_test), y_test)


def _accuracy(model, x, y):
    return float(np.mean((model.predict(x, batch_size=500, verbose=0)[:, 0] > 0.5) == y))


def test_a_briefly_trained_lstm_gets_its_accuracy_and_is_below_the_bar(reviews, tmp_path):
    (x, y), (x_test, y_test) = reviews
    model = lstm(seed=0)
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    accuracy = _accuracy(model, x_test, y_test)
    assert 0.5 < accuracy < 0.85
    assert_model_rejected(LAB, save(model, tmp_path / "model.keras"), f"is {accuracy:.4f}",
                          "below the bar of 0.85", "25000 official test reviews")


def test_an_untrained_lstm_is_rejected_with_its_accuracy(reviews, tmp_path):
    model = lstm(seed=1)
    accuracy = _accuracy(model, *reviews[1])
    assert_model_rejected(LAB, save(model, tmp_path / "untrained.keras"), f"is {accuracy:.4f}",
                          "below the bar of 0.85")


def test_logits_instead_of_probabilities_are_named(tmp_path):
    model = lstm(activation=None)
    model.layers[-1].set_weights([np.full((8, 1), 3.0, np.float32), np.zeros(1, np.float32)])
    assert_model_rejected(LAB, save(model, tmp_path / "logits.keras"), "probability in [0, 1]",
                          "activation='sigmoid'")


def test_a_model_without_a_recurrent_layer_is_named(tmp_path):
    model = keras.Sequential([keras.Input((MAXLEN,), dtype="int64"),
                              keras.layers.Embedding(NUM_WORDS, 8),
                              keras.layers.GlobalAveragePooling1D(),
                              keras.layers.Dense(1, activation="sigmoid")])
    assert_model_rejected(LAB, save(model, tmp_path / "bag.keras"), "no recurrent layer",
                          "GlobalAveragePooling1D")


def test_a_model_of_the_wrong_input_shape_names_expected_and_actual(tmp_path):
    model = keras.Sequential([keras.Input((MAXLEN, 1)), keras.layers.LSTM(4),
                              keras.layers.Dense(1, activation="sigmoid")])
    assert_model_rejected(LAB, save(model, tmp_path / "floats.keras"), "(batch, 80, 1)",
                          "(batch, maxlen)")


def test_a_recurrent_model_without_embedding_is_named(tmp_path):
    model = keras.Sequential([keras.Input((MAXLEN,)), keras.layers.Reshape((MAXLEN, 1)),
                              keras.layers.LSTM(4), keras.layers.Dense(1, activation="sigmoid")])
    assert_model_rejected(LAB, save(model, tmp_path / "no-embedding.keras"),
                          "no Embedding layer")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path), "could not be read as a dlpath model")
