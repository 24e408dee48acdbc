"""Tokenizer against hand-computed results of the legacy tf.keras Tokenizer."""

import json
import math

import numpy as np
import pytest

from dlpath.preprocessing import Tokenizer, text_to_word_sequence, tokenizer_from_json

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "My cat, my dog."]
# Counts: the 3, my 3, cat 2, dog 2, then the words seen once in first-seen order.
WORD_INDEX = {"the": 1, "my": 2, "cat": 3, "dog": 4, "sat": 5, "on": 6, "mat": 7, "ate": 8,
              "homework": 9}


def _fitted(**kwargs):
    tokenizer = Tokenizer(**kwargs)
    tokenizer.fit_on_texts(TEXTS)
    return tokenizer


def test_text_to_word_sequence():
    assert text_to_word_sequence("Hello, World! It's me.") == ["hello", "world", "it's", "me"]
    assert text_to_word_sequence("ÜBER\tall\nthe  way") == ["über", "all", "the", "way"]
    assert text_to_word_sequence("a,b,,c", split=",") == ["a", "b", "c"]
    assert text_to_word_sequence("Keep.This", filters="", lower=False) == ["Keep.This"]


def test_vocabulary_ranks_by_count_then_first_seen():
    tokenizer = _fitted()
    assert tokenizer.word_index == WORD_INDEX
    assert tokenizer.index_word == {index: word for word, index in WORD_INDEX.items()}
    assert list(tokenizer.word_counts.items()) == [
        ("the", 3), ("cat", 2), ("sat", 1), ("on", 1), ("mat", 1), ("dog", 2), ("ate", 1),
        ("my", 3), ("homework", 1)]
    assert tokenizer.document_count == 3
    assert dict(tokenizer.word_docs) == {"the": 2, "cat": 2, "sat": 1, "on": 1, "mat": 1,
                                         "dog": 2, "ate": 1, "my": 2, "homework": 1}
    assert tokenizer.index_docs[1] == 2 and tokenizer.index_docs[9] == 1


def test_fitting_twice_accumulates():
    tokenizer = _fitted()
    tokenizer.fit_on_texts(["homework homework homework"])
    assert tokenizer.word_index["homework"] == 1 and tokenizer.word_index["the"] == 2
    assert tokenizer.document_count == 4


def test_texts_to_sequences_drops_unknown_words():
    assert _fitted().texts_to_sequences(["the cat and the dog"]) == [[1, 3, 1, 4]]


def test_num_words_limits_sequences_not_the_vocabulary():
    tokenizer = _fitted(num_words=4)
    assert tokenizer.texts_to_sequences(["the cat and the dog"]) == [[1, 3, 1]]
    assert len(tokenizer.word_index) == 9


def test_oov_token_gets_index_1_and_replaces_unknown_and_cut_words():
    tokenizer = _fitted(oov_token="<OOV>")
    assert tokenizer.word_index["<OOV>"] == 1 and tokenizer.word_index["the"] == 2
    assert tokenizer.texts_to_sequences(["the cat and the dog"]) == [[2, 4, 1, 2, 5]]
    tokenizer.num_words = 5
    assert tokenizer.texts_to_sequences(["the cat and the dog"]) == [[2, 4, 1, 2, 1]]


def test_oov_token_that_occurs_in_the_texts_keeps_keras_indexing():
    tokenizer = Tokenizer(oov_token="x")
    tokenizer.fit_on_texts(["x x y"])
    # Keras lists the oov token first and again by count; the later entry wins.
    assert tokenizer.word_index == {"x": 2, "y": 3}


def test_sequences_to_texts():
    tokenizer = _fitted()
    assert tokenizer.sequences_to_texts([[1, 3, 1, 4, 42]]) == ["the cat the dog"]
    tokenizer.num_words = 4
    assert tokenizer.sequences_to_texts([[1, 3, 1, 4]]) == ["the cat the"]
    with_oov = _fitted(oov_token="<OOV>", num_words=5)
    assert with_oov.sequences_to_texts([[2, 4, 5, 42]]) == ["the cat <OOV> <OOV>"]


def test_texts_to_matrix_modes():
    tokenizer = _fitted()
    texts = ["the the cat", "dog", ""]
    binary = tokenizer.texts_to_matrix(texts, mode="binary")
    assert binary.shape == (3, 10) and binary.dtype == np.float64
    assert np.flatnonzero(binary[0]).tolist() == [1, 3] and binary[0, 1] == 1
    assert np.flatnonzero(binary[1]).tolist() == [4] and not binary[2].any()
    count = tokenizer.texts_to_matrix(texts, mode="count")
    assert count[0, 1] == 2 and count[0, 3] == 1
    freq = tokenizer.texts_to_matrix(texts, mode="freq")
    assert freq[0, 1] == pytest.approx(2 / 3) and freq[1, 4] == 1
    tfidf = tokenizer.texts_to_matrix(texts, mode="tfidf")
    # tf = 1 + ln(count); idf = ln(1 + 3 documents / (1 + 2 documents with the word))
    assert tfidf[0, 1] == pytest.approx((1 + math.log(2)) * math.log(2))
    assert tfidf[0, 3] == pytest.approx(math.log(2))


def test_matrix_width_is_num_words():
    tokenizer = _fitted(num_words=3)
    freq = tokenizer.texts_to_matrix(["the the cat"], mode="freq")
    assert freq.tolist() == [[0.0, 1.0, 0.0]]  # "cat" (3) was cut by texts_to_sequences


def test_sequences_to_matrix_after_fit_on_sequences():
    tokenizer = Tokenizer(num_words=5)
    tokenizer.fit_on_sequences([[1, 2, 2], [2, 3]])
    assert tokenizer.document_count == 2 and dict(tokenizer.index_docs) == {1: 1, 2: 2, 3: 1}
    tfidf = tokenizer.sequences_to_matrix([[2, 7]], mode="tfidf")
    assert tfidf.shape == (1, 5) and tfidf[0, 2] == pytest.approx(math.log(1 + 2 / 3))


def test_matrix_errors():
    with pytest.raises(ValueError, match="Specify a dimension"):
        Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="before using tfidf mode"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(ValueError, match="Unknown vectorization mode: 'onehot'"):
        _fitted().texts_to_matrix(["the"], mode="onehot")


def test_char_level_and_token_lists():
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["AbcA b"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3, " ": 4}
    assert chars.texts_to_sequences(["cab"]) == [[3, 1, 2]]
    lists = Tokenizer()
    lists.fit_on_texts([["Hello", "World"], ["hello"]])
    assert lists.word_index == {"hello": 1, "world": 2}
    assert lists.texts_to_sequences([["WORLD", "x"]]) == [[2]]


def test_options_change_tokenization():
    assert Tokenizer(lower=False).fit_on_texts(["The the the"]) is None
    tokenizer = Tokenizer(lower=False)
    tokenizer.fit_on_texts(["The the the"])
    assert tokenizer.word_index == {"the": 1, "The": 2}
    tokenizer = Tokenizer(filters="")
    tokenizer.fit_on_texts(["a.b a"])
    assert tokenizer.word_index == {"a.b": 1, "a": 2}
    tokenizer = Tokenizer(analyzer=lambda text: text.split("-"))
    tokenizer.fit_on_texts(["b-a-a"])
    assert tokenizer.word_index == {"a": 1, "b": 2}


def test_get_config_and_json_round_trip():
    tokenizer = _fitted(num_words=6, oov_token="<OOV>")
    config = tokenizer.get_config()
    assert set(config) == {"num_words", "filters", "lower", "split", "char_level", "oov_token",
                           "document_count", "word_counts", "word_docs", "index_docs",
                           "index_word", "word_index"}
    assert json.loads(config["word_counts"]) == dict(tokenizer.word_counts)
    assert json.loads(config["index_word"])["1"] == "<OOV>"
    text = tokenizer.to_json()
    assert json.loads(text)["class_name"] == "Tokenizer"
    rebuilt = tokenizer_from_json(text)
    assert rebuilt.word_index == tokenizer.word_index
    assert rebuilt.index_word == tokenizer.index_word
    assert rebuilt.document_count == 3 and rebuilt.num_words == 6
    sample = ["the cat and my dog"]
    assert rebuilt.texts_to_sequences(sample) == tokenizer.texts_to_sequences(sample)
    np.testing.assert_allclose(rebuilt.texts_to_matrix(sample, mode="tfidf"),
                               tokenizer.texts_to_matrix(sample, mode="tfidf"))
