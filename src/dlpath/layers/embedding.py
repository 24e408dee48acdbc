"""`Embedding`: integer ids -> dense vectors, a lookup in a trainable table."""

from __future__ import annotations

import numpy as np

from dlpath import constraints, initializers, regularizers
from dlpath.engine import Tensor
from dlpath.engine.embedding import embedding_lookup
from dlpath.layers import arguments
from dlpath.layers.layer import Layer, warn_once


class Embedding(Layer):
    """y[b, t] = W[ids[b, t]] with W of shape (input_dim, output_dim).

    The gradient of W is the scatter-add of dL/dy into the looked-up rows (one sparse
    product, `dlpath.engine.embedding.EmbeddingLookup`). With
    ``mask_zero=True`` id 0 is padding: the output carries a mask ``ids != 0`` that recurrent
    layers and pooling honour (and ``input_dim`` must count the padding id).
    """

    casts_inputs = False

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero: bool = False, input_length=None,
                 **kwargs):
        # tf.keras 2's positional order.
        super().__init__(**kwargs)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.input_dim = arguments.positive_int(input_dim, "input_dim", "Embedding")
        self.output_dim = arguments.positive_int(output_dim, "output_dim", "Embedding")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.mask_zero = bool(mask_zero)
        self.input_length = input_length
        if input_length is not None:
            warn_once("input_length", (
                "Embedding(input_length=...) is the tf.keras 2 spelling; it is checked "
                "against the inputs here, but Keras 3 drops it: use keras.Input(shape=(n,))."))
        self.supports_masking = self.mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)

    def call(self, inputs):
        ids = inputs.data
        if ids.dtype.kind == "f":
            if not np.all(ids == np.round(ids)):
                raise ValueError(f"Layer '{self.name}' (Embedding): inputs must be integer "
                                 f"ids, got non-integral floats")
            ids = ids.astype(np.int64)
        elif ids.dtype.kind not in "iu":
            raise TypeError(f"Layer '{self.name}' (Embedding): inputs must be integer ids, "
                            f"got dtype {ids.dtype}")
        if self.input_length is not None and ids.ndim >= 2:
            expected = self.input_length
            if isinstance(expected, int) and ids.shape[1] != expected:
                raise ValueError(f"Layer '{self.name}' (Embedding): input_length={expected} "
                                 f"but the input has shape {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.input_dim):
            raise ValueError(f"Layer '{self.name}' (Embedding): ids must lie in [0, "
                             f"{self.input_dim - 1}] (input_dim={self.input_dim}), got values "
                             f"from {ids.min()} to {ids.max()}")
        outputs = embedding_lookup(self.embeddings, ids)  # (..., output_dim)
        if self.activity_regularizer is not None:
            self._activity_losses.append(self.activity_regularizer(outputs))
        return outputs

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return Tensor(np.asarray(inputs.data) != 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero}
