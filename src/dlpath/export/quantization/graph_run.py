"""Running a model's graph of layer calls with some calls replaced.

Calibration runs the float model and records the inputs of the layers to quantize; a
quantized model runs the same graph with those layers replaced by their int8 forms and
batch normalizations folded away. Both replay `dlpath.export.graph.model_graph(model)`
node by node, as `FunctionalGraph.run` does, with a hook that may take over a call.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, no_grad
from dlpath.layers.input_layer import InputLayer, KerasTensor, _flatten, _map


def as_inputs(graph, x) -> list:
    """``x`` (an array, or a list/dict of them) as one array per graph input."""
    names = [t.name for t in graph.flat_inputs]
    if isinstance(x, dict):
        missing = [n for n in names if n not in x]
        if missing:
            raise ValueError(f"quantized model: missing inputs {missing}; expected keys "
                             f"{names}")
        x = [x[n] for n in names]
    arrays = list(x) if isinstance(x, (list, tuple)) else [x]
    if len(arrays) != len(names):
        raise ValueError(f"quantized model: expected {len(names)} input(s) "
                         f"({[t.shape for t in graph.flat_inputs]}), got {len(arrays)}")
    result = []
    for array, tensor in zip(arrays, graph.flat_inputs):
        array = np.asarray(getattr(array, "data", array))
        if array.shape[1:] != tuple(n if n is not None else s for n, s in
                                    zip(tensor.shape[1:], array.shape[1:])):
            raise ValueError(f"quantized model: input '{tensor.name}' expects shape "
                             f"{tensor.shape}, got {array.shape}")
        result.append(array)
    return result


def run_graph(graph, arrays: list, hook) -> list:
    """The flat outputs (Tensors) of ``graph`` on ``arrays``.

    ``hook(node, args)`` is called before each layer call; it returns None to let the
    layer run in float, or the call's result (an array or Tensor) to replace it.
    """
    env = {id(t): Tensor(a) for t, a in zip(graph.flat_inputs, arrays)}

    def resolve(item):
        return env[id(item)] if isinstance(item, KerasTensor) else item

    with no_grad():
        for node in graph.nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = _map(resolve, list(node.args))
            kwargs = _map(resolve, dict(node.kwargs))
            kwargs["training"] = False
            result = hook(node, args)
            if result is None:
                result = node.layer(*args, **kwargs)
            elif not isinstance(result, Tensor):
                result = Tensor(np.asarray(result))
            for placeholder, value in zip(_flatten(node.outputs), _flatten(result)):
                env[id(placeholder)] = value
    return [resolve(t) for t in graph.flat_outputs]
