"""`CategoryEncoding`: integer ids to one-hot, multi-hot or count vectors."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.preprocessing.string_inputs import as_integers

OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def encode(ids: np.ndarray, depth: int, output_mode: str, weights=None, dtype="float32",
           owner: str = "CategoryEncoding") -> np.ndarray:
    """Encode integer ``ids`` (values in ``[0, depth)``) as Keras does.

    - ``one_hot``: each id becomes a vector of ``depth``; a last axis of size 1 is
      replaced by it, otherwise one is appended: (B,) -> (B, depth), (B, 1) -> (B, depth),
      (B, T) -> (B, T, depth).
    - ``multi_hot``: each sample (the last axis) becomes one vector with 1 at every id it
      holds: (B,) is read as (B, 1); (B, T) -> (B, depth).
    - ``count``: like multi_hot, with the number of times each id occurs (or the sum of
      ``weights``, of the shape of ``ids``, at its places).
    """
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= depth):
        raise arguments.InvalidArgumentError(
            f"{owner}: every input value must lie in [0, num_tokens) = [0, {depth}), got "
            f"values from {ids.min()} to {ids.max()}")
    if output_mode == "one_hot":
        if ids.ndim >= 1 and ids.shape[-1] == 1 and ids.ndim > 1:
            ids = ids[..., 0]
        return np.eye(depth, dtype=dtype)[ids]
    if ids.ndim <= 1:
        ids = ids.reshape(-1, 1) if ids.ndim == 1 else ids.reshape(1, 1)
        weights = None if weights is None else np.asarray(weights).reshape(ids.shape)
    rows = ids.reshape(-1, ids.shape[-1])
    out = np.zeros((rows.shape[0], depth), dtype=dtype)
    row_index = np.repeat(np.arange(rows.shape[0]), rows.shape[1])
    if output_mode == "multi_hot":
        out[row_index, rows.reshape(-1)] = 1
    else:
        values = 1 if weights is None else np.asarray(weights, dtype=dtype).reshape(-1)
        np.add.at(out, (row_index, rows.reshape(-1)), values)
    return out.reshape(ids.shape[:-1] + (depth,))


class CategoryEncoding(Layer):
    """``keras.layers.CategoryEncoding(num_tokens, output_mode="multi_hot")``.

    Integer inputs in ``[0, num_tokens)`` become float vectors of ``num_tokens`` (see
    `encode`); ``layer(ids, count_weights=w)`` sums ``w`` in ``"count"`` mode. The input
    holds indices, so no gradient flows back to it.
    """

    casts_inputs = False

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        if num_tokens is None:
            raise arguments.InvalidArgumentError(f"{owner}: num_tokens must be given")
        self.num_tokens = arguments.positive_int(num_tokens, "num_tokens", owner)
        self.output_mode = arguments.choice(output_mode, "output_mode", owner, OUTPUT_MODES)
        if sparse:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse must be False: dlpath returns dense arrays")
        self.sparse = False

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (CategoryEncoding): count_weights is used only with "
                f"output_mode='count', not {self.output_mode!r}")
        ids = as_integers(inputs, f"Layer '{self.name}' (CategoryEncoding)")
        weights = None if count_weights is None else np.asarray(
            getattr(count_weights, "data", count_weights))
        if weights is not None and weights.shape != ids.shape:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (CategoryEncoding): count_weights must have the "
                f"input's shape {ids.shape}, got {weights.shape}")
        return Tensor(encode(ids, self.num_tokens, self.output_mode, weights, self.dtype,
                             f"Layer '{self.name}' (CategoryEncoding)"))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_tokens=self.num_tokens, output_mode=self.output_mode,
                      sparse=self.sparse)
        return config
