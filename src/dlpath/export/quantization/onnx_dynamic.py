"""Dynamic int8 quantization of an exported float ONNX file, by onnxruntime's own tool.

``onnxruntime.quantization.quantize_dynamic`` stores the weights of MatMul, Gather
(embeddings) and LSTM nodes in int8 and quantizes their inputs at run time
(DynamicQuantizeLinear, MatMulInteger, DynamicQuantizeLSTM), the ONNX counterpart of
`quantize_dynamic` in dlpath (`dynamic_layers`). Weights are per channel, symmetric int8.
"""

from __future__ import annotations

import os
from pathlib import Path

from dlpath.export.errors import ExportError

OP_TYPES = ("MatMul", "Gather", "LSTM")


def quantize_onnx_dynamic(float_path, out_path, op_types=OP_TYPES) -> Path:
    """Write the dynamically quantized twin of the float ONNX file ``float_path``."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:  # pragma: no cover - depends on the environment
        raise ExportError("dynamic ONNX quantization needs onnxruntime: pip install "
                          "onnxruntime") from None
    float_path, out_path = Path(float_path), Path(out_path)
    if not float_path.is_file():
        raise ExportError(f"dynamic ONNX quantization: no such file: {float_path}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        quantize_dynamic(str(float_path), str(temporary), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=list(op_types))
        os.replace(temporary, out_path)
    finally:
        if temporary.exists():
            temporary.unlink()
    return out_path
