"""`CountedNormalization`: `Normalization` with Keras' third statistic, ``count``.

Keras' ``Normalization`` keeps ``mean``, ``variance`` and a scalar ``count`` (the number
of samples ``adapt`` has seen). EfficientNet's published ``.h5`` files hold all three for
its ``normalization`` layer and its documented parameter counts include them, so the
EfficientNet models use this layer. ``count`` is not used in the computation:
:math:`y = (x - \\mu) / \\max(\\sqrt{\\sigma^2}, \\epsilon)` as in `Normalization`.
"""

from __future__ import annotations

import numpy as np

from dlpath.layers.preprocessing.adapt_data import batches
from dlpath.layers.preprocessing.normalization import Normalization
from dlpath.saving import register_serializable


@register_serializable("dlpath")
class CountedNormalization(Normalization):
    """`Normalization` with a non-trainable int64 scalar weight ``count`` after ``mean`` and
    ``variance`` (only when they are learned, not given), which ``adapt`` sets."""

    def build(self, input_shape) -> None:
        super().build(input_shape)
        if self.input_mean is None:
            self.count = self.add_weight("count", (), "zeros", dtype="int64", trainable=False)

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """As `Normalization.adapt`; ``count`` becomes the number of values per statistic."""
        chunks = [np.asarray(b) for b in batches(data, batch_size, steps, type(self).__name__)]
        super().adapt(chunks)
        if self.input_mean is None:
            total = sum(int(np.prod([c.shape[a] for a in range(c.ndim) if a not in self._kept]))
                        for c in chunks)
            self.count.data[...] = np.int64(total)
