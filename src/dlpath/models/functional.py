"""The graph behind ``Model(inputs, outputs)``: the recorded layer calls, run in order."""

from __future__ import annotations

from dlpath.engine.function import postorder
from dlpath.layers.input_layer import InputLayer, KerasTensor, _flatten, _map


class FunctionalGraph:
    """Layer calls recorded on placeholders, from ``inputs`` to ``outputs``.

    ``run`` replays them on real tensors: each node's layer is called, in topological order,
    on the values computed for its parents.
    """

    def __init__(self, inputs, outputs):
        self.inputs = inputs
        self.outputs = outputs
        self.flat_inputs = _flatten(inputs)
        self.flat_outputs = _flatten(outputs)
        for tensor in self.flat_inputs + self.flat_outputs:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f"Model: inputs and outputs must be symbolic tensors made from "
                                f"keras.Input(...) and layer calls, got {tensor!r:.80}")
        for tensor in self.flat_inputs:
            if not isinstance(tensor.node.layer, InputLayer):
                raise ValueError(f"Model: every input must come straight from keras.Input(), "
                                 f"but {tensor} was produced by layer "
                                 f"'{tensor.node.layer.name}'")
        self.nodes = self._ordered_nodes()
        input_ids = {id(t) for t in self.flat_inputs}
        for node in self.nodes:
            if isinstance(node.layer, InputLayer) and id(node.outputs) not in input_ids:
                raise ValueError(f"Model: the outputs depend on the input "
                                 f"'{node.layer.name}', which is not among the model's "
                                 f"inputs")

    def _ordered_nodes(self) -> list:
        """The nodes the outputs depend on, each after its parents."""
        roots = [t.node for t in self.flat_outputs]
        return postorder(roots, lambda node: [parent.node for parent in node.parents])

    @property
    def layers(self) -> list:
        seen, result = set(), []
        for node in self.nodes:
            if id(node.layer) not in seen:
                seen.add(id(node.layer))
                result.append(node.layer)
        return result

    def run(self, values, training=False):
        """Outputs for concrete input ``values`` (same structure as ``inputs``)."""
        flat_values = _flatten(values) if isinstance(values, (list, tuple, dict)) else [values]
        if isinstance(values, dict):
            names = [t.name for t in self.flat_inputs]
            missing = [n for n in names if n not in values]
            if missing:
                raise ValueError(f"Model: missing inputs {missing}; expected keys {names}")
            flat_values = [values[n] for n in names]
        if len(flat_values) != len(self.flat_inputs):
            raise ValueError(f"Model: expected {len(self.flat_inputs)} input(s) "
                             f"({[t.shape for t in self.flat_inputs]}), got {len(flat_values)}")
        env = {id(t): v for t, v in zip(self.flat_inputs, flat_values)}

        def resolve(item):
            return env[id(item)] if isinstance(item, KerasTensor) else item

        for node in self.nodes:
            if isinstance(node.layer, InputLayer):
                continue
            kwargs = _map(resolve, node.kwargs)
            kwargs.setdefault("training", training)
            result = node.layer(*_map(resolve, node.args), **kwargs)
            for placeholder, value in zip(_flatten(node.outputs), _flatten(result)):
                env[id(placeholder)] = value
        return _map(resolve, self.outputs)
