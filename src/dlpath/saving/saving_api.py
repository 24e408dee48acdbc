"""``save_model`` and ``load_model``: the ``.keras`` archive of a whole model."""

from __future__ import annotations

import datetime
import os

from dlpath.layers.weight_budget import weight_budget
from dlpath.saving import archive, temporaries
from dlpath.saving.compile_config import restore_compile, serialize_compile
from dlpath.saving.config_checks import check_architecture, check_manifest
from dlpath.saving.errors import SaveFileError, location, reading
from dlpath.saving.serialize import check_no_code, deserialize_layer, serialize_layer
from dlpath.saving.weights import (
    MODEL_EXTENSIONS, load_by_manifest, weight_arrays, weights_manifest,
)

FORMAT_NAME = "dlpath"
FORMAT_VERSION = "1.0"
# tf.keras 2 arguments that concern only TensorFlow's SavedModel format.
_IGNORED_SAVE_ARGUMENTS = ("signatures", "options", "save_traces")


def _check_save_format(save_format, zipped) -> None:
    if save_format is not None:
        fmt = str(save_format).lower()
        if fmt in ("h5", "hdf5"):
            raise ValueError("save_model: save_format='h5' (HDF5) is not supported by dlpath; "
                             "save to a '.keras' file instead")
        if fmt in ("tf", "savedmodel"):
            raise ValueError("save_model: TensorFlow's SavedModel format (save_format='tf') "
                             "is not supported; save to a '.keras' file instead")
        if fmt not in ("keras", "dlpath"):
            raise ValueError(f"save_model: unknown save_format {save_format!r}; use a "
                             f"'.keras' file")
    if zipped is not None and not zipped:
        raise ValueError("save_model: zipped=False (an unzipped folder) is not supported; "
                         "dlpath writes one '.keras' ZIP file")


def model_members(model, include_optimizer: bool = True) -> dict:
    """The members of a model's ``.keras`` archive (name -> bytes or JSON-able dict)."""
    from dlpath import __version__

    config = serialize_layer(model)
    config["weights"] = weights_manifest(model)
    members = {
        "metadata.json": {
            "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
            "dlpath_version": __version__,
            "date_saved": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds")},
        "config.json": config,
        "model.weights.npz": archive.npz_bytes(weight_arrays(model)),
    }
    if include_optimizer and getattr(model, "compiled", False) and model.optimizer is not None:
        members["compile.json"] = serialize_compile(model)
        members["optimizer.npz"] = archive.npz_bytes(model.optimizer.get_state())
    return members


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True,
               save_format=None, zipped=None, **kwargs) -> None:
    """Save the whole model to a ``.keras`` (or ``.dlpath``) ZIP archive, atomically.

    Members: ``metadata.json``, ``config.json`` (architecture and the weights' names,
    shapes and dtypes), ``model.weights.npz``, and, for a compiled model when
    ``include_optimizer`` is true, ``compile.json`` and ``optimizer.npz``.
    """
    from dlpath.models import Model

    unknown = sorted(set(kwargs) - set(_IGNORED_SAVE_ARGUMENTS))
    if unknown:
        raise TypeError(f"save_model: unknown keyword argument(s) {unknown}")
    _check_save_format(save_format, zipped)
    path = archive.check_extension(filepath, MODEL_EXTENSIONS, "save_model")
    if not isinstance(model, Model):
        raise TypeError(f"save_model: expected a Model, got {type(model).__name__}")
    members = model_members(model, include_optimizer)
    archive.atomic_write(path, lambda file: archive.write_archive(file, members),
                         overwrite=overwrite)


# ---------------------------------------------------------------- loading
def _check_metadata(metadata, path: str) -> None:
    fail = _failure(path, "metadata.json")
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise fail(f"it does not describe a dlpath archive (expected 'format': "
                   f"{FORMAT_NAME!r}, got {metadata!r:.200})")
    version = str(metadata.get("format_version", ""))
    if version.split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise fail(f"format version {version!r:.60} is not supported (this dlpath reads "
                   f"version {FORMAT_VERSION})")


def _failure(path, member):
    where = location(path, member)
    return lambda problem: SaveFileError(f"{where}: {problem}", path, member)


def read_config(saved, path: str):
    """``(config, expected weights, weights bytes)`` from config.json, all checked."""
    config = saved.read_json("config.json")
    fail = _failure(path, "config.json")
    if not isinstance(config, dict):
        raise fail(f"expected a JSON object describing a model, got "
                   f"{type(config).__name__}")
    with reading(path, "config.json", "a model architecture without code"):
        check_no_code(config, f"{path!r} config.json")
    check_architecture(config, fail)
    expected, nbytes = check_manifest(config.get("weights"), fail)
    return config, expected, nbytes


def _weights_cap(saved, expected: dict, nbytes: int, factor: int = 1) -> int:
    """The most bytes model.weights.npz may hold for the weights config.json lists (or,
    with ``factor``, a file holding up to ``factor`` arrays like each weight)."""
    limits = saved.limits
    return factor * (nbytes + len(expected) * limits.npz_member_overhead) \
        + limits.npz_overhead


def read_compile(saved, path: str, expected: dict, nbytes: int):
    """``(compile.json, optimizer.npz arrays or None)``; (None, None) if not compiled."""
    if not saved.has("compile.json"):
        return None, None
    config = saved.read_json("compile.json")
    if not isinstance(config, dict):
        raise _failure(path, "compile.json")(
            f"expected a JSON object of compile settings, got {type(config).__name__} "
            f"(pass compile=False to load the model uncompiled)")
    with reading(path, "compile.json", "compile settings without code"):
        check_no_code(config, f"{path!r} compile.json")
    state = None
    if saved.has("optimizer.npz"):
        cap = _weights_cap(saved, expected, nbytes, saved.limits.optimizer_state_factor)
        state = saved.read_npz("optimizer.npz", cap + (1 << 20))
    return config, state


def load_model(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True,
               **kwargs):
    """Rebuild a model saved by `save_model`: architecture, weights, and (if ``compile``)
    its compile settings and optimizer state.

    Class names are resolved only through the registry (dlpath's layers and models,
    classes registered with `register_serializable`, and ``custom_objects``); nothing in
    the file is ever executed or unpickled, whatever ``safe_mode`` says. Every size the
    file declares is checked before it is allocated; any failure to read the file raises
    `SaveFileError` naming the file and the member.
    """
    unknown = sorted(set(kwargs) - {"options"})
    if unknown:
        raise TypeError(f"load_model: unknown keyword argument(s) {unknown}")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: custom_objects must be a dict, got "
                        f"{type(custom_objects).__name__}")
    path = archive.check_extension(filepath, MODEL_EXTENSIONS, "load_model")
    if not os.path.exists(path):
        raise FileNotFoundError(f"load_model: no such file: {path!r}")
    temporaries.remove_stale(path)
    with reading(path, None, "a dlpath model archive"), archive.Archive(path) as saved:
        return _load(saved, path, custom_objects, compile)


def _load(saved, path: str, custom_objects, compile: bool):
    from dlpath.models import Model

    where = repr(path)
    if saved.has("model.weights.h5") and not saved.has("model.weights.npz"):
        raise SaveFileError(f"{where} was written by Keras (HDF5 weights); dlpath reads the "
                            f"archives it writes itself", path, "model.weights.h5")
    _check_metadata(saved.read_json("metadata.json"), path)
    config, expected, nbytes = read_config(saved, path)
    arrays = saved.read_npz("model.weights.npz", _weights_cap(saved, expected, nbytes),
                            expected)
    compile_config, state = read_compile(saved, path, expected, nbytes) if compile \
        else (None, None)
    # The weights the file holds bound what the architecture may build (twice over, for
    # weights stored in a narrower type than the layer computes in).
    held = sum(int(getattr(array, "nbytes", 0)) for array in arrays.values())
    with reading(path, "config.json", "an architecture dlpath can rebuild"), \
            weight_budget(2 * held + (1 << 20), f"{where} model.weights.npz"):
        model = deserialize_layer(config, custom_objects, f"{where} config.json")
        if not isinstance(model, Model):
            raise SaveFileError(f"{where} config.json describes a {type(model).__name__}, "
                                f"not a model")
    with reading(path, "model.weights.npz", "the weights config.json lists"):
        load_by_manifest(model, config["weights"], arrays,
                         location(path, "model.weights.npz"))
    if compile_config is not None:
        with reading(path, "compile.json", "compile settings this model accepts"):
            restore_compile(model, compile_config, state, custom_objects,
                            f"{where} compile.json")
    return model


__all__ = ["save_model", "load_model"]
