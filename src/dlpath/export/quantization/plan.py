"""Which layer calls become int8, and which batch normalizations fold into them.

Static quantization takes Dense and Conv2D (channels-last, one group). A
BatchNormalization over the channel axis folds into the Dense or Conv2D right before it
when that layer has no activation and nothing else reads its output:

    y = gamma (x W + b - mu) / sqrt(var + eps) + beta = x (W s) + ((b - mu) s + beta),
    s = gamma / sqrt(var + eps)   (per output channel)

so the folded kernel W s is quantized once, and the BN costs nothing at inference.
Dynamic quantization takes Dense, LSTM and Embedding.

A quantized layer whose output reaches exactly one other quantized layer through layers
that commute with quantization (max pooling, flatten, reshape, dropout, ReLU, a folded
BN) requantizes its output with that layer's input parameters: for a monotone f,
quantize(f(y)) = f(quantize(y)), so the numbers do not change, and the ONNX graph then
has a QuantizeLinear right after the layer, which lets onnxruntime run it as one integer
kernel (QLinearConv, QLinearMatMul) and the layers in between on uint8 values.
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


TRANSPARENT = (layers.MaxPooling2D, layers.Flatten, layers.Reshape, layers.Dropout)


def _transparent(layer, folds) -> bool:
    if layer.name in folds or type(layer) in TRANSPARENT:
        return True
    return type(layer) is layers.Activation and layer.activation is activations.relu


def plan_requantize(graph, kinds: dict, folds: dict) -> dict:
    """``{quantized layer: the quantized layer whose input parameters its output takes}``
    (see the module docstring)."""
    readers, calls = {}, {}
    for node in graph.nodes:
        calls[node.layer.name] = calls.get(node.layer.name, 0) + 1
        for item in _flatten([list(node.args), dict(node.kwargs)]):
            if isinstance(item, KerasTensor):
                readers.setdefault(id(item), []).append(node)
    outputs = {id(t) for t in graph.flat_outputs}
    result = {}
    for node in graph.nodes:
        if node.layer.name not in kinds or calls[node.layer.name] != 1:
            continue
        tensor = node.outputs
        while isinstance(tensor, KerasTensor) and id(tensor) not in outputs:
            following = readers.get(id(tensor), [])
            if len(following) != 1 or calls[following[0].layer.name] != 1:
                break
            layer = following[0].layer
            if layer.name in kinds:
                result[node.layer.name] = layer.name
                break
            if not _transparent(layer, folds):
                break
            tensor = following[0].outputs
    return result


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
