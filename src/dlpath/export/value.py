"""`Value`: one tensor of the ONNX graph being built, as the converters pass it around."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Value:
    """The ONNX name of a tensor, its shape as dlpath sees it (None for the batch axis and
    any unknown size), its dtype, and the name of its Keras mask ((batch, time) booleans,
    as ``Embedding(mask_zero=True)`` makes) or None."""

    name: str
    shape: tuple
    dtype: np.dtype = np.dtype("float32")
    mask: str | None = None

    @property
    def rank(self) -> int:
        return len(self.shape)

    def like(self, name: str, shape=None, mask=None) -> "Value":
        """A new value of this dtype, with ``shape`` (default: this one's) and ``mask``."""
        return Value(name, self.shape if shape is None else tuple(shape), self.dtype, mask)
