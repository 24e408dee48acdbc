"""A model used as a layer (a Sequential conv base inside a classifier): its graph is
converted in place, on the outer values. Masks go in and, as in dlpath, none comes out."""

from __future__ import annotations

from dlpath.export.converters.registry import register
from dlpath.export.value import Value
from dlpath.models.model import Model
from dlpath.models.sequential import Sequential


@register(Model, Sequential)
def convert_model(ctx, layer, inputs):
    from dlpath.export.graph import model_graph

    graph = model_graph(layer)
    values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    outputs = ctx.run_graph(graph, values)
    outputs = [Value(v.name, v.shape, v.dtype) for v in outputs]
    return outputs[0] if len(outputs) == 1 else outputs
