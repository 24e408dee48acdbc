"""`Hashing`: strings or integers to bins by a stable hash (the "hashing trick")."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.preprocessing import hashes
from dlpath.layers.preprocessing.category_encoding import encode
from dlpath.layers.preprocessing.string_inputs import StringInputLayer, as_strings

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def _salt(value, owner: str):
    if value is None:
        return None
    if arguments.is_int(value):
        return [int(value), int(value)]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
            arguments.is_int(v) for v in value):
        return [int(v) for v in value]
    raise arguments.ArgumentTypeError(
        f"{owner}: salt must be None, an int or a pair of ints, got "
        f"{arguments.describe(value)}")


class Hashing(StringInputLayer):
    """``keras.layers.Hashing(num_bins, mask_value=None, salt=None, output_mode="int")``.

    Each value (a string, or an integer, hashed as its decimal string as Keras does) goes
    to bin ``hash(value) mod num_bins``; with ``mask_value``, that value goes to bin 0 and
    the others to ``1 + hash mod (num_bins - 1)``.

    The hashes are Keras' own, so the bins equal Keras' bins: without ``salt``, FarmHash
    Fingerprint64 (``hashes.fingerprint64``, through the ``cityhash`` package); with
    ``salt`` (an int k, meaning the key (k, k), or a pair of ints), SipHash-2-4 keyed by it
    (``hashes.siphash24``). ``output_mode`` ``"one_hot"``, ``"multi_hot"`` or ``"count"``
    encodes the bins as `CategoryEncoding` does, with ``num_tokens=num_bins``.
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        kwargs.setdefault("dtype", "int64" if output_mode == "int" else "float32")
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.num_bins = arguments.positive_int(num_bins, "num_bins", owner)
        if mask_value is not None and self.num_bins < 2:
            raise arguments.InvalidArgumentError(
                f"{owner}: num_bins must be >= 2 when mask_value is set (bin 0 is the "
                f"mask's), got {num_bins}")
        if mask_value is not None and not isinstance(mask_value, str) and not \
                arguments.is_int(mask_value):
            raise arguments.ArgumentTypeError(
                f"{owner}: mask_value must be None, a string or an int, got "
                f"{arguments.describe(mask_value)}")
        self.mask_value = mask_value
        self.salt = _salt(salt, owner)
        self.output_mode = arguments.choice(output_mode, "output_mode", owner, OUTPUT_MODES)
        if sparse:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse must be False: dlpath returns dense arrays")
        self.sparse = False

    def _hash(self, text: str) -> int:
        data = text.encode("utf-8")
        if self.salt is None:
            return hashes.fingerprint64(data)
        return hashes.siphash24(self.salt[0], self.salt[1], data)

    def bins(self, values) -> np.ndarray:
        """The bin of each value, as an int64 array of the input's shape."""
        owner = f"Layer '{self.name}' (Hashing)"
        array = values.data if isinstance(values, Tensor) else np.asarray(values)
        if array.dtype.kind in "iub":
            texts = array.astype(np.int64).astype(str)
        elif array.dtype.kind == "f":
            raise arguments.ArgumentTypeError(
                f"{owner}: expected strings or integers, got floats ({array.dtype})")
        else:
            texts = as_strings(array, owner)
        mask = None if self.mask_value is None else texts == str(self.mask_value)
        bins = self.num_bins if mask is None else self.num_bins - 1
        cache: dict = {}
        flat = texts.reshape(-1)
        hashed = np.empty(flat.shape, dtype=np.int64)
        for i, text in enumerate(flat):
            if text not in cache:
                cache[text] = self._hash(text) % bins
            hashed[i] = cache[text]
        hashed = hashed.reshape(texts.shape)
        if mask is not None:
            hashed = np.where(mask, 0, hashed + 1)
        return hashed

    def call(self, inputs):
        bins = self.bins(inputs)
        if self.output_mode == "int":
            return Tensor(bins)
        return Tensor(encode(bins, self.num_bins, self.output_mode, dtype=self.dtype,
                             owner=f"Layer '{self.name}' (Hashing)"))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_bins=self.num_bins, mask_value=self.mask_value, salt=self.salt,
                      output_mode=self.output_mode, sparse=self.sparse)
        return config
