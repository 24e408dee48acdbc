"""``clone_model``: the same architecture with new weights (tf.keras 2 semantics).

Each layer is copied by ``clone_function(layer)`` (default: ``layer.__class__.from_config(
layer.get_config())``, so it gets freshly initialized weights), and the copies are wired as
the originals were: in order for a `Sequential`, node by node for a functional model (a
layer shared by several calls stays shared, once). ``input_tensors`` replaces the inputs
with given `Input` placeholders. Subclassed models, whose wiring is code, cannot be
cloned; tf.keras 2 refuses them too.
"""

from __future__ import annotations

from dlpath.layers.input_layer import Input, InputLayer, KerasTensor, _flatten, _map
from dlpath.layers.layer import Layer


def _default_clone(layer: Layer) -> Layer:
    return layer.__class__.from_config(layer.get_config())


def _cloner(clone_function):
    if clone_function is None:
        return _default_clone
    if not callable(clone_function):
        raise TypeError(f"clone_model: clone_function must be callable, got "
                        f"{type(clone_function).__name__}")

    def clone(layer):
        copy = clone_function(layer)
        if not isinstance(copy, Layer):
            raise TypeError(f"clone_model: clone_function returned a "
                            f"{type(copy).__name__} for layer '{layer.name}', expected a "
                            f"Layer")
        return copy

    return clone


def _new_input(placeholder: KerasTensor) -> KerasTensor:
    layer = placeholder.node.layer
    return Input(shape=layer.shape, dtype=str(layer.dtype), name=layer.name)


def _given_inputs(input_tensors, count: int) -> list:
    tensors = _flatten(input_tensors)
    if len(tensors) != count:
        raise ValueError(f"clone_model: input_tensors holds {len(tensors)} tensor(s), but the "
                         f"model has {count} input(s)")
    for tensor in tensors:
        if not isinstance(tensor, KerasTensor):
            raise TypeError(f"clone_model: input_tensors must be keras.Input placeholders, "
                            f"got {type(tensor).__name__}")
    return tensors


def _clone_sequential(model, input_tensors, clone):
    from dlpath.models.sequential import Sequential

    layers = [clone(layer) for layer in model.layers]
    if input_tensors is not None:
        first = _given_inputs(input_tensors, 1)[0]
        return Sequential([first.node.layer] + layers, name=model.name)
    if model._input is not None:
        return Sequential([_new_input(model._input)] + layers, name=model.name)
    return Sequential(layers, name=model.name)


def _clone_functional(model, input_tensors, clone):
    from dlpath.models.model import Model

    graph = model._graph
    if input_tensors is None:
        new_inputs = [_new_input(t) for t in graph.flat_inputs]
    else:
        new_inputs = _given_inputs(input_tensors, len(graph.flat_inputs))
    env = {id(old): new for old, new in zip(graph.flat_inputs, new_inputs)}
    copies = {}

    def resolve(item):
        return env[id(item)] if isinstance(item, KerasTensor) else item

    for node in graph.nodes:
        if isinstance(node.layer, InputLayer):
            continue
        if id(node.layer) not in copies:
            copies[id(node.layer)] = clone(node.layer)
        result = copies[id(node.layer)](*_map(resolve, node.args), **_map(resolve, node.kwargs))
        for old, new in zip(_flatten(node.outputs), _flatten(result)):
            env[id(old)] = new
    inputs = _map(lambda t: env[id(t)], graph.inputs)
    outputs = _map(resolve, graph.outputs)
    return Model(inputs=inputs, outputs=outputs, name=model.name)


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with ``model``'s architecture and new weights.

    Args:
        model: a `Sequential` or functional `Model`.
        input_tensors: `Input` placeholders to build the clone on (one per input);
            default: new placeholders like the model's.
        clone_function: ``layer -> new layer``, applied to every layer (default: rebuild
            it from its config). Return the layer itself to share it.
    """
    from dlpath.models.model import Model
    from dlpath.models.sequential import Sequential

    if not isinstance(model, Model):
        raise TypeError(f"clone_model: expected a Model, got {type(model).__name__}")
    clone = _cloner(clone_function)
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone)
    if model._graph is None:
        raise ValueError(f"clone_model: '{model.name}' is a subclassed model "
                         f"({type(model).__name__}); only Sequential and functional models "
                         f"can be cloned. Instantiate your class again instead")
    return _clone_functional(model, input_tensors, clone)
