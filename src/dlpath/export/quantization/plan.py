"""Which layer calls become int8, and which batch normalizations fold into them.

Static quantization takes Dense and Conv2D (channels-last, one group). A
BatchNormalization over the channel axis folds into the Dense or Conv2D right before it
when that layer has no activation and nothing else reads its output:

    y = gamma (x W + b - mu) / sqrt(var + eps) + beta = x (W s) + ((b - mu) s + beta),
    s = gamma / sqrt(var + eps)   (per output channel)

so the folded kernel W s is quantized once, and the BN costs nothing at inference.
Dynamic quantization takes Dense, LSTM and Embedding.
"""

from __future__ import annotations

import numpy as np

from dlpath import activations, layers
from dlpath.layers.input_layer import KerasTensor, _flatten

STATIC = {layers.Dense: "dense", layers.Conv2D: "conv2d"}
DYNAMIC = {layers.Dense: "dynamic_dense", layers.LSTM: "dynamic_lstm",
           layers.Embedding: "embedding"}


def _static_kind(layer):
    kind = STATIC.get(type(layer))
    if kind == "conv2d" and (getattr(layer, "groups", 1) != 1
                             or layer.data_format != "channels_last"):
        return None
    return kind


def plan_static(graph) -> tuple:
    """``({layer name: kind}, {BN name: name of the layer it folds into})``."""
    kinds, calls, readers = {}, {}, {}
    for node in graph.nodes:
        calls[node.layer.name] = calls.get(node.layer.name, 0) + 1
        for item in _flatten([list(node.args), dict(node.kwargs)]):
            if isinstance(item, KerasTensor):
                readers[id(item)] = readers.get(id(item), 0) + 1
        kind = _static_kind(node.layer)
        if kind is not None:
            kinds[node.layer.name] = kind
    for tensor in graph.flat_outputs:
        readers[id(tensor)] = readers.get(id(tensor), 0) + 1
    folds = {}
    for node in graph.nodes:
        if type(node.layer) is not layers.BatchNormalization or not node.args:
            continue
        source = node.args[0]
        producer = getattr(getattr(source, "node", None), "layer", None)
        if (producer is None or producer.name not in kinds or calls[producer.name] != 1
                or calls[node.layer.name] != 1 or readers.get(id(source), 0) != 1
                or producer.activation is not activations.linear
                or not _channel_axis(node.layer, len(source.shape))):
            continue
        folds[node.layer.name] = producer.name
    return kinds, folds


def _channel_axis(bn, rank: int) -> bool:
    axes = bn.axis if isinstance(bn.axis, (list, tuple)) else [bn.axis]
    return [a % rank for a in axes] == [rank - 1]


def plan_dynamic(graph) -> dict:
    """``{layer name: kind}`` of the layers dynamic quantization replaces."""
    return {node.layer.name: DYNAMIC[type(node.layer)] for node in graph.nodes
            if type(node.layer) in DYNAMIC}


def fold_batch_norm(kernel, bias, bn) -> tuple:
    """``(W s, (b - mu) s + beta)`` in float32 (see the module docstring)."""
    scale = 1.0 / np.sqrt(bn.moving_variance.data.astype(np.float64) + bn.epsilon)
    if bn.gamma is not None:
        scale = scale * bn.gamma.data
    shift = -bn.moving_mean.data.astype(np.float64) * scale
    if bn.beta is not None:
        shift = shift + bn.beta.data
    kernel = np.asarray(kernel, np.float64) * scale  # along the last (output) axis
    bias = shift if bias is None else np.asarray(bias, np.float64) * scale + shift
    return kernel.astype(np.float32), bias.astype(np.float32)
