"""`quantize_model` (static, calibrated) and `quantize_dynamic`.

Static post-training quantization of a float model:

1. Plan: the Dense and Conv2D calls to quantize, the BatchNormalizations to fold.
2. Calibrate: run the float model on ``calibration_data`` and record the range of each
   planned layer's input, by min-max or by percentile (`calibration`).
3. Quantize: per layer, uint8 input parameters from its range, the (folded) kernel in
   int8 per output channel, the bias in int32 at s_x s_w (`affine`).

Dynamic quantization needs no data: the weights of Dense, LSTM and Embedding layers are
quantized per channel, their inputs at run time (`dynamic_layers`).
"""

from __future__ import annotations

import numpy as np

from dlpath.export.graph import model_graph
from dlpath.export.quantization.affine import asymmetric_from_range
from dlpath.export.quantization.calibration import make_observer
from dlpath.export.quantization.dynamic_layers import DYNAMIC_KINDS
from dlpath.export.quantization.graph_run import as_inputs, run_graph
from dlpath.export.quantization.model import QuantizedModel
from dlpath.export.quantization.plan import (
    fold_batch_norm, plan_dynamic, plan_requantize, plan_static,
)
from dlpath.export.quantization.static_layers import STATIC_KINDS


def _check_model(model, what: str):
    from dlpath.models.model import Model

    if not isinstance(model, Model):
        raise TypeError(f"{what}: expected a dlpath Model, got {type(model).__name__}")
    if not model.built:
        raise ValueError(f"{what}: the model '{model.name}' is not built; call it once or "
                         f"start it with keras.Input(shape=...)")


def calibrate(model, calibration_data, layer_names, method: str = "minmax",
              percentile: float = 99.99, batch_size: int = 64) -> dict:
    """``{layer name: (lo, hi)}``: the input range of each of ``layer_names``."""
    graph = model_graph(model)
    arrays = as_inputs(graph, calibration_data)
    if len(arrays[0]) == 0:
        raise ValueError("quantize_model: calibration_data holds no samples")
    observers = {name: make_observer(method, percentile) for name in layer_names}

    def record(node, args):
        observer = observers.get(node.layer.name)
        if observer is not None:
            observer.observe(np.asarray(args[0].data, np.float32))
        return None

    for start in range(0, len(arrays[0]), batch_size):
        run_graph(graph, [a[start:start + batch_size] for a in arrays], record)
    return {name: observer.range() for name, observer in observers.items()}


def quantize_model(model, calibration_data, method: str = "minmax",
                   percentile: float = 99.99, batch_size: int = 64) -> QuantizedModel:
    """Post-training static int8 quantization of ``model``, calibrated on
    ``calibration_data`` (a few hundred training samples are typical)."""
    _check_model(model, "quantize_model")
    # 1. Plan.
    graph = model_graph(model)
    kinds, folds = plan_static(graph)
    if not kinds:
        raise ValueError(f"quantize_model: the model '{model.name}' has no Dense or Conv2D "
                         f"layer to quantize")
    # 2. Calibrate.
    ranges = calibrate(model, calibration_data, list(kinds), method, percentile, batch_size)
    # 3. Quantize, folding the batch normalizations first.
    bn_of = {producer: bn for bn, producer in folds.items()}
    by_name = {node.layer.name: node.layer for node in graph.nodes}
    quantized = {}
    for name, kind in kinds.items():
        layer = by_name[name]
        kernel = layer.kernel.data
        bias = None if layer.bias is None else layer.bias.data
        if name in bn_of:
            kernel, bias = fold_batch_norm(kernel, bias, by_name[bn_of[name]])
        quantized[name] = STATIC_KINDS[kind].from_float(layer, kernel, bias,
                                                        asymmetric_from_range(*ranges[name]))
    for name, consumer in plan_requantize(graph, kinds, folds).items():
        quantized[name].output_params = quantized[consumer].input_params
    return QuantizedModel(model, quantized, folds, "static", method)


def quantize_dynamic(model) -> QuantizedModel:
    """Dynamic int8 quantization of the Dense, LSTM and Embedding layers of ``model``."""
    _check_model(model, "quantize_dynamic")
    graph = model_graph(model)
    kinds = plan_dynamic(graph)
    if not kinds:
        raise ValueError(f"quantize_dynamic: the model '{model.name}' has no Dense, LSTM or "
                         f"Embedding layer to quantize")
    by_name = {node.layer.name: node.layer for node in graph.nodes}
    quantized = {name: DYNAMIC_KINDS[kind].from_layer(by_name[name])
                 for name, kind in kinds.items()}
    return QuantizedModel(model, quantized, {}, "dynamic", None)
