"""`ExportContext`: walks a model's graph of layer calls and converts each call.

A functional model already is a graph of recorded calls (`FunctionalGraph`); a
`Sequential` becomes one by calling its layers on its `Input` placeholder. Each call is
converted by the converter of its layer's class (`converters.registry`), on the values
computed for its inputs; layers that cast their inputs to float (all but Embedding and
models) get a Cast in front of an integer input, as dlpath casts it.
"""

from __future__ import annotations

import numpy as np

from dlpath.export.builder import GraphBuilder
from dlpath.export.converters.registry import converter_for
from dlpath.export.errors import ExportError
from dlpath.export.value import Value
from dlpath.layers.input_layer import InputLayer, KerasTensor, _flatten, _map

FLOAT = np.dtype("float32")


def model_graph(model):
    """The `FunctionalGraph` of a functional or Sequential model."""
    from dlpath.models.functional import FunctionalGraph
    from dlpath.models.sequential import Sequential

    graph = getattr(model, "_graph", None)
    if graph is not None:
        return graph
    if isinstance(model, Sequential):
        if model._input is None or not model.layers:
            raise ExportError(f"ONNX export: the Sequential model '{model.name}' has no known "
                              f"input shape (or no layers); start it with keras.Input(shape="
                              f"...) or build it before exporting")
        x = model._input
        for layer in model.layers:
            x = layer(x)
        return FunctionalGraph(model._input, x)
    raise ExportError(f"ONNX export: the model '{model.name}' ({type(model).__name__}) is a "
                      f"subclassed model, whose call() is Python code; only Sequential and "
                      f"functional models (keras.Model(inputs, outputs)) export")


class ExportContext:
    """The builder of the graph, and the conversion of layer calls into its nodes."""

    def __init__(self, opset: int):
        self.builder = GraphBuilder(opset)

    @property
    def opset(self) -> int:
        return self.builder.opset

    def convert(self, layer, inputs, *args, **kwargs):
        """The output value(s) of ``layer(inputs, *args, **kwargs)``."""
        fn = converter_for(layer)
        if getattr(layer, "casts_inputs", False):
            inputs = _map(lambda v: self.as_float(v) if isinstance(v, Value) else v, inputs)
        return fn(self, layer, inputs, *args, **kwargs)

    def as_float(self, value: Value) -> Value:
        """``value`` cast to float32 (kept as it is when it already is)."""
        if value.dtype == FLOAT:
            return value
        name = self.builder.op("Cast", [value.name], "cast", to=1)  # 1: FLOAT
        return Value(name, value.shape, FLOAT, value.mask)

    def run_graph(self, graph, input_values: list) -> list:
        """The flat output values of ``graph`` with its inputs bound to ``input_values``."""
        if len(input_values) != len(graph.flat_inputs):
            raise ExportError(f"ONNX export: a graph with {len(graph.flat_inputs)} inputs was "
                              f"called on {len(input_values)} values")
        env = {id(t): v for t, v in zip(graph.flat_inputs, input_values)}

        def resolve(item):
            return env[id(item)] if isinstance(item, KerasTensor) else item

        for node in graph.nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = _map(resolve, list(node.args))
            kwargs = _map(resolve, dict(node.kwargs))
            kwargs.pop("training", None)
            given_mask = kwargs.pop("mask", None)
            if isinstance(given_mask, Value) and isinstance(args[0], Value):
                args[0] = Value(args[0].name, args[0].shape, args[0].dtype, given_mask.name)
            result = self.convert(node.layer, *args, **kwargs)
            placeholders = _flatten(node.outputs)
            values = _flatten(result)
            if len(values) != len(placeholders):
                raise ExportError(f"ONNX export: the converter of layer '{node.layer.name}' "
                                  f"made {len(values)} outputs, the layer has "
                                  f"{len(placeholders)}")
            for placeholder, value in zip(placeholders, values):
                env[id(placeholder)] = Value(value.name, placeholder.shape, value.dtype,
                                             value.mask)
        return [resolve(t) for t in graph.flat_outputs]
