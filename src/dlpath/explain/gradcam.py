"""Grad-CAM (Selvaraju, Cogswell, Das, Vedantam, Parikh & Batra 2017, "Grad-CAM: Visual
Explanations from Deep Networks via Gradient-based Localization").

For the feature maps :math:`A^k` (k = 1..K, each u x v) of a convolutional layer and the
class score :math:`y^c` (before the softmax),

.. math::

    \\alpha_k^c = \\frac{1}{Z} \\sum_i \\sum_j \\frac{\\partial y^c}{\\partial A^k_{ij}},
    \\qquad L^c = \\mathrm{ReLU}\\Big(\\sum_k \\alpha_k^c A^k\\Big),

with Z = u v: the gradients global-average-pooled into one weight per map. L^c (u x v) is
then resized to the input (bilinear) to be drawn over it. Any layer with a (N, u, v, K)
output can be chosen; the default is the last convolution of the model, the one the paper
uses. Its output and the gradient with respect to it come from one forward and one
backward pass with the layer's ``call`` hooked, so Sequential, functional and nested models
work alike.
"""

from __future__ import annotations

import numpy as np

from dlpath.explain._model import (ExplainError, all_layers, check_images, find_layer,
                                   gradients, resolve_targets)


def last_conv_layer(model):
    """The last 2-D convolution layer inside ``model``."""
    from dlpath.layers.convolutional import BaseConv

    convs = [layer for layer in all_layers(model)
             if isinstance(layer, BaseConv) and layer.rank == 2]
    if not convs:
        raise ExplainError(f"gradcam: model '{model.name}' has no 2-D convolution layer; "
                           f"give --layer / layer= a layer with a (batch, height, width, "
                           f"channels) output")
    return convs[-1]


def gradcam(model, x, targets=None, layer=None, batch_size: int = 64,
            resize: bool = True) -> np.ndarray:
    """Grad-CAM maps (N, H, W) at ``layer`` (a name or a layer; default the last conv),
    resized to the input's height and width unless ``resize=False`` ((N, u, v))."""
    x = check_images(x, "gradcam")
    chosen = last_conv_layer(model) if layer is None else (
        find_layer(model, layer) if isinstance(layer, str) else layer)
    if x.ndim != 4:
        raise ExplainError(f"gradcam: expected images (N, H, W, C), got shape {x.shape}")
    targets = resolve_targets(model, x, targets)
    maps = []
    for start in range(0, len(x), batch_size):
        rows = slice(start, start + batch_size)
        _, _, [(features, grads)] = gradients(model, x[rows], targets[rows], extra=[chosen])
        if features.ndim != 4:
            raise ExplainError(f"gradcam: layer '{chosen.name}' has output shape "
                               f"{features.shape}; Grad-CAM needs a (batch, height, width, "
                               f"channels) feature map")
        maps.append(cam(features, grads))
    result = np.concatenate(maps)
    return resize_maps(result, x.shape[1:3]) if resize else result


def cam(features: np.ndarray, grads: np.ndarray) -> np.ndarray:
    """ReLU(sum_k alpha_k A^k), alpha_k the spatial mean of dy/dA^k: (N, u, v)."""
    alpha = grads.mean(axis=(1, 2), keepdims=True)  # (N, 1, 1, K)
    return np.maximum((alpha * features).sum(axis=-1), 0.0)  # (N, u, v)


def resize_maps(maps: np.ndarray, size: tuple) -> np.ndarray:
    """Bilinear resize of (N, u, v) maps to (N, H, W), pixel centres aligned."""
    n, u, v = maps.shape
    height, width = int(size[0]), int(size[1])
    if (u, v) == (height, width):
        return maps.astype(np.float32)
    rows = np.clip((np.arange(height) + 0.5) * u / height - 0.5, 0, u - 1)
    cols = np.clip((np.arange(width) + 0.5) * v / width - 0.5, 0, v - 1)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, u - 1), np.minimum(c0 + 1, v - 1)
    fr, fc = (rows - r0)[None, :, None], (cols - c0)[None, None, :]
    top = maps[:, r0][:, :, c0] * (1 - fc) + maps[:, r0][:, :, c1] * fc
    bottom = maps[:, r1][:, :, c0] * (1 - fc) + maps[:, r1][:, :, c1] * fc
    return (top * (1 - fr) + bottom * fr).astype(np.float32)
