"""Attention maps of Transformer models: what each position attends to.

Every `MultiHeadAttention` inside the model (those inside a `TransformerEncoder` too) is
run with ``return_attention_scores=True`` for one forward pass, and its probabilities

.. math::

    A = \\mathrm{softmax}\\Big(\\frac{Q K^\\top}{\\sqrt{d_k}} + \\text{mask}\\Big)
    \\quad (\\text{batch}, \\text{heads}, T_q, T_k)

are collected, one array per attention layer (Vaswani et al. 2017). `token_attention`
averages them over heads and queries into the attention each token *receives*, a
one-number-per-token summary to colour a text with. Attention weights say where the model
looks, not why it decides (Jain & Wallace 2019); the gradient methods answer the latter.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from dlpath.engine import no_grad
from dlpath.explain._model import ExplainError, all_layers


def attention_layers(model) -> list:
    from dlpath.layers.attention import MultiHeadAttention

    return [layer for layer in all_layers(model) if isinstance(layer, MultiHeadAttention)]


@contextlib.contextmanager
def _recording_scores(layer, seen: list):
    layer._call_accepts("training")
    original = layer.call

    @functools.wraps(original)
    def call(*args, **kwargs):
        kwargs["return_attention_scores"] = True
        output, scores = original(*args, **kwargs)
        seen.append(scores.numpy())
        return output

    layer.call = call
    try:
        yield
    finally:
        del layer.call


def attention_maps(model, x, batch_size: int = 64) -> dict:
    """``{layer name: (N, heads, T_q, T_k) attention probabilities}`` for inputs ``x``."""
    layers = attention_layers(model)
    if not layers:
        raise ExplainError(f"attention_maps: model '{model.name}' has no MultiHeadAttention "
                           f"layer")
    collected = {layer.name: [] for layer in layers}
    for start in range(0, len(x), batch_size):
        with no_grad(), contextlib.ExitStack() as stack:
            for layer in layers:
                stack.enter_context(_recording_scores(layer, collected[layer.name]))
            model(x[start:start + batch_size], training=False)
    return {name: np.concatenate(parts) for name, parts in collected.items()}


def token_attention(maps: dict) -> np.ndarray:
    """(N, T) attention received per token: mean over layers, heads and queries."""
    stacked = np.stack([m.mean(axis=(1, 2)) for m in maps.values()])  # (L, N, T)
    return stacked.mean(axis=0)
