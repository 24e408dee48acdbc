"""``keras.preprocessing.text``: the legacy Tokenizer."""

from dlpath.preprocessing.text import Tokenizer, text_to_word_sequence, tokenizer_from_json

__all__ = ["Tokenizer", "text_to_word_sequence", "tokenizer_from_json"]
