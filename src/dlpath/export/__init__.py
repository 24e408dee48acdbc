"""Exporting trained models: ONNX (`to_onnx`, also ``model.export(path)``).

`onnx` (and, to run the exported graphs, `onnxruntime`) are needed only here: importing
dlpath does not import them.
"""

from dlpath.export.api import export_model
from dlpath.export.errors import ExportError, UnsupportedLayerError
from dlpath.export.onnx_export import DEFAULT_OPSET, SUPPORTED_OPSETS, build_onnx_model, to_onnx
from dlpath.export.quantization import QuantizedModel, quantize_dynamic, quantize_model
from dlpath.export.distillation import Distiller
from dlpath.export.pruning import (ConstantSparsity, PolynomialDecay, PruningCallback,
                                   sparsity_report)

__all__ = ["to_onnx", "export_model", "build_onnx_model", "ExportError",
           "UnsupportedLayerError", "DEFAULT_OPSET", "SUPPORTED_OPSETS",
           "PruningCallback", "PolynomialDecay", "ConstantSparsity", "sparsity_report",
           "Distiller", "quantize_model", "quantize_dynamic", "QuantizedModel"]
