"""Attributions: which parts of an input a model's decision rests on, and whether the
maps pass their own sanity checks.

- `saliency`, `smoothgrad` (gradients), `integrated_gradients` (with its completeness
  check), `gradcam` (any 2-D conv layer), `occlusion`: maps for batches of images, for the
  predicted class unless ``targets`` says otherwise;
- `token_attributions` (IG on the embedding output, per token) and `attention_maps` for
  text models;
- `sanity_check`: the model-parameter and label randomization tests of Adebayo et al.
  (2018), which flag a method whose maps do not depend on the model.
"""

from dlpath.explain._model import ExplainError, class_scores
from dlpath.explain.attention import attention_maps, token_attention
from dlpath.explain.gradcam import gradcam, last_conv_layer
from dlpath.explain.gradients import heatmap, saliency, smoothgrad
from dlpath.explain.integrated import IntegratedGradients, integrated_gradients
from dlpath.explain.occlusion import occlusion
from dlpath.explain.sanity import (THRESHOLD, SanityResult, rank_correlation,
                                   sanity_check, train_on_shuffled_labels)
from dlpath.explain.text import token_attributions

__all__ = [
    "saliency", "smoothgrad", "integrated_gradients", "IntegratedGradients", "gradcam",
    "last_conv_layer", "occlusion", "heatmap", "token_attributions", "attention_maps",
    "token_attention", "sanity_check", "SanityResult", "rank_correlation",
    "train_on_shuffled_labels", "THRESHOLD", "ExplainError", "class_scores",
]
