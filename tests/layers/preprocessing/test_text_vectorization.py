"""TextVectorization: Keras' vocabulary order, standardization, n-grams, output modes, and
string inputs inside models."""

import numpy as np
import pytest

from dlpath.layers import Dense, Embedding, GlobalAveragePooling1D, TextVectorization
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import load_model

TEXTS = np.array(["The cat sat.", "The dog sat!", "a Cat, a dog; THE end"])


def test_vocabulary_by_frequency_ties_broken_by_larger_token_first():
    layer = TextVectorization()
    layer.adapt(TEXTS)
    # counts: the 3, a 2, cat 2, dog 2, sat 2, end 1; ties: larger string first
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat", "dog", "cat", "a", "end"]
    assert layer.vocabulary_size() == 8
    assert layer.get_vocabulary(include_special_tokens=False)[0] == "the"


def test_int_output_pads_with_zero_and_marks_unknown_words_one():
    layer = TextVectorization(vocabulary=["the", "cat", "sat"])
    out = layer(np.array(["the cat sat on the mat", "Cat"])).data
    np.testing.assert_array_equal(out, [[2, 3, 4, 1, 2, 1], [3, 0, 0, 0, 0, 0]])
    fixed = TextVectorization(vocabulary=["the", "cat"], output_sequence_length=3)
    np.testing.assert_array_equal(fixed(["the cat the cat", "cat"]).data,
                                  [[2, 3, 2], [3, 0, 0]])
    np.testing.assert_array_equal(fixed(np.array([["cat"], ["the"]])).data,
                                  [[3, 0, 0], [2, 0, 0]])


def test_max_tokens_counts_padding_and_unknown():
    layer = TextVectorization(max_tokens=4)
    layer.adapt(TEXTS)
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat"]


@pytest.mark.parametrize("standardize, expected", [
    ("lower_and_strip_punctuation", ["hello", "world", "its"]),
    ("lower", ["hello,", "world!", "it's"]),
    ("strip_punctuation", ["Hello", "WORLD", "Its"]),
    (None, ["Hello,", "WORLD!", "It's"]),
])
def test_standardize_modes(standardize, expected):
    layer = TextVectorization(standardize=standardize)
    assert layer.tokenize(["Hello, WORLD! It's"])[0] == expected


def test_ngrams_and_character_split():
    layer = TextVectorization(ngrams=2)
    assert layer.tokenize(["a b c"])[0] == ["a", "b", "c", "a b", "b c"]
    assert TextVectorization(ngrams=(3,)).tokenize(["a b c d"])[0] == ["a b c", "b c d"]
    assert TextVectorization(split="character").tokenize(["Ab c"])[0] == ["a", "b", " ", "c"]
    assert TextVectorization(split=None).tokenize(["Ab c"])[0] == ["ab c"]


def test_multi_hot_count_and_tf_idf():
    layer = TextVectorization(output_mode="count")
    layer.adapt(TEXTS)
    vocabulary = layer.get_vocabulary()
    assert vocabulary[0] == "[UNK]"
    out = layer(["the the dog zebra"]).data[0]
    assert out[vocabulary.index("the")] == 2 and out[0] == 1 and out.sum() == 4
    multi = TextVectorization(output_mode="multi_hot", vocabulary=vocabulary[1:])
    np.testing.assert_array_equal(multi(["the the dog zebra"]).data[0], np.minimum(out, 1))
    tf_idf = TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(TEXTS)
    documents = {"the": 3, "a": 1, "cat": 2, "dog": 2, "sat": 2, "end": 1}
    idf = {t: np.log(1 + 3 / (1 + n)) for t, n in documents.items()}
    out = tf_idf(["the the end zebra"]).data[0]
    vocabulary = tf_idf.get_vocabulary()
    np.testing.assert_allclose(out[vocabulary.index("the")], 2 * idf["the"], rtol=1e-6)
    np.testing.assert_allclose(out[vocabulary.index("end")], idf["end"], rtol=1e-6)
    np.testing.assert_allclose(out[0], np.mean([idf[t] for t in vocabulary[1:]]), rtol=1e-6)
    padded = TextVectorization(output_mode="multi_hot", max_tokens=20, pad_to_max_tokens=True)
    padded.adapt(TEXTS)
    assert padded(["cat"]).shape == (1, 20)


def test_adapt_on_batches_and_generators_equals_adapt_on_the_array():
    whole = TextVectorization()
    whole.adapt(TEXTS)
    for data in ([TEXTS[:2], TEXTS[2:]], (t for t in [TEXTS[:1], TEXTS[1:]])):
        layer = TextVectorization()
        layer.adapt(data)
        assert layer.get_vocabulary() == whole.get_vocabulary()


def test_string_inputs_flow_through_a_functional_and_a_sequential_model(tmp_path):
    texts = np.array(["good movie", "bad movie", "great film", "awful film"] * 4)
    labels = np.array([1.0, 0.0, 1.0, 0.0] * 4)
    vectorize = TextVectorization(output_sequence_length=3)
    vectorize.adapt(texts)
    inputs = Input((1,), dtype="string")
    x = GlobalAveragePooling1D()(Embedding(vectorize.vocabulary_size(), 4)(vectorize(inputs)))
    model = Model(inputs, Dense(1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(texts[:, None], labels, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    model.save(tmp_path / "text.keras")
    loaded = load_model(tmp_path / "text.keras")
    assert loaded.layers[1].get_vocabulary() == vectorize.get_vocabulary()
    np.testing.assert_array_equal(loaded.predict(texts[:, None], verbose=0),
                                  model.predict(texts[:, None], verbose=0))
    stack = Sequential([Input((1,), dtype="string"), vectorize, Embedding(12, 2),
                        GlobalAveragePooling1D(), Dense(1)])
    stack.compile(optimizer="sgd", loss="mse")
    stack.fit(texts, labels, epochs=1, verbose=0)
    assert stack.predict(texts[:3], verbose=0).shape == (3, 1)


def test_errors_name_the_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="output_sequence_length"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(InvalidArgumentError, match="TextVectorization: output_mode"):
        TextVectorization(output_mode="one_hot")
    with pytest.raises(InvalidArgumentError, match="shape"):
        TextVectorization()(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="expected strings"):
        TextVectorization()(np.array([1.0, 2.0]))
    with pytest.raises(InvalidArgumentError, match="repeated"):
        TextVectorization(vocabulary=["a", "a"])
    with pytest.raises(TypeError, match="ngrams"):
        TextVectorization(ngrams="two")
