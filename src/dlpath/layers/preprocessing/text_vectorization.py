"""`TextVectorization`: strings to token indices or bag-of-words vectors.

Each input string goes through: ``standardize`` (lower case and/or strip punctuation),
``split`` (into tokens), ``ngrams`` (add n-grams, joined by a space), then a
`StringLookup` with ``mask_token=""`` and ``oov_token="[UNK]"``: in ``"int"`` mode index 0
is padding and index 1 unknown words, as in Keras.
"""

from __future__ import annotations

import re

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.preprocessing.adapt_data import batches
from dlpath.layers.preprocessing.lookup import StringLookup
from dlpath.layers.preprocessing.string_inputs import StringInputLayer, as_strings

# Keras' DEFAULT_STRIP_REGEX: ASCII punctuation (",-." is the range from ',' to '.').
STRIP_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
STANDARDIZE = (None, "lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = (None, "whitespace", "character")
OUTPUT_MODES = ("int", "multi_hot", "count", "tf_idf")


def standardize_text(text: str, mode) -> str:
    if callable(mode):
        return mode(text)
    if mode in ("lower", "lower_and_strip_punctuation"):
        text = text.lower()
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = STRIP_PUNCTUATION.sub("", text)
    return text


def split_text(text: str, mode) -> list:
    if callable(mode):
        return list(mode(text))
    if mode == "whitespace":
        return text.split()
    if mode == "character":
        return list(text)
    return [text]


def with_ngrams(tokens: list, widths: tuple) -> list:
    """All n-grams of each width in ``widths``, width by width (as ``tf.strings.ngrams``)."""
    if not widths:
        return tokens
    grams = []
    for n in widths:
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _ngram_widths(ngrams, owner: str) -> tuple:
    if ngrams is None:
        return ()
    if arguments.is_int(ngrams):
        return tuple(range(1, arguments.positive_int(ngrams, "ngrams", owner) + 1))
    if isinstance(ngrams, (list, tuple)) and ngrams and all(
            arguments.is_int(n) and n >= 1 for n in ngrams):
        return tuple(int(n) for n in ngrams)
    raise arguments.ArgumentTypeError(
        f"{owner}: ngrams must be None, a positive int or a tuple of positive ints, got "
        f"{arguments.describe(ngrams)}")


def _mode(value, name: str, owner: str, allowed: tuple):
    if value is None or callable(value):
        return value
    return arguments.choice(value, name, owner, tuple(a for a in allowed if a))


class TextVectorization(StringInputLayer):
    """``keras.layers.TextVectorization``: texts (B,) or (B, 1) to integers or vectors.

    Args:
        max_tokens: the largest vocabulary, padding and ``[UNK]`` included.
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``,
            ``"strip_punctuation"``, None, or a function of one ``str`` returning a ``str``
            (a function cannot be saved in a model file).
        split: ``"whitespace"`` (default), ``"character"``, None (one token per text), or a
            function of one ``str`` returning its tokens.
        ngrams: None, n (all n-grams from 1 to n) or a tuple of n-gram widths.
        output_mode: ``"int"`` (B, T) indices, padded with 0; ``"multi_hot"``, ``"count"``
            or ``"tf_idf"`` (B, vocabulary size) vectors, index 0 being ``[UNK]``.
        output_sequence_length: with ``"int"``, pad or cut every row to this length
            (without it rows are padded to the longest text of the batch, at least 1).
        pad_to_max_tokens: vectors of ``max_tokens`` entries whatever the vocabulary size.
        vocabulary / idf_weights: a vocabulary (and its idf weights) instead of ``adapt``.
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", **kwargs):
        output_mode = arguments.choice(output_mode, "output_mode", "TextVectorization",
                                       OUTPUT_MODES)
        kwargs.setdefault("dtype", "int64" if output_mode == "int" else "float32")
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.standardize = _mode(standardize, "standardize", owner, STANDARDIZE)
        self.split = _mode(split, "split", owner, SPLIT)
        self.ngrams = ngrams
        self._widths = _ngram_widths(ngrams, owner)
        self.output_mode = output_mode
        self.output_sequence_length = arguments.optional_positive_int(
            output_sequence_length, "output_sequence_length", owner)
        if self.output_sequence_length is not None and output_mode != "int":
            raise arguments.InvalidArgumentError(
                f"{owner}: output_sequence_length is used only with output_mode='int', "
                f"not {output_mode!r}")
        if sparse or ragged:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse and ragged must be False: dlpath returns dense arrays")
        self.encoding = encoding
        self._lookup = StringLookup(
            max_tokens=max_tokens, num_oov_indices=1, mask_token="", oov_token="[UNK]",
            vocabulary=vocabulary, idf_weights=idf_weights, output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens, encoding=encoding, dtype=self.dtype,
            name=f"{self.name}_lookup")

    # ------------------------------------------------------------ vocabulary
    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        return self._lookup.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        self._lookup.set_vocabulary(vocabulary, idf_weights)

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary from texts (arrays, lists of batches, generators)."""
        def documents():
            for batch in batches(data, batch_size, steps, type(self).__name__):
                yield from self.tokenize(batch)
        self._lookup.learn(documents())

    # ------------------------------------------------------------ tokens
    def tokenize(self, texts) -> list:
        """One list of tokens (n-grams included) per text of ``texts`` (B,) or (B, 1)."""
        owner = f"Layer '{self.name}' (TextVectorization)"
        texts = as_strings(texts, owner, self.encoding)
        if texts.ndim == 2 and texts.shape[1] == 1:
            texts = texts[:, 0]
        if texts.ndim != 1:
            raise arguments.InvalidArgumentError(
                f"{owner}: expected texts of shape (batch,) or (batch, 1), got shape "
                f"{texts.shape}")
        return [with_ngrams(split_text(standardize_text(str(t), self.standardize),
                                       self.split), self._widths) for t in texts]

    def call(self, inputs):
        documents = self.tokenize(inputs)
        lengths = [len(d) for d in documents]
        flat = np.asarray([t for d in documents for t in d], dtype=str)
        index = self._lookup.lookup(flat)
        rows = np.repeat(np.arange(len(documents)), lengths)
        if self.output_mode != "int":
            return Tensor(self._lookup.encode_rows(index, rows, len(documents)))
        length = self.output_sequence_length or max(max(lengths, default=0), 1)
        positions = np.concatenate([np.arange(n) for n in lengths]) if flat.size else \
            np.zeros(0, dtype=np.int64)
        keep = positions < length
        out = np.zeros((len(documents), length), dtype=np.int64)
        out[rows[keep], positions[keep]] = index[keep]
        return Tensor(out)

    def get_config(self) -> dict:
        config = super().get_config()
        lookup = self._lookup.get_config()
        config.update(
            max_tokens=lookup["max_tokens"], standardize=self.standardize, split=self.split,
            ngrams=self.ngrams, output_mode=self.output_mode,
            output_sequence_length=self.output_sequence_length,
            pad_to_max_tokens=lookup["pad_to_max_tokens"], vocabulary=lookup["vocabulary"],
            idf_weights=lookup["idf_weights"], sparse=False, ragged=False,
            encoding=self.encoding)
        return config
