"""``K.backend()`` and the cross-entropies Keras 2 programs call through ``K``."""

import numpy as np
import torch

from dlpath.keras import backend as K


def test_backend_name():
    assert K.backend() == "dlpath"


def test_categorical_crossentropies_match_torch():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 5)).astype("float32")
    labels = np.array([0, 3, 1, 4])
    one_hot = np.eye(5, dtype="float32")[labels]
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels),
                                                 reduction="none").numpy()
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(K.categorical_crossentropy(one_hot, probabilities).numpy(),
                               expected, rtol=1e-5)
    np.testing.assert_allclose(
        K.sparse_categorical_crossentropy(labels, logits, from_logits=True).numpy(),
        expected, rtol=1e-5)
