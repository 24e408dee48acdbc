"""A model's architecture as a JSON string: ``model.to_json()`` and ``model_from_json``.

The JSON is the architecture part of a saved model's ``config.json`` (see
`dlpath.saving.serialize`): ``{"module", "class_name", "config", "registered_name"}``,
without weights. Reading it goes through the same checks as loading a ``.keras`` file:
bounded JSON parsing, no entry that stands for code (``Lambda``), sane architecture
values, class names resolved only through the registry and ``custom_objects``. Nothing in
the string is ever executed. ``to_yaml`` / ``model_from_yaml`` raise the RuntimeError of
tf.keras 2, where they were removed because loading YAML could run arbitrary code.
"""

from __future__ import annotations

import json

from dlpath.saving.config_checks import check_architecture
from dlpath.saving.errors import SaveFileError, reading
from dlpath.saving.json_reader import parse_json
from dlpath.saving.limits import LIMITS
from dlpath.saving.serialize import check_no_code, deserialize_layer, serialize_layer

_SOURCE = "model_from_json"
_YAML_REMOVED = (
    "Method `model.to_yaml()` has been removed due to security risk of arbitrary code "
    "execution. Please use `model.to_json()` instead.")
_FROM_YAML_REMOVED = (
    "Method `model_from_yaml()` has been removed due to security risk of arbitrary code "
    "execution. Please use `Model.to_json()` and `model_from_json()` instead.")


def model_to_json(model, **kwargs) -> str:
    """The architecture of ``model`` as a JSON string; ``kwargs`` go to ``json.dumps``."""
    from dlpath.models.model import Model

    if not isinstance(model, Model):
        raise TypeError(f"to_json: expected a Model, got {type(model).__name__}")
    return json.dumps(serialize_layer(model), **kwargs)


def _fail(problem: str) -> SaveFileError:
    return SaveFileError(f"{_SOURCE}: the JSON string {problem}", None, None)


def model_from_json(json_string, custom_objects=None):
    """A new model (fresh weights) with the architecture `model_to_json` wrote.

    Args:
        json_string: the JSON text (str or UTF-8 bytes).
        custom_objects: ``{name: class}`` for user classes not registered with
            ``@register_serializable()``.

    Raises:
        SaveFileError: the string is not such JSON, names code or an unknown class, or
            holds values beyond dlpath's bounds.
    """
    from dlpath.models.model import Model

    if isinstance(json_string, str):
        data = json_string.encode("utf-8")
    elif isinstance(json_string, (bytes, bytearray)):
        data = bytes(json_string)
    else:
        raise TypeError(f"{_SOURCE}: json_string must be a str, got "
                        f"{type(json_string).__name__}")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"{_SOURCE}: custom_objects must be a dict, got "
                        f"{type(custom_objects).__name__}")
    if len(data) > LIMITS.max_json_bytes:
        raise _fail(f"has {len(data)} bytes, more than the {LIMITS.max_json_bytes} accepted")
    config = parse_json(data, _fail)
    if not isinstance(config, dict) or "class_name" not in config:
        raise _fail(f"does not describe a model: expected an object with 'class_name' and "
                    f"'config', got {config!r:.100}")
    with reading(_SOURCE, None, "a model architecture without code"):
        check_no_code(config, _SOURCE)
    check_architecture(config, _fail)
    with reading(_SOURCE, None, "an architecture dlpath can rebuild"):
        model = deserialize_layer(config, custom_objects, _SOURCE)
    if not isinstance(model, Model):
        raise _fail(f"describes a {type(model).__name__}, not a model")
    return model


def model_to_yaml(*args, **kwargs):
    """Removed in tf.keras 2 (loading YAML could run code): always raises RuntimeError."""
    raise RuntimeError(_YAML_REMOVED)


def model_from_yaml(*args, **kwargs):
    """Removed in tf.keras 2 (loading YAML could run code): always raises RuntimeError."""
    raise RuntimeError(_FROM_YAML_REMOVED)
