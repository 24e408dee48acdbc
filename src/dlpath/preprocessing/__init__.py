"""Preprocessing helpers with tf.keras semantics: padding, tokenizing, one-hot labels."""

from .categorical import to_categorical
from .sequence import pad_sequences
from .text import Tokenizer, text_to_word_sequence, tokenizer_from_json

__all__ = [
    "Tokenizer",
    "pad_sequences",
    "text_to_word_sequence",
    "to_categorical",
    "tokenizer_from_json",
]
