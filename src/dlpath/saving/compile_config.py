"""compile.json and optimizer.npz: what ``compile`` was given, and the optimizer's state.

compile.json is ``{"optimizer": {"class_name", "config"}, "optimizer_built": bool, "loss",
"loss_weights", "metrics", "weighted_metrics"}``. Losses and metrics keep the structure
they were given (one, a list, a list of lists, or a dict per output); names stay names,
`Loss`/`Metric` objects become ``{"class_name", "config"}`` (``dlpath.losses.serialize`` /
``dlpath.metrics.serialize``), and functions become their names, found again through
``custom_objects`` or the registry. optimizer.npz holds ``optimizer.get_state()``.
"""

from __future__ import annotations

import inspect

from dlpath.saving import registry
from dlpath.saving.serialize import to_json

_KEYS = ("loss", "loss_weights", "metrics", "weighted_metrics")


def _modules():
    from dlpath import losses, metrics

    return {"loss": losses, "metrics": metrics, "weighted_metrics": metrics}


def _encode(value, kind: str, where: str):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(item, kind, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {str(key): _encode(item, kind, f"{where}[{key!r}]") for key, item in value.items()}
    if inspect.isclass(value):  # compile(loss=SomeLoss): the class, built with defaults
        entry = {"class_name": value.__name__, "config": {}}
    elif hasattr(value, "get_config"):
        entry = {"class_name": type(value).__name__,
                 "config": to_json(value.get_config(), f"the config of {where}")}
    else:
        entry = None
    if entry is not None:
        cls = value if inspect.isclass(value) else type(value)
        if registry.registered_name(cls):
            entry["registered_name"] = registry.registered_name(cls)
        return entry
    if callable(value):
        name = registry.get_registered_name(value)
        return name if ">" in name else getattr(value, "__name__", name)
    raise ValueError(f"cannot save {where}: {type(value).__name__} values are not supported")


def serialize_compile(model) -> dict:
    """compile.json's content for a compiled model."""
    from dlpath import optimizers

    given = model._compile_config or {}
    result = {"optimizer": to_json(optimizers.serialize(model.optimizer), "the optimizer"),
              "optimizer_built": bool(getattr(model.optimizer, "built", False))}
    for key in _KEYS:
        if key == "loss_weights":
            result[key] = to_json(given.get(key), "compile(loss_weights=...)")
        else:
            result[key] = _encode(given.get(key), key, f"compile({key}=...)")
    return result


def _decode(value, kind: str, custom_objects):
    if isinstance(value, str):
        found = registry.lookup_custom(value, None, custom_objects)
        return value if found is None else found
    if isinstance(value, list):
        return [_decode(item, kind, custom_objects) for item in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {key: _decode(item, kind, custom_objects) for key, item in value.items()}
    name = value["class_name"]
    found = registry.lookup_custom(name, value.get("registered_name"), custom_objects)
    module = _modules()[kind]
    if found is not None:
        return module.deserialize(value, custom_objects={name: found})
    return module.deserialize(value, custom_objects=custom_objects)


def _check_names(value, kind: str) -> None:
    """Resolve each name now (compile resolves them only on the first batch), so that an
    unknown custom loss or metric is reported by load_model."""
    module = _modules()[kind]
    if isinstance(value, str):
        module.get(value)
    elif isinstance(value, list):
        for item in value:
            _check_names(item, kind)
    elif isinstance(value, dict):
        for item in value.values():
            _check_names(item, kind)


def restore_compile(model, config: dict, optimizer_state, custom_objects, where: str) -> None:
    """``model.compile(...)`` as saved, then the optimizer's state (if it had any)."""
    from dlpath import optimizers

    if not isinstance(config, dict):
        raise ValueError(f"{where}: compile.json must hold a JSON object")
    optimizer_config = config.get("optimizer")
    if not isinstance(optimizer_config, dict):
        raise ValueError(f"{where}: 'optimizer' must be a {{'class_name', 'config'}} object")
    name = optimizer_config.get("class_name")
    try:
        found = registry.lookup_custom(name, optimizer_config.get("registered_name"),
                                       custom_objects)
        optimizer = optimizers.deserialize(
            optimizer_config, {name: found} if found is not None else custom_objects)
        arguments = {key: (config.get(key) if key == "loss_weights"
                           else _decode(config.get(key), key, custom_objects))
                     for key in _KEYS}
        for key in ("loss", "metrics", "weighted_metrics"):
            _check_names(arguments[key], key)
        model.compile(optimizer=optimizer, **arguments)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{where}: cannot compile the loaded model as it was saved: {error}. "
                         f"Pass custom_objects=... for custom losses or metrics, or "
                         f"load_model(..., compile=False)") from error
    if config.get("optimizer_built") and optimizer_state is not None:
        try:
            optimizer.set_state(optimizer_state, variables=model.trainable_weights)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: cannot restore the optimizer's state: {error}") \
                from error
