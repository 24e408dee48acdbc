"""Word tokenization and vectorization, as the legacy ``tf.keras.preprocessing.text``.

:class:`Tokenizer` builds a vocabulary from texts and turns texts into lists
of word indices or into document-term matrices:

* ``word_index`` ranks words by count, most frequent first, ties kept in the
  order the words were first seen; index 0 is never assigned, and
  ``oov_token`` (if given) always gets index 1;
* ``num_words`` does not shrink the vocabulary: it only limits which indices
  ``texts_to_sequences``/``sequences_to_texts`` keep (those ``< num_words``)
  and the width of ``texts_to_matrix``.
"""

import json
from collections import OrderedDict, defaultdict

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Split ``text`` into words: lower-case, replace ``filters`` by ``split``, split.

    >>> text_to_word_sequence("Hello, World! It's me.")
    ['hello', 'world', "it's", 'me']
    """
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({char: split for char in filters}))
    return [word for word in text.split(split) if word]


class Tokenizer:
    """Vocabulary builder and text vectorizer (legacy Keras semantics).

    Args:
        num_words: keep only indices ``< num_words`` when converting; None keeps all.
        filters: characters replaced by ``split`` before splitting.
        lower: lower-case the texts.
        split: the word separator.
        char_level: treat every character as a token.
        oov_token: token given index 1 and used for unknown (or cut) words.
        analyzer: optional callable ``text -> tokens`` replacing the default split.
        document_count: initial document count (used when rebuilt from JSON).
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, analyzer=None, document_count=0):
        self.word_counts = OrderedDict()
        self.word_docs = defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        """The tokens of one text (a string, or a list of tokens)."""
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Count words in ``texts`` and rebuild ``word_index`` and ``index_word``."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(tokens):
                self.word_docs[word] += 1
        # Stable sort: equal counts keep first-seen order.
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary.extend(word for word, _ in ranked)
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Update document frequencies from sequences of indices (for ``tfidf``)."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices; see :meth:`texts_to_sequences_generator`."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yield each text as word indices, dropping (or mapping to ``oov_token``)
        unknown words and indices ``>= num_words``."""
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for word in self._tokens(text):
                index = self.word_index.get(word)
                if index is None:
                    if self.oov_token is not None:
                        sequence.append(oov_index)
                elif self.num_words and index >= self.num_words:
                    if oov_index is not None:
                        sequence.append(oov_index)
                else:
                    sequence.append(index)
            yield sequence

    def sequences_to_texts(self, sequences):
        """Each sequence of indices as a space-joined string of words."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yield each sequence as text, with the same rules as ``texts_to_sequences``."""
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is None:
                    if self.oov_token is not None:
                        words.append(self.index_word[oov_index])
                elif self.num_words and index >= self.num_words:
                    if oov_index is not None:
                        words.append(self.index_word[oov_index])
                else:
                    words.append(word)
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """A ``(len(texts), width)`` float64 matrix; see :meth:`sequences_to_matrix`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """Document-term matrix of ``sequences`` in one of :data:`MATRIX_MODES`.

        The width is ``num_words``, else ``len(word_index) + 1``. Per document
        and index ``j`` occurring ``c`` times in a sequence of length ``n``:
        ``binary`` 1, ``count`` c, ``freq`` c / n, and ``tfidf``
        :math:`(1 + \\ln c) \\cdot \\ln(1 + D / (1 + d_j))` with ``D`` the
        document count and ``d_j`` the number of documents containing ``j``.
        """
        if mode not in MATRIX_MODES:
            raise ValueError(
                f"Unknown vectorization mode: {mode!r}; expected one of {MATRIX_MODES}"
            )
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError(
                "Specify a dimension (`num_words` argument), or fit on some text data first."
            )
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), width))
        for row, sequence in enumerate(sequences):
            if not sequence:
                continue
            counts = defaultdict(int)
            for index in sequence:
                if index < width:
                    counts[index] += 1
            for index, count in counts.items():
                matrix[row, index] = self._weight(mode, index, count, len(sequence))
        return matrix

    def _weight(self, mode, index, count, length):
        """One matrix entry for ``mode`` (see :meth:`sequences_to_matrix`)."""
        if mode == "count":
            return count
        if mode == "freq":
            return count / length
        if mode == "binary":
            return 1
        idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
        return (1 + np.log(count)) * idf

    def get_config(self):
        """The configuration and vocabulary, vocabularies as JSON strings (Keras' layout)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """``{"class_name": "Tokenizer", "config": get_config()}`` as a JSON string."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string):
    """Rebuild a :class:`Tokenizer` from :meth:`Tokenizer.to_json`'s output."""
    config = dict(json.loads(json_string).get("config"))
    vocabularies = {
        key: json.loads(config.pop(key))
        for key in ("word_counts", "word_docs", "index_docs", "index_word", "word_index")
    }
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = vocabularies["word_counts"]
    tokenizer.word_docs = vocabularies["word_docs"]
    # JSON turns integer keys into strings; turn them back.
    tokenizer.index_docs = {int(key): value for key, value in vocabularies["index_docs"].items()}
    tokenizer.index_word = {int(key): value for key, value in vocabularies["index_word"].items()}
    tokenizer.word_index = vocabularies["word_index"]
    return tokenizer
