"""A statically quantized model as an int8 ONNX graph in QDQ form.

Each quantized layer is written as the ops of its float form with QuantizeLinear /
DequantizeLinear pairs that carry dlpath's own integers and scales:

    x -> QuantizeLinear(s_x, z_x) -> DequantizeLinear(s_x, z_x) --+
    q_w (int8) -> DequantizeLinear(s_w, 0, axis=out) ------------+--> MatMul / Conv -> Add
    q_b (int32) -> DequantizeLinear(s_x s_w, 0, axis=0) ---------------------------^

so the graph computes s_x s_w (q_b + sum (q_x - z_x) q_w), what `static_layers`
computes, up to the float rounding of the dequantized product. A layer that requantizes
its output gets a QuantizeLinear/DequantizeLinear pair after its activation too, and
onnxruntime then fuses DQ -> Conv/MatMul -> Q into its integer kernels (QLinearConv,
QLinearMatMul), whose requantization may round a value one step differently. Weights
are stored as int8 (the file is about a quarter of the float one), biases as int32. Folded BatchNormalizations are left out; every other
layer is converted as in the float export.
"""

from __future__ import annotations

import numpy as np

from dlpath.export.converters.activations import emit_activation
from dlpath import activations
from dlpath.export.converters.conv import _AFTER_LAYOUT, _finish, _pads
from dlpath.export.errors import ExportError
from dlpath.export.graph import ExportContext


def fake_quantize(b, name: str, params, hint: str) -> str:
    """QuantizeLinear then DequantizeLinear of the activation ``name`` (per tensor)."""
    scale = b.constant(np.asarray(params.scale, np.float32), f"{hint}_scale")
    zero = b.constant(np.asarray(params.zero_point, params.dtype), f"{hint}_zero_point",
                      np.dtype(params.dtype))
    q = b.op("QuantizeLinear", [name, scale, zero], hint)
    return b.op("DequantizeLinear", [q, scale, zero], hint)


def _requantized(b, y: str, quantized) -> str:
    if quantized.output_params is None:
        return y
    return fake_quantize(b, y, quantized.output_params, f"{quantized.name}/output")


def dequantized_constant(b, q, params, axis: int, hint: str) -> str:
    """An integer initializer and its per-channel DequantizeLinear along ``axis``."""
    q = np.asarray(q)
    name = b.constant(q, f"{hint}_quantized", q.dtype)
    scale = b.constant(np.asarray(params.scale, np.float32), f"{hint}_scale")
    zero = b.constant(np.zeros(params.scale.shape, q.dtype), f"{hint}_zero_point", q.dtype)
    return b.op("DequantizeLinear", [name, scale, zero], hint, axis=int(axis))


def _bias(b, quantized, hint: str):
    if quantized.q_bias is None:
        return None
    return dequantized_constant(b, quantized.q_bias, quantized.bias_params, 0, f"{hint}/bias")


def emit_dense(ctx, quantized, x):
    b, layer = ctx.builder, quantized.layer
    x_dq = fake_quantize(b, x.name, quantized.input_params, f"{layer.name}/input")
    kernel = dequantized_constant(b, quantized.q_kernel, quantized.kernel_params, 1,
                                  f"{layer.name}/kernel")
    y = b.op("MatMul", [x_dq, kernel], layer.name)
    bias = _bias(b, quantized, layer.name)
    if bias is not None:
        y = b.op("Add", [y, bias], layer.name)
    y = emit_activation(b, y, layer.activation, layer, layer.name)
    y = _requantized(b, y, quantized)
    return x.like(y, layer.compute_output_shape(x.shape))


def emit_conv2d(ctx, quantized, x):
    b, layer = ctx.builder, quantized.layer
    x_cf = b.channels_first(x.name, 4, f"{layer.name}/input")
    x_dq = fake_quantize(b, x_cf, quantized.input_params, f"{layer.name}/input")
    q_kernel = np.transpose(quantized.q_kernel, (3, 2, 0, 1))  # (out, in, kh, kw)
    inputs = [x_dq, dequantized_constant(b, q_kernel, quantized.kernel_params, 0,
                                         f"{layer.name}/kernel")]
    bias = _bias(b, quantized, layer.name)
    if bias is not None:
        inputs.append(bias)
    y_cf = b.op("Conv", inputs, layer.name, kernel_shape=list(layer.kernel_size),
                strides=list(layer.strides), dilations=list(layer.dilation_rate),
                pads=_pads(layer, x.shape[1:-1]), group=1)
    if activations.serialize(layer.activation) in _AFTER_LAYOUT:
        return _finish(ctx, layer, x, y_cf, 4)  # softmax over channels: no requantizing
    y_cf = emit_activation(b, y_cf, layer.activation, layer, layer.name)
    y = b.channels_last(_requantized(b, y_cf, quantized), 4, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


EMITTERS = {"dense": emit_dense, "conv2d": emit_conv2d}


class QDQContext(ExportContext):
    """The float export, with the quantized layers of ``qmodel`` written in QDQ form."""

    def __init__(self, opset: int, qmodel):
        super().__init__(opset)
        self.qmodel = qmodel

    def convert(self, layer, inputs, *args, **kwargs):
        if layer.name in self.qmodel.folded:
            return inputs.like(inputs.name, mask=inputs.mask)
        quantized = self.qmodel.layers.get(layer.name)
        if quantized is None:
            return super().convert(layer, inputs, *args, **kwargs)
        return EMITTERS[quantized.kind](self, quantized, self.as_float(inputs))


def qdq_proto(qmodel, opset: int):
    """The checked ``onnx.ModelProto`` of the statically quantized ``qmodel``."""
    from dlpath.export.onnx_export import build_onnx_model

    if qmodel.mode != "static":
        raise ExportError(f"int8 ONNX export: the model '{qmodel.name}' is quantized "
                          f"dynamically; export the float model and apply "
                          f"dlpath.export.quantization.onnx_dynamic.quantize_onnx_dynamic")
    return build_onnx_model(qmodel.model, opset, context=QDQContext(opset, qmodel))


def int8_proto(model, opset: int, quantize, calibration_data, method: str = "minmax"):
    """What ``to_onnx(..., quantize="int8", calibration_data=...)`` writes."""
    from dlpath.export.quantization.model import QuantizedModel
    from dlpath.export.quantization.post_training import quantize_model

    if isinstance(model, QuantizedModel):
        return qdq_proto(model, opset)
    if quantize != "int8":
        raise ExportError(f"ONNX export: quantize must be None or 'int8', got {quantize!r}")
    if calibration_data is None:
        raise ExportError("ONNX export: quantize='int8' needs calibration_data (a few "
                          "hundred input samples, e.g. from the training set)")
    return qdq_proto(quantize_model(model, calibration_data, method), opset)


def write_qdq_onnx(qmodel, path, opset=None):
    from dlpath.export.onnx_export import DEFAULT_OPSET, to_onnx

    return to_onnx(qmodel, path, DEFAULT_OPSET if opset is None else opset)
