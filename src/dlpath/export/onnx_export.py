"""`to_onnx`: a Sequential or functional dlpath model as an ONNX file.

1. Walk the model's graph of layer calls and convert each (`graph.ExportContext`).
2. Name the graph's inputs and outputs as the model's (``model.inputs`` names, the output
   layers' names), with a dynamic batch axis called 'batch'.
3. Check the model with ``onnx.checker.check_model(full_check=True)``.
4. Write it atomically: a temporary file in the same folder, then ``os.replace``.

The opset defaults to 17: the first with LayerNormalization, which every onnxruntime since
1.14 implements entirely (as it does the few later opsets accepted here).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from dlpath.export.errors import ExportError
from dlpath.export.graph import ExportContext, model_graph
from dlpath.export.value import Value

DEFAULT_OPSET = 17
SUPPORTED_OPSETS = (17, 18, 19, 20)


def _onnx():
    try:
        import onnx
    except ImportError:  # pragma: no cover - depends on the environment
        raise ExportError("ONNX export needs the 'onnx' package: pip install onnx") from None
    return onnx


def _dims(shape, name: str) -> list:
    """['batch', 28, 28, 1]; other unknown sizes get a name of their own."""
    return ["batch"] + [f"{name}_dim{i}" if size is None else int(size)
                        for i, size in enumerate(shape[1:], start=1)]


def _unique(names) -> list:
    seen, result = set(), []
    for name in names:
        candidate, count = name, 1
        while candidate in seen:
            candidate = f"{name}_{count}"
            count += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def build_onnx_model(model, opset: int = DEFAULT_OPSET, context=None):
    """The checked ``onnx.ModelProto`` of ``model``; ``context`` (an `ExportContext` of
    this opset) may convert some layers its own way, as the int8 export does."""
    onnx = _onnx()
    from dlpath import __version__
    from dlpath.models.model import Model

    if not isinstance(model, Model):
        raise ExportError(f"ONNX export: expected a dlpath Model, got "
                          f"{type(model).__name__}")
    if opset not in SUPPORTED_OPSETS:
        raise ExportError(f"ONNX export: opset must be one of {SUPPORTED_OPSETS}, got "
                          f"{opset!r}")
    # 1. The graph of layer calls, and its inputs.
    graph = model_graph(model)
    ctx = ExportContext(opset) if context is None else context
    input_names = _unique(t.name or "input" for t in graph.flat_inputs)
    keys = graph.outputs if isinstance(graph.outputs, dict) else None  # Model(x, {"a": ...})
    output_names = _unique(str(k) for k in keys) if keys is not None else _unique(
        t.node.layer.name for t in graph.flat_outputs)
    for name in input_names + output_names:
        ctx.builder.reserve(name)
    inputs = [Value(name, t.shape, t.dtype) for name, t in zip(input_names, graph.flat_inputs)]
    outputs = ctx.run_graph(graph, inputs)
    # 2. Outputs named as the model's.
    helper = onnx.helper
    for value, name in zip(outputs, output_names):
        ctx.builder.nodes.append(helper.make_node("Identity", [value.name], [name],
                                                  name=f"{name}/output"))
    ctx.builder.prune(output_names)

    def info(name, tensor):
        elem = helper.np_dtype_to_tensor_dtype(np.dtype(tensor.dtype))
        return helper.make_tensor_value_info(name, elem, _dims(tensor.shape, name))

    onnx_graph = helper.make_graph(
        ctx.builder.nodes, model.name,
        [info(n, t) for n, t in zip(input_names, graph.flat_inputs)],
        [info(n, t) for n, t in zip(output_names, graph.flat_outputs)],
        ctx.builder.initializers)
    opsets = [helper.make_opsetid("", opset)]
    proto = helper.make_model(onnx_graph, opset_imports=opsets, producer_name="dlpath",
                              producer_version=__version__,
                              ir_version=helper.find_min_ir_version_for(opsets))
    # 3. The checker, with shape inference.
    try:
        onnx.checker.check_model(proto, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as error:
        raise ExportError(f"ONNX export of model '{model.name}': the graph does not pass "
                          f"onnx.checker: {error}") from None
    return proto


def to_onnx(model, path, opset: int = DEFAULT_OPSET, quantize=None, calibration_data=None,
            calibration_method: str = "minmax") -> Path:
    """Export ``model`` to the ONNX file ``path`` and return the path.

    Inputs and outputs are named as the model's and have a dynamic batch axis ('batch');
    the file is replaced only once it is fully written. ``quantize="int8"`` writes the
    model quantized to int8 (QDQ form), calibrated on ``calibration_data`` by
    ``calibration_method`` ('minmax' or 'percentile'); a `QuantizedModel` from
    `dlpath.export.quantization` is written in that form too.
    """
    if quantize is not None or type(model).__name__ == "QuantizedModel":
        from dlpath.export.quantization.onnx_qdq import int8_proto

        proto = int8_proto(model, opset, quantize, calibration_data, calibration_method)
    else:
        proto = build_onnx_model(model, opset)
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"ONNX export: {path} is a folder; give a file name such as "
                          f"{path / 'model.onnx'}")
    data = proto.SerializeToString()
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path
