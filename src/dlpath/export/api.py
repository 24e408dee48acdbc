"""`export_model`: what ``Model.export(filepath, format=...)`` does."""

from __future__ import annotations

from dlpath.export.errors import ExportError
from dlpath.export.onnx_export import DEFAULT_OPSET, to_onnx

FORMATS = ("onnx",)


def export_model(model, filepath, format="onnx", verbose=None, input_signature=None,
                 opset=None, **kwargs):
    """Export ``model`` to ``filepath`` in ``format`` (only "onnx"); returns the path."""
    if kwargs:
        raise TypeError(f"Model.export: unknown keyword argument(s) {sorted(kwargs)}")
    kind = "onnx" if format in (None, "") else str(format).lower()
    if kind not in FORMATS:
        raise ExportError(f"Model.export: format {format!r} is not supported; dlpath exports "
                          f"only format='onnx'")
    if input_signature is not None:
        raise ExportError("Model.export: input_signature is not supported; the shapes of the "
                          "model's Inputs are exported, with a dynamic batch axis")
    path = to_onnx(model, filepath, DEFAULT_OPSET if opset is None else opset)
    if verbose:
        print(f"Saved the ONNX model at '{path}'.")
    return path
