"""What the IMDb recipes share: the data splits and turning texts into padded id sequences.

Ids follow Keras' ``imdb.load_data``: 0 padding, 1 start of review, 2 out of vocabulary
(words ranked ``num_words - 3`` or lower), and word rank + 3 for the others.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dlpath.datasets import imdb
from dlpath.preprocessing import pad_sequences, text_to_word_sequence
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe

CLASS_NAMES = ["negative", "positive"]
START, OOV, INDEX_FROM = 1, 2, 3


def load_splits(recipe, config):
    """IMDb's 25,000 training reviews (15% held out for validation) and 25,000 test ones."""
    train, test = imdb.load_data(num_words=config.num_words)
    return _splits.from_official_split(recipe, config, train, test, CLASS_NAMES, "sequence")


@lru_cache(maxsize=1)
def _word_index() -> dict:
    return imdb.get_word_index()


def encode_text(text: str, num_words: int) -> list:
    """A review's ids: Keras' tokenizer rule (lower case, punctuation removed), then ranks."""
    index = _word_index()
    ids = [START]
    for word in text_to_word_sequence(text):
        rank = index.get(word)
        if rank is not None:
            ids.append(rank + INDEX_FROM if rank + INDEX_FROM < num_words else OOV)
    return ids


def to_inputs(samples, config) -> np.ndarray:
    """Id sequences (or raw texts) -> (N, maxlen) int64, padded and cut at the front."""
    sequences = [encode_text(s, config.num_words) if isinstance(s, str) else list(s)
                 for s in samples]
    return pad_sequences(sequences, maxlen=config.maxlen, padding="pre",
                         truncating="pre").astype(np.int64)


class ImdbRecipe(Recipe):
    """A recipe on IMDb reviews: the shared splits (steps 1-2); subclasses build the model."""

    dataset = "IMDb"

    def load_data(self, config):
        # 1-2. Splits, then padding (see preprocess).
        return load_splits(self, config)

    def preprocess(self, config, samples):
        return to_inputs(samples, config)  # (N, maxlen) ids
