"""Word attributions for text models: Integrated Gradients on the embedding output.

Token ids are not continuous, so the path of Integrated Gradients runs through the output
E (N, T, C) of the model's embedding layer instead: from a baseline E' to E, with the
layer's output replaced by the interpolated embeddings,

.. math::

    \\mathrm{IG}_{t,d} = (E - E')_{t,d} \\int_0^1 \\frac{\\partial F(E' + \\alpha (E - E'))}
    {\\partial E_{t,d}} \\, d\\alpha, \\qquad a_t = \\sum_d \\mathrm{IG}_{t,d},

and :math:`a_t` is the attribution of token t (Sundararajan et al. 2017, section 6.3,
attribute to the embedding and sum per word). Completeness,
:math:`\\sum_t a_t = F(E) - F(E')`, is checked as for images (`integrated`).

The baseline is by default the embedding of a review made of padding only (id 0 at every
position: every word "absent", positions kept), so padding positions get exactly 0.
``baseline="zeros"`` takes E' = 0 as the paper does; with a position embedding and layer
normalization (a post-norm Transformer) F is then constant along the path except at 0,
where it jumps, and the completeness check fails.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, no_grad
from dlpath.explain._model import (ExplainError, class_scores, find_layer, frozen,
                                   replace_output, resolve_targets, _selector)
from dlpath.explain.integrated import TOLERANCE, integrate
from dlpath.engine.tape import vector_jacobian


def embedding_layer(model):
    """The model's outermost embedding layer (Embedding or token+position embedding)."""
    from dlpath.layers.embedding import Embedding
    from dlpath.layers.transformer import PositionalEmbedding

    for layer in model.layers:
        if isinstance(layer, (Embedding, PositionalEmbedding)):
            return layer
    raise ExplainError(f"token_attributions: model '{model.name}' has no Embedding layer at "
                       f"its top level; give layer= the layer whose output to attribute")


def token_attributions(model, ids, targets=None, layer=None, steps: int = 16,
                       max_steps: int = 128, tolerance: float = TOLERANCE,
                       batch_size: int = 128, baseline: str = "padding"):
    """``(a, result)``: per-token attributions (N, T) and the `IntegratedGradients` result
    on the embedding output (its completeness check included); ``baseline`` is
    ``"padding"`` (the embedding of id 0 everywhere) or ``"zeros"``."""
    if baseline not in ("padding", "zeros"):
        raise ExplainError(f"token_attributions: baseline must be 'padding' or 'zeros', got "
                           f"{baseline!r}")
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.dtype.kind not in "iu":
        raise ExplainError(f"token_attributions: expected token ids (N, T) of an integer "
                           f"type, got shape {ids.shape} and dtype {ids.dtype}")
    chosen = embedding_layer(model) if layer is None else (
        find_layer(model, layer) if isinstance(layer, str) else layer)
    targets = resolve_targets(model, ids, targets)
    with no_grad():
        embedded = np.asarray(chosen(ids).numpy(), dtype=np.float32)  # (N, T, C)
        start = (np.asarray(chosen(np.zeros_like(ids)).numpy(), dtype=np.float32)
                 if baseline == "padding" else np.zeros_like(embedded))  # (N, T, C)

    def grad_fn(points, point_targets, point_ids):
        source = Tensor(points, requires_grad=True)
        with frozen(model), replace_output(chosen, source):
            scores = class_scores(model, point_ids)
        seed = _selector(scores, point_targets)
        [grad] = vector_jacobian([scores], [seed], [source], retain_graph=False)
        grad = np.zeros_like(points) if grad is None else grad
        return grad, (scores.numpy() * seed).sum(axis=1)

    result = integrate(grad_fn, embedded, start, targets, steps,
                       max_steps, tolerance, batch_size, context=ids)
    return result.attributions.sum(axis=-1), result
