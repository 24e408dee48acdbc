"""How to show a misclassified text sample: IMDb ids back to words."""

from __future__ import annotations

import numpy as np

# Keras' IMDb ids: 0 padding, 1 start of review, 2 out of vocabulary, word rank + 3.
_RESERVED = {0: None, 1: None, 2: "?"}
_INDEX_FROM = 3


def imdb_decoder():
    """A function that turns a padded sequence of IMDb ids back into words."""
    from dlpath.datasets import imdb

    words = {rank + _INDEX_FROM: word for word, rank in imdb.get_word_index().items()}

    def decode(ids) -> str:
        tokens = []
        for token in np.asarray(ids).reshape(-1).tolist():
            word = _RESERVED[token] if token in _RESERVED else words.get(token, "?")
            if word is not None:
                tokens.append(word)
        return " ".join(tokens)

    return decode
