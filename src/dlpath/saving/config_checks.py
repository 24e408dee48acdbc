"""Checks of config.json's values before any layer or weight is built.

- Architecture values of every layer entry: sizes (``units``, ``filters``, vocabulary and
  embedding sizes, heads...) are integers from 1 to `Limits.max_width`; windows
  (``kernel_size``, ``pool_size``, ``strides``, paddings...) integers, or short lists of
  them, from 0 to `Limits.max_window`; shapes (``shape``, ``batch_shape``,
  ``target_shape``...) short lists of sizes up to `Limits.max_dimension`, at most
  `Limits.max_input_elements` elements per sample. At most `Limits.max_layers` entries.
- A subclassed model's ``build_config`` input signature: the same bounds on its shapes,
  and plain numeric dtypes (the model is called once on zeros of that shape).
- The weights manifest: a list of ``{"path", "shape", "dtype"}`` with unique paths, short
  shapes of non-negative sizes and plain numeric dtypes, at most `Limits.max_weights`
  entries and `Limits.max_weights_bytes` bytes in all.

Each check takes ``fail(problem)``, which makes the exception to raise.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.saving.limits import LIMITS

SIZE_KEYS = ("units", "filters", "input_dim", "output_dim", "vocab_size", "embed_dim",
             "ff_dim", "key_dim", "value_dim", "num_heads", "sequence_length",
             "depth_multiplier", "groups", "n", "height", "width", "num_tokens", "max_tokens",
             "num_bins", "output_sequence_length")
WINDOW_KEYS = ("kernel_size", "pool_size", "strides", "dilation_rate", "size", "cropping",
               "padding", "output_padding")
SHAPE_KEYS = ("shape", "batch_shape", "batch_input_shape", "input_shape", "target_shape")
_NUMERIC_KINDS = "biufc"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_size(key, value, fail, limits) -> None:
    if value is None:
        return
    if not _is_int(value) or not 1 <= value <= limits.max_width:
        raise fail(f"{key!r} is {value!r:.100}, expected an integer from 1 to "
                   f"{limits.max_width}")


def _check_window(key, value, fail, limits, level=0) -> None:
    if value is None or (key == "padding" and isinstance(value, str)):
        return
    if isinstance(value, list) and level < 2 and len(value) <= limits.max_rank:
        for item in value:
            _check_window(key, item, fail, limits, level + 1)
        return
    if not _is_int(value) or not 0 <= value <= limits.max_window:
        raise fail(f"{key!r} is {value!r:.100}, expected integers (or a list of them) from "
                   f"0 to {limits.max_window}")


def check_shape(key, value, fail, limits=LIMITS) -> None:
    """A shape: a list of sizes (None for unknown; -1 in a ``target_shape``)."""
    if value is None:
        return
    if _is_int(value):  # a one-axis shape given as a number
        value = [value]
    lowest = -1 if key == "target_shape" else 0
    if not isinstance(value, list) or len(value) > limits.max_rank or not all(
            item is None or (_is_int(item) and lowest <= item <= limits.max_dimension)
            for item in value):
        raise fail(f"{key!r} is {value!r:.100}, expected a list of at most {limits.max_rank} "
                   f"sizes from {lowest} to {limits.max_dimension} (or None)")
    sample = value[1:] if key.startswith("batch") else value
    elements = math.prod(item for item in sample if item is not None and item > 0)
    if elements > limits.max_input_elements:
        raise fail(f"{key!r} is {value!r:.100}: {elements} elements per sample, expected at "
                   f"most {limits.max_input_elements}")


def _check_layer_config(config: dict, fail, limits) -> None:
    for key in SIZE_KEYS:
        if key in config:
            _check_size(key, config[key], fail, limits)
    for key in WINDOW_KEYS:
        if key in config:
            _check_window(key, config[key], fail, limits)
    for key in SHAPE_KEYS:
        if key in config:
            check_shape(key, config[key], fail, limits)


def _plain_dtype(name, fail, what: str) -> np.dtype:
    try:
        dtype = np.dtype(name) if isinstance(name, str) else None
    except (TypeError, ValueError, SyntaxError):
        dtype = None
    if dtype is None or dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None \
            or dtype.subdtype is not None:
        raise fail(f"{what} has dtype {name!r:.60}, expected a numeric dtype name such as "
                   f"'float32'")
    return dtype


def check_signature(signature, fail, limits=LIMITS) -> None:
    """A subclassed model's input signature: shapes and dtypes, nested in dicts/lists."""
    stack = [signature]
    while stack:
        value = stack.pop()
        if isinstance(value, dict) and "shape" in value and "dtype" in value:
            check_shape("shape", value["shape"], fail, limits)
            _plain_dtype(value["dtype"], fail, "an input of the build config")
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        else:
            raise fail(f"the build config's input signature holds {value!r:.60}, expected "
                       f"{{'shape', 'dtype'}} entries")


def check_architecture(config, fail, limits=LIMITS) -> None:
    """Every layer entry of ``config`` (a tree of ``{"class_name", "config"}`` entries)."""
    stack, layers = [config], 0
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
            continue
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("class_name"), str) and isinstance(value.get("config"), dict):
            layers += 1
            if layers > limits.max_layers:
                raise fail(f"it holds more than {limits.max_layers} layer entries")
            name = value["class_name"]

            def layer_fail(problem, name=name):
                return fail(f"{name!r:.60} entry: {problem}")

            _check_layer_config(value["config"], layer_fail, limits)
            build_config = value.get("build_config")
            if isinstance(build_config, dict) and "input_signature" in build_config:
                check_signature(build_config["input_signature"], layer_fail, limits)
        stack.extend(item for key, item in value.items() if key != "weights")


def check_manifest(manifest, fail, limits=LIMITS):
    """``({path: (shape, dtype name)}, total bytes)`` of config.json's ``"weights"``."""
    if not isinstance(manifest, list):
        raise fail(f"'weights' is {type(manifest).__name__}, expected a list of "
                   f"{{'path', 'shape', 'dtype'}} entries")
    if len(manifest) > limits.max_weights:
        raise fail(f"'weights' lists {len(manifest)} weights, expected at most "
                   f"{limits.max_weights}")
    expected, total = {}, 0
    for index, item in enumerate(manifest):
        what = f"'weights'[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise fail(f"{what} is {item!r:.100}, expected {{'path': str, 'shape', 'dtype'}}")
        path, shape = item["path"], item.get("shape")
        if path in expected:
            raise fail(f"{what}: the weight {path!r:.100} is listed twice")
        if not isinstance(shape, list) or len(shape) > limits.max_rank or not all(
                _is_int(size) and size >= 0 for size in shape):
            raise fail(f"{what} ({path!r:.100}) has shape {shape!r:.100}, expected a list of "
                       f"at most {limits.max_rank} non-negative integers")
        dtype = _plain_dtype(item.get("dtype"), fail, f"{what} ({path!r:.100})")
        total += math.prod(shape) * dtype.itemsize
        if total > limits.max_weights_bytes:
            raise fail(f"'weights' declares more than {limits.max_weights_bytes} bytes of "
                       f"weights")
        expected[path] = (tuple(shape), str(dtype))
    return expected, total
