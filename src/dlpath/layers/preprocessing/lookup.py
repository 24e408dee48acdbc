"""`StringLookup` and `IntegerLookup`: a vocabulary maps tokens to indices (and back).

The index space is Keras' (``IndexLookup``):

- ``output_mode="int"``: index 0 is ``mask_token`` (only if one is set), the next
  ``num_oov_indices`` indices are out-of-vocabulary (OOV) buckets, then the vocabulary;
- other modes: no mask index (mask tokens are dropped), the OOV buckets, the vocabulary.

An unknown token goes to the only OOV index, or with several OOV indices to bucket
``fingerprint64(token) mod num_oov_indices`` (strings, FarmHash as
``tf.strings.to_hash_bucket_fast``) or ``token mod num_oov_indices`` (integers). With
``num_oov_indices=0`` an unknown token is an error.

``adapt`` learns the vocabulary: tokens sorted by count, most frequent first, ties broken
as Keras does (``np.lexsort((tokens, counts))[::-1]``: the larger token first), capped at
``max_tokens`` indices in all. For ``"tf_idf"`` it also learns
:math:`\\mathrm{idf}(t) = \\ln(1 + N / (1 + \\mathrm{df}(t)))` over ``N`` documents
(rows), the OOV buckets getting the mean idf. Outputs of ``"multi_hot"``, ``"count"`` and
``"tf_idf"`` (count times idf) are per row (the last axis); ``"one_hot"`` per element.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.preprocessing import hashes
from dlpath.layers.preprocessing.adapt_data import batches
from dlpath.layers.preprocessing.string_inputs import StringInputLayer, as_keys

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(StringInputLayer):
    """The shared lookup (see the module docstring); `StringLookup` and `IntegerLookup`
    only choose the kind of token (``strings``) and the defaults."""

    strings = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", **kwargs):
        output_mode = arguments.choice(output_mode, "output_mode", type(self).__name__,
                                       OUTPUT_MODES)
        kwargs.setdefault("dtype", "int64" if output_mode == "int" else "float32")
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_mode = output_mode
        self.max_tokens = arguments.optional_positive_int(max_tokens, "max_tokens", owner)
        self.num_oov_indices = arguments.non_negative_int(num_oov_indices, "num_oov_indices",
                                                          owner)
        self.mask_token = self._token_argument(mask_token, "mask_token")
        self.oov_token = self._token_argument(oov_token, "oov_token")
        self.invert = bool(invert)
        if self.invert and self.output_mode != "int":
            raise arguments.InvalidArgumentError(
                f"{owner}: invert=True needs output_mode='int', got {self.output_mode!r}")
        if self.max_tokens is not None and self.max_tokens <= self._token_start():
            raise arguments.InvalidArgumentError(
                f"{owner}: max_tokens must exceed the {self._token_start()} index(es) taken "
                f"by the mask and OOV tokens, got {self.max_tokens}")
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        if self.pad_to_max_tokens and self.max_tokens is None:
            raise arguments.InvalidArgumentError(
                f"{owner}: pad_to_max_tokens=True needs max_tokens")
        if sparse:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse must be False: dlpath returns dense arrays")
        self.sparse = False
        self.encoding = encoding
        self._tokens, self._idf, self._index = [], None, {}
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            raise arguments.InvalidArgumentError(f"{owner}: idf_weights needs a vocabulary")

    def _token_argument(self, value, name):
        if value is None:
            return None
        ok = isinstance(value, str) if self.strings else arguments.is_int(value)
        if not ok:
            kind = "a string" if self.strings else "an int"
            raise arguments.ArgumentTypeError(
                f"{type(self).__name__}: {name} must be None or {kind}, got "
                f"{arguments.describe(value)}")
        return value if self.strings else int(value)

    # ------------------------------------------------------------ the index space
    def _mask_index(self) -> bool:
        return self.mask_token is not None and self.output_mode == "int"

    def _token_start(self) -> int:
        return int(self._mask_index()) + self.num_oov_indices

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The token of each index: [mask], OOV tokens, then the vocabulary."""
        if not include_special_tokens:
            return list(self._tokens)
        specials = [self.mask_token] if self._mask_index() else []
        return specials + [self.oov_token] * self.num_oov_indices + list(self._tokens)

    def vocabulary_size(self) -> int:
        return self._token_start() + len(self._tokens)

    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _keys(self, value) -> np.ndarray:
        return as_keys(value, f"Layer '{self.name}' ({type(self).__name__})", self.strings,
                       self.encoding)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Use ``vocabulary`` (a list or array of tokens, or the path of a text file with one
        token per line); leading special tokens in their places are accepted and dropped."""
        owner = f"Layer '{self.name}' ({type(self).__name__})"
        if isinstance(vocabulary, str) and self.strings:
            with open(vocabulary, encoding=self.encoding) as file:
                vocabulary = [line.rstrip("\n").rstrip("\r") for line in file]
        tokens = [t.item() if isinstance(t, np.generic) else t
                  for t in self._keys(list(vocabulary)).tolist()] if len(vocabulary) else []
        specials = self.get_vocabulary()[:self._token_start()]
        dropped = len(specials) if tokens[:len(specials)] == specials and specials else 0
        tokens = tokens[dropped:]
        reserved = {t for t in (self.mask_token, self.oov_token) if t is not None}
        if reserved & set(tokens):
            raise arguments.InvalidArgumentError(
                f"{owner}: the vocabulary holds the reserved token(s) "
                f"{sorted(reserved & set(tokens))} outside their places {specials}")
        if len(set(tokens)) != len(tokens):
            repeated = sorted(t for t, n in Counter(tokens).items() if n > 1)[:5]
            raise arguments.InvalidArgumentError(
                f"{owner}: the vocabulary holds repeated tokens, e.g. {repeated}")
        if self.max_tokens is not None and self._token_start() + len(tokens) > self.max_tokens:
            raise arguments.InvalidArgumentError(
                f"{owner}: a vocabulary of {len(tokens)} tokens plus {self._token_start()} "
                f"special index(es) exceeds max_tokens={self.max_tokens}")
        idf = None
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise arguments.InvalidArgumentError(
                    f"{owner}: output_mode='tf_idf' with a vocabulary needs idf_weights")
            idf = np.asarray(idf_weights, dtype=np.float64).reshape(-1)
            if len(idf) == len(tokens) + dropped:
                idf = idf[dropped:]
            if len(idf) != len(tokens):
                raise arguments.InvalidArgumentError(
                    f"{owner}: idf_weights has {len(idf)} values for {len(tokens)} tokens")
        elif idf_weights is not None:
            raise arguments.InvalidArgumentError(
                f"{owner}: idf_weights is used only with output_mode='tf_idf'")
        self._tokens, self._idf = tokens, idf
        self._index = {t: i + self._token_start() for i, t in enumerate(tokens)}

    # ------------------------------------------------------------ adapt
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary (and idf weights) of ``data``; each row is a document."""
        def rows():
            for batch in batches(data, batch_size, steps, type(self).__name__):
                keys = self._keys(batch)
                yield from (keys.reshape(len(keys), -1) if keys.ndim else keys.reshape(1, 1))
        self.learn(rows())

    def learn(self, rows) -> None:
        """Learn from an iterable of documents, each a sequence of tokens."""
        counts, documents, total = Counter(), Counter(), 0
        reserved = {t for t in (self.mask_token, self.oov_token) if t is not None}
        for row in rows:
            row = [t for t in np.asarray(row).tolist() if t not in reserved]
            counts.update(row)
            documents.update(set(row))
            total += 1
        ranked = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens is not None:
            ranked = ranked[:self.max_tokens - self._token_start()]
        tokens = [token for token, _ in ranked]
        self._tokens = tokens
        self._index = {t: i + self._token_start() for i, t in enumerate(tokens)}
        self._idf = None
        if self.output_mode == "tf_idf":
            frequency = np.asarray([documents[t] for t in tokens], dtype=np.float64)
            self._idf = np.log1p(total / (1.0 + frequency))

    # ------------------------------------------------------------ lookup and encoding
    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The index of each token (int64, the shape of ``keys``); -1 for a dropped mask."""
        flat = keys.reshape(-1).tolist()
        index = np.fromiter((self._index.get(k, -1) for k in flat), np.int64, len(flat))
        mask = np.zeros(len(flat), dtype=bool) if self.mask_token is None else np.fromiter(
            (k == self.mask_token for k in flat), bool, len(flat))
        unknown = (index < 0) & ~mask
        if unknown.any():
            if self.num_oov_indices == 0:
                shown = sorted({flat[i] for i in np.flatnonzero(unknown)[:5]})
                raise arguments.InvalidArgumentError(
                    f"Layer '{self.name}' ({type(self).__name__}): num_oov_indices=0, but "
                    f"the input holds tokens outside the vocabulary, e.g. {shown}")
            index[unknown] = [self._oov_index(flat[i]) for i in np.flatnonzero(unknown)]
        index[mask] = 0 if self._mask_index() else -1
        return index.reshape(keys.shape)

    def _oov_index(self, token) -> int:
        start = int(self._mask_index())
        if self.num_oov_indices == 1:
            return start
        if self.strings:
            bucket = hashes.fingerprint64(token.encode("utf-8")) % self.num_oov_indices
        else:
            bucket = int(token) % self.num_oov_indices
        return start + bucket

    def encode_rows(self, index: np.ndarray, rows: np.ndarray, num_rows: int) -> np.ndarray:
        """(num_rows, depth) multi-hot / count / tf-idf vectors of the ids ``index`` that
        belong to rows ``rows`` (ids of -1 are dropped)."""
        depth = self._depth()
        keep = index >= 0
        out = np.zeros((num_rows, depth), dtype=np.float64)
        if self.output_mode == "multi_hot":
            out[rows[keep], index[keep]] = 1.0
        else:
            np.add.at(out, (rows[keep], index[keep]), 1.0)
        if self.output_mode == "tf_idf":
            out *= self._idf_vector(depth)
        return out.astype(self.dtype)

    def _idf_vector(self, depth: int) -> np.ndarray:
        idf = self._idf if self._idf is not None else np.zeros(0)
        oov = float(idf.mean()) if len(idf) else 0.0
        vector = np.zeros(depth)
        vector[:self._token_start()] = oov
        vector[self._token_start():self._token_start() + len(idf)] = idf
        return vector

    def _invert(self, ids) -> np.ndarray:
        ids = np.asarray(getattr(ids, "data", ids))
        if ids.dtype.kind not in "iu":
            raise arguments.ArgumentTypeError(
                f"Layer '{self.name}' ({type(self).__name__}): invert=True reads integer "
                f"indices, got dtype {ids.dtype}")
        vocabulary = self.get_vocabulary()
        outside = (ids < 0) | (ids >= len(vocabulary))
        table = np.asarray(vocabulary, dtype=str if self.strings else np.int64)
        tokens = table[np.where(outside, 0, ids)] if len(table) else np.full(ids.shape, "")
        oov = self.oov_token if self.oov_token is not None else ("" if self.strings else -1)
        return np.where(outside, np.asarray(oov, dtype=table.dtype), tokens)

    def call(self, inputs):
        if self.invert:
            tokens = self._invert(inputs)
            return tokens if self.strings else Tensor(tokens)
        keys = self._keys(inputs)
        index = self.lookup(keys)
        if self.output_mode == "int":
            return Tensor(index)
        if self.output_mode == "one_hot":
            squeezed = index[..., 0] if index.ndim > 1 and index.shape[-1] == 1 else index
            flat = squeezed.reshape(-1)
            out = self.encode_rows(flat, np.arange(flat.size), flat.size)
            return Tensor(out.reshape(squeezed.shape + (out.shape[-1],)))
        grid = index.reshape(-1, 1) if index.ndim <= 1 else index.reshape(-1, index.shape[-1])
        rows = np.repeat(np.arange(grid.shape[0]), grid.shape[1])
        out = self.encode_rows(grid.reshape(-1), rows, grid.shape[0])
        shape = index.shape[:-1] if index.ndim > 1 else index.shape[:1]
        return Tensor(out.reshape(shape + (out.shape[-1],)))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            max_tokens=self.max_tokens, num_oov_indices=self.num_oov_indices,
            mask_token=self.mask_token, oov_token=self.oov_token, vocabulary=list(self._tokens),
            idf_weights=None if self._idf is None else self._idf.tolist(), invert=self.invert,
            output_mode=self.output_mode, pad_to_max_tokens=self.pad_to_max_tokens,
            sparse=self.sparse, encoding=self.encoding)
        return config


class StringLookup(IndexLookup):
    """``keras.layers.StringLookup``: strings to indices (see the module docstring).

    Args:
        max_tokens: the most indices in all (mask and OOV included), or None.
        num_oov_indices: OOV buckets (default 1).
        mask_token: a token meaning "padding" (index 0 in ``"int"`` mode), or None.
        oov_token: the token returned for OOV indices by ``invert=True`` (``"[UNK]"``).
        vocabulary: tokens (or a file of one token per line), instead of ``adapt``.
        idf_weights: with ``output_mode="tf_idf"`` and a vocabulary, one weight per token.
        invert: map indices back to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"``, ``"tf_idf"``.
        pad_to_max_tokens: vectors of ``max_tokens`` entries whatever the vocabulary size.
    """

    strings = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", **kwargs):
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse, encoding,
                         **kwargs)


class IntegerLookup(IndexLookup):
    """``keras.layers.IntegerLookup``: integer tokens to indices; the arguments are
    `StringLookup`'s, with integer ``mask_token`` (default None) and ``oov_token``
    (default -1)."""

    strings = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        kwargs.pop("encoding", None)
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse, "utf-8",
                         **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("encoding")
        return config
