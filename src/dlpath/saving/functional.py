"""Functional models to JSON and back (the format is described in
`dlpath.saving.serialize`).

Rebuilding calls each layer on the symbolic tensors its saved calls name. A call runs as
soon as the tensors it needs exist: each waiting call is filed under the first tensor it
misses and woken when that tensor is produced, so rebuilding takes time linear in the
size of the graph whatever the order of the layers in the file, and a call that waits
for a tensor no layer produces (or for itself) is reported.
"""

from __future__ import annotations

import collections

from dlpath.saving.serialize import TENSOR_MARKER, deserialize_layer, serialize_layer, to_json


# ---------------------------------------------------------------- saving
def _unique_names(layers, owner: str) -> None:
    seen = set()
    for layer in layers:
        if layer.name in seen:
            raise ValueError(f"cannot save model '{owner}': two of its layers are named "
                             f"{layer.name!r}; layer names must be unique within a model")
        seen.add(layer.name)


def functional_config(model) -> dict:
    from dlpath.layers.input_layer import InputLayer, KerasTensor

    graph = model._graph
    node_index, calls = {}, {}
    for node in graph.nodes:
        node_index[id(node)] = calls.get(id(node.layer), 0)
        calls[id(node.layer)] = node_index[id(node)] + 1
    layers = graph.layers
    _unique_names(layers, model.name)

    def reference(tensor):
        if id(tensor.node) not in node_index:
            raise ValueError(f"cannot save model '{model.name}': tensor {tensor} comes from "
                             f"a layer call outside the model's graph")
        return [tensor.node.layer.name, node_index[id(tensor.node)], tensor.index]

    def encode(value, where):
        if isinstance(value, KerasTensor):
            return {"class_name": TENSOR_MARKER, "config": {"keras_history": reference(value)}}
        if isinstance(value, (list, tuple)):
            return [encode(item, f"{where}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {str(key): encode(item, f"{where}[{key!r}]") for key, item in value.items()}
        return to_json(value, where)

    def structure(value):
        if isinstance(value, KerasTensor):
            return reference(value)
        if isinstance(value, dict):
            return {str(key): structure(item) for key, item in value.items()}
        return [structure(item) for item in value]

    nodes_of = {}
    for node in graph.nodes:
        nodes_of.setdefault(id(node.layer), []).append(node)
    entries = []
    for layer in layers:
        entry = serialize_layer(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [] if isinstance(layer, InputLayer) else [
            {"args": encode(list(node.args), f"the call arguments of layer '{layer.name}'"),
             "kwargs": encode(node.kwargs, f"the call arguments of layer '{layer.name}'")}
            for node in nodes_of.get(id(layer), [])]
        entries.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": entries,
            "input_layers": structure(graph.inputs), "output_layers": structure(graph.outputs)}


# ---------------------------------------------------------------- loading
def _is_reference(value) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:]))


def _references(value):
    """The ``keras_history`` references of the symbolic tensors in a saved call."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("class_name") == TENSOR_MARKER:
                yield (item.get("config") or {}).get("keras_history")
            else:
                stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class _Calls:
    """A rebuilt layer and its saved calls (``inbound_nodes``), made in order."""

    def __init__(self, name: str, layer, nodes: list):
        self.name, self.layer, self.nodes, self.done = name, layer, nodes, 0

    def next_node(self):
        return self.nodes[self.done] if self.done < len(self.nodes) else None


class _Graph:
    """The symbolic outputs produced so far, by ``(layer name, call index)``."""

    def __init__(self, where: str):
        self.where, self.produced = where, {}

    def tensor(self, reference):
        if not _is_reference(reference):
            raise ValueError(f"{self.where}: bad tensor reference {reference!r:.100}; "
                             f"expected [layer name, node index, tensor index]")
        name, node, index = reference
        outputs = self.produced.get((name, node))
        if outputs is not None and not 0 <= index < len(outputs):
            raise ValueError(f"{self.where}: tensor reference {reference!r} is out of range: "
                             f"layer {name!r} call {node} has {len(outputs)} output(s)")
        return None if outputs is None else outputs[index]

    def first_missing(self, node):
        """The (layer name, call index) ``node`` waits for, or None if it can run."""
        for reference in _references(node):
            if self.tensor(reference) is None:
                return (reference[0], reference[1])
        return None

    def decode(self, value):
        if isinstance(value, dict):
            if value.get("class_name") == TENSOR_MARKER:
                return self.tensor((value.get("config") or {}).get("keras_history"))
            return {key: self.decode(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        return value

    def rebuild(self, value):
        """A model's inputs/outputs: references nested in lists and dicts, as tensors."""
        if _is_reference(value):
            tensor = self.tensor(value)
            if tensor is None:
                raise ValueError(f"{self.where}: input/output reference {value!r} names no "
                                 f"layer call of the graph")
            return tensor
        if isinstance(value, dict):
            return {key: self.rebuild(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.rebuild(item) for item in value]
        raise ValueError(f"{self.where}: bad input/output reference {value!r:.100}")


def _layers(config: dict, custom_objects, graph: _Graph) -> list:
    """Rebuild each layer entry; inputs produce their tensor, others wait for calls."""
    from dlpath.layers.input_layer import InputLayer

    entries = config["layers"]
    if not isinstance(entries, list):
        raise ValueError(f"{graph.where}: 'layers' must be a list")
    calls = []
    for i, entry in enumerate(entries):
        layer = deserialize_layer(entry, custom_objects, f"{graph.where} layers[{i}]")
        name = entry.get("name", layer.name)
        if not isinstance(name, str):
            raise ValueError(f"{graph.where}: layers[{i}] has the name {name!r:.60}, "
                             f"expected a string")
        if isinstance(layer, InputLayer):
            graph.produced[(name, 0)] = [layer.output]
            continue
        nodes = entry.get("inbound_nodes", [])
        if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
            raise ValueError(f"{graph.where}: 'inbound_nodes' of layer {name!r} must be a "
                             f"list of {{'args', 'kwargs'}} objects")
        calls.append(_Calls(name, layer, nodes))
    return calls


def _call(item: _Calls, graph: _Graph) -> tuple:
    """Make ``item``'s next saved call; the key of the tensors it produced."""
    from dlpath.layers.input_layer import _flatten

    node = item.next_node()
    args, kwargs = graph.decode(node.get("args", [])), graph.decode(node.get("kwargs", {}))
    if not isinstance(args, list) or not isinstance(kwargs, dict) or not args:
        raise ValueError(f"{graph.where}: layer {item.name!r} has a malformed inbound node")
    try:
        result = item.layer(*args, **kwargs)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{graph.where}: calling layer {item.name!r} while rebuilding the "
                         f"graph failed: {error}") from error
    key = (item.name, item.done)
    graph.produced[key] = _flatten(result)
    item.done += 1
    return key


def functional_from_config(config: dict, custom_objects, where: str):
    from dlpath.models import Model

    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"{where}: a functional model config needs {key!r}")
    graph = _Graph(where)
    calls = _layers(config, custom_objects, graph)
    ready, waiting = collections.deque(), collections.defaultdict(list)

    def schedule(item):
        node = item.next_node()
        if node is not None:
            missing = graph.first_missing(node)
            (ready.append(item) if missing is None else waiting[missing].append(item))

    for item in calls:
        schedule(item)
    while ready:
        item = ready.popleft()
        key = _call(item, graph)
        for woken in waiting.pop(key, []):
            schedule(woken)
        schedule(item)
    stuck = [item.name for item in calls if item.next_node() is not None]
    if stuck:
        raise ValueError(f"{where}: the graph cannot be rebuilt: layers {stuck[:20]} wait "
                         f"for tensors that no layer produces")
    model = Model(inputs=graph.rebuild(config["input_layers"]),
                  outputs=graph.rebuild(config["output_layers"]), name=config.get("name"))
    if not config.get("trainable", True):
        model.trainable = False
    return model
