"""Post-training int8 quantization, written out in NumPy so that every step can be read.

- `affine`: q = clip(round(x / s) + z, q_min, q_max), x_hat = s (q - z); per-channel int8
  weights, calibrated uint8 activations, int32 biases.
- `calibration`: activation ranges by min-max or percentile.
- `kernels`: the exact int32 accumulators of int8 products.
- `static_layers`, `dynamic_layers`: int8 Dense/Conv2D, and dynamic Dense/LSTM/Embedding.
- `quantize_model` / `quantize_dynamic` return a `QuantizedModel` (``predict``, ``save``,
  ``QuantizedModel.load``); `onnx_qdq` writes it as an int8 QDQ ONNX graph, and
  `onnx_dynamic` applies onnxruntime's dynamic quantization to a float ONNX file.
"""

from dlpath.export.quantization.affine import (
    QuantParams, asymmetric_from_range, dequantize, quantize, symmetric_per_channel,
)
from dlpath.export.quantization.model import QuantizedModel
from dlpath.export.quantization.post_training import calibrate, quantize_dynamic, quantize_model
from dlpath.export.quantization.saving import load_quantized, save_quantized

__all__ = ["quantize_model", "quantize_dynamic", "calibrate", "QuantizedModel",
           "load_quantized", "save_quantized", "QuantParams", "quantize", "dequantize",
           "symmetric_per_channel", "asymmetric_from_range"]
