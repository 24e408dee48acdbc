"""Layer and model configurations to JSON and back, through the registry only.

A layer is ``{"module", "class_name", "config", "registered_name"}``; its config is its
``get_config()`` with tuples as lists and NumPy values as plain numbers/lists. A layer
object inside a config (a wrapper's inner layer) is saved the same way, nested; on loading,
any nested ``{"class_name": ..., "config": ...}`` naming a known layer class is rebuilt
first and handed to the outer layer as an object.

Models:

- ``Sequential``: ``{"name", "trainable", "layers": [InputLayer (if the input is known),
  then each layer]}``.
- Functional (``class_name`` ``"Functional"``): ``{"name", "trainable", "layers",
  "input_layers", "output_layers"}``; each layer entry adds ``"name"`` and
  ``"inbound_nodes"``: one ``{"args": [...], "kwargs": {...}}`` per call of the layer in
  the graph, where a symbolic tensor is ``{"class_name": "__keras_tensor__", "config":
  {"keras_history": [layer name, node index, tensor index]}}`` and other call arguments
  are kept as JSON. ``input_layers``/``output_layers`` hold ``[layer name, node index,
  tensor index]`` references, nested as the model's inputs/outputs (one, a list or a dict).
- Subclassed (a registered `Model` subclass): its ``get_config()``, plus a
  ``"build_config"`` with the shapes and dtypes of its inputs, used to create its weights.
"""

from __future__ import annotations

import inspect

import numpy as np

from dlpath.saving import registry

TENSOR_MARKER = "__keras_tensor__"
_BASE_ARGUMENTS = {"self", "name", "trainable", "dtype"}


# ---------------------------------------------------------------- values
def to_json(value, where: str):
    """``value`` as JSON-able data; layers nested in it are serialized as layers."""
    from dlpath.layers.layer import Layer

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.dtype):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise ValueError(f"cannot save {where}: it holds an object array")
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"cannot save {where}: its key {key!r} is not a string")
            result[key] = to_json(item, f"{where}[{key!r}]")
        return result
    if isinstance(value, Layer):
        return serialize_layer(value)
    if hasattr(value, "get_config") and not inspect.isclass(value):
        return serialize_object(value, where)
    if callable(value):
        raise ValueError(f"cannot save {where}: it is the Python function or object "
                         f"{value!r:.60}, whose code cannot be stored safely; give its name "
                         f"instead or use a registered class with get_config()")
    raise ValueError(f"cannot save {where}: {type(value).__name__} values cannot be stored "
                     f"as JSON")


def serialize_object(obj, where: str) -> dict:
    """``{"class_name", "config"}`` (+ ``registered_name``) of an object with get_config."""
    entry = {"class_name": type(obj).__name__,
             "config": to_json(obj.get_config(), f"{where} config")}
    if registry.registered_name(type(obj)):
        entry["registered_name"] = registry.registered_name(type(obj))
    return entry


def _check_config_overridden(layer, base) -> None:
    """Refuse a custom class whose __init__ takes arguments that get_config forgets."""
    cls = type(layer)
    if cls.get_config is not base.get_config:
        return
    extra = [name for name, p in inspect.signature(cls.__init__).parameters.items()
             if name not in _BASE_ARGUMENTS
             and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if extra:
        raise ValueError(f"cannot save {cls.__name__} '{layer.name}': its __init__ takes "
                         f"{extra}, so it must override get_config() to return them")


# ---------------------------------------------------------------- layers
def serialize_layer(layer) -> dict:
    """``{"module", "class_name", "config", "registered_name"}`` of a layer or model."""
    from dlpath.layers.layer import Layer
    from dlpath.models import Model, Sequential

    cls = type(layer)
    if cls.__name__ in registry.CODE_CLASS_NAMES and not registry.is_builtin(cls):
        raise ValueError(f"cannot save {cls.__name__} layer '{layer.name}': it holds Python "
                         f"code, which dlpath never stores or loads. Write a Layer subclass "
                         f"registered with @register_serializable() instead")
    if cls is Sequential:
        return {"module": "dlpath.models", "class_name": "Sequential",
                "config": sequential_config(layer), "registered_name": None}
    if cls is Model and layer._graph is not None:
        return {"module": "dlpath.models", "class_name": "Functional",
                "config": functional_config(layer), "registered_name": None}
    if isinstance(layer, Model):
        return subclassed_config(layer)
    builtin = registry.is_builtin(cls)
    if not builtin:
        _check_config_overridden(layer, Layer)
    return {"module": "dlpath.layers" if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": to_json(layer.get_config(), f"the config of layer '{layer.name}'"),
            "registered_name": registry.registered_name(cls)}


def deserialize_layer(entry, custom_objects=None, where: str = "config"):
    """Rebuild a layer (or model) from `serialize_layer`'s output, via the registry only."""
    from dlpath.layers.layer import Layer
    from dlpath.models import Model, Sequential

    if isinstance(entry, Layer):
        return entry
    if not isinstance(entry, dict) or "class_name" not in entry:
        raise ValueError(f"{where}: expected a layer entry {{'class_name': ..., 'config': "
                         f"...}}, got {entry!r:.100}")
    cls = registry.resolve(entry["class_name"], entry.get("registered_name"), custom_objects,
                           where)
    if not (inspect.isclass(cls) and issubclass(cls, Layer)):
        raise ValueError(f"{where}: {entry['class_name']!r} names {cls!r}, which is not a "
                         f"Layer class")
    config = entry.get("config") or {}
    if not isinstance(config, dict):
        raise ValueError(f"{where}: the config of {entry['class_name']!r} must be a dict, got "
                         f"{type(config).__name__}")
    label = f"{where}: layer {config.get('name', entry.get('name'))!r} ({cls.__name__})"
    if cls is Sequential:
        return sequential_from_config(config, custom_objects, label)
    if cls is Model and "layers" in config:
        return functional_from_config(config, custom_objects, label)
    config = _rebuild_nested(config, custom_objects, label)
    try:
        layer = cls.from_config(config)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{label}: cannot rebuild it from its config: {error}") from error
    if isinstance(layer, Model):
        build_subclassed(layer, entry.get("build_config"), label)
    return layer


def _rebuild_nested(config: dict, custom_objects, where: str) -> dict:
    """Replace nested ``{"class_name", "config"}`` entries of layer classes by layers."""
    from dlpath.layers.layer import Layer

    def convert(value, path):
        if isinstance(value, list):
            return [convert(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        name = value.get("class_name")
        if registry.is_function_reference(value):
            return registry.resolve_function(value, custom_objects, path)
        if isinstance(name, str) and "config" in value:
            found = registry.lookup(name, value.get("registered_name"), custom_objects)
            if inspect.isclass(found) and issubclass(found, Layer):
                return deserialize_layer(value, custom_objects, path)
        return {key: convert(item, f"{path}[{key!r}]") for key, item in value.items()}

    return {key: convert(value, f"{where}[{key!r}]") for key, value in config.items()}


def check_no_code(tree, where: str) -> None:
    """Refuse any entry of a loaded JSON tree that stands for Python code (Lambda)."""
    stack = [tree]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            name = value.get("class_name")
            if registry.holds_code(value):
                raise ValueError(f"{where}: refusing a {name or 'function'!r} entry: it holds "
                                 f"Python code, and loading never runs code from a file")
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


# ---------------------------------------------------------------- Sequential
def sequential_config(model) -> dict:
    layers = []
    if model._input is not None:
        layers.append(serialize_layer(model._input.node.layer))
    layers.extend(serialize_layer(layer) for layer in model._stack)
    return {"name": model.name, "trainable": model.trainable, "layers": layers}


def sequential_from_config(config: dict, custom_objects, where: str):
    from dlpath.models import Sequential

    entries = config.get("layers")
    if not isinstance(entries, list):
        raise ValueError(f"{where}: a Sequential config needs a 'layers' list")
    model = Sequential(name=config.get("name"))
    for i, entry in enumerate(entries):
        model.add(deserialize_layer(entry, custom_objects, f"{where} layers[{i}]"))
    if not config.get("trainable", True):
        model.trainable = False
    return model


# ---------------------------------------------------------------- Functional
def functional_config(model) -> dict:
    """A functional model's config (see `dlpath.saving.functional`)."""
    from dlpath.saving import functional

    return functional.functional_config(model)


def functional_from_config(config: dict, custom_objects, where: str):
    """Rebuild a functional model from its config (see `dlpath.saving.functional`)."""
    from dlpath.saving import functional

    return functional.functional_from_config(config, custom_objects, where)


# ---------------------------------------------------------------- subclassed
def subclassed_config(model) -> dict:
    from dlpath.models import Model

    cls = type(model)
    registered = registry.registered_name(cls)
    if registered is None:
        raise ValueError(f"cannot save the subclassed model {cls.__name__} '{model.name}': "
                         f"its class is not registered. Decorate it with "
                         f"@dlpath.saving.register_serializable() (and give it a get_config() "
                         f"that returns its __init__ arguments), or save only its weights "
                         f"with model.save_weights('model.weights.npz')")
    _check_config_overridden(model, Model)
    entry = {"module": cls.__module__, "class_name": cls.__name__,
             "config": to_json(model.get_config(), f"the config of model '{model.name}'"),
             "registered_name": registered}
    if hasattr(model, "get_build_config"):
        entry["build_config"] = to_json(model.get_build_config(), "the build config")
    elif model.weights:
        signature = model.__dict__.get("_saving_input_signature")
        if signature is None:
            raise ValueError(f"cannot save the subclassed model {cls.__name__} "
                             f"'{model.name}': the shapes of its inputs are unknown. Call "
                             f"the model on a batch of data once before saving it")
        entry["build_config"] = {"input_signature": signature}
    return entry


def _zeros(signature):
    if isinstance(signature, dict) and "shape" in signature and "dtype" in signature:
        shape = tuple(1 if s is None else int(s) for s in signature["shape"])
        return np.zeros(shape, dtype=np.dtype(signature["dtype"]))
    if isinstance(signature, dict):
        return {key: _zeros(value) for key, value in signature.items()}
    if isinstance(signature, list):
        return [_zeros(value) for value in signature]
    raise ValueError(f"bad input signature {signature!r}")


def build_subclassed(model, build_config, where: str) -> None:
    """Create a loaded subclassed model's weights: ``build_from_config`` or one call on
    zeros shaped like the inputs it was saved with."""
    from dlpath.engine import no_grad

    if not build_config:
        return
    try:
        if "input_signature" in build_config:
            with no_grad():
                model(_zeros(build_config["input_signature"]), training=False)
        elif hasattr(model, "build_from_config"):
            model.build_from_config(build_config)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: cannot create the model's weights from its build "
                         f"config {build_config!r:.200}: {error}") from error
