"""``keras.models.model_from_config``: a model (or layer) from its config dict.

The dict is ``model.get_config()`` wrapped as Keras saves it,
``{"class_name": "Sequential", "config": {...}}`` (the form ``model.to_json()`` writes,
and ``keras.saving.serialize_keras_object`` returns). It goes through the same checks
as a loaded file: no entry that stands for code, sane architecture values, class names
resolved only through the registry and ``custom_objects``.
"""

from __future__ import annotations

from dlpath.saving.config_checks import check_architecture
from dlpath.saving.errors import SaveFileError, reading
from dlpath.saving.serialize import check_no_code, deserialize_layer

_SOURCE = "model_from_config"


def _fail(problem: str) -> SaveFileError:
    return SaveFileError(f"{_SOURCE}: the config {problem}", None, None)


def model_from_config(config, custom_objects=None):
    """A new model (fresh weights), or layer, built from ``config``.

    Raises:
        TypeError: ``config`` is not a dict (e.g. a bare ``get_config()`` of a model given
            without its ``class_name``), or ``custom_objects`` is not a dict.
        SaveFileError: the config names code or an unknown class, or holds values beyond
            dlpath's bounds.
    """
    if not isinstance(config, dict):
        raise TypeError(f"{_SOURCE}: expected a dict, got {type(config).__name__}")
    if "class_name" not in config:
        raise TypeError(f"{_SOURCE}: expected {{'class_name': ..., 'config': ...}} (Keras' "
                        f"serialized form), got a dict with keys {sorted(config)[:8]}; wrap "
                        f"a get_config() as {{'class_name': 'Sequential', 'config': ...}}")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"{_SOURCE}: custom_objects must be a dict, got "
                        f"{type(custom_objects).__name__}")
    with reading(_SOURCE, None, "a model architecture without code"):
        check_no_code(config, _SOURCE)
    check_architecture(config, _fail)
    with reading(_SOURCE, None, "an architecture dlpath can rebuild"):
        return deserialize_layer(config, custom_objects, _SOURCE)


__all__ = ["model_from_config"]
