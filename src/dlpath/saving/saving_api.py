"""``save_model`` and ``load_model``: the ``.keras`` archive of a whole model."""

from __future__ import annotations

import datetime
import os

from dlpath.saving import archive
from dlpath.saving.compile_config import restore_compile, serialize_compile
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


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True,
               save_format=None, zipped=None, **kwargs) -> None:
    """Save the whole model to a ``.keras`` (or ``.dlpath``) ZIP archive, atomically.

    Members: ``metadata.json``, ``config.json`` (architecture and the weights' names,
    shapes and dtypes), ``model.weights.npz``, and, for a compiled model when
    ``include_optimizer`` is true, ``compile.json`` and ``optimizer.npz``.
    """
    from dlpath import __version__
    from dlpath.models import Model

    unknown = sorted(set(kwargs) - set(_IGNORED_SAVE_ARGUMENTS))
    if unknown:
        raise TypeError(f"save_model: unknown keyword argument(s) {unknown}")
    _check_save_format(save_format, zipped)
    path = archive.check_extension(filepath, MODEL_EXTENSIONS, "save_model")
    if not isinstance(model, Model):
        raise TypeError(f"save_model: expected a Model, got {type(model).__name__}")
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
    archive.atomic_write(path, lambda file: archive.write_archive(file, members),
                         overwrite=overwrite)


def _check_metadata(metadata, where: str) -> None:
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise archive.SaveFileError(f"{where}: metadata.json does not describe a dlpath "
                                    f"archive (got {metadata!r:.200})")
    version = str(metadata.get("format_version", ""))
    if version.split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise archive.SaveFileError(f"{where}: format version {version!r} is not supported "
                                    f"(this dlpath reads version {FORMAT_VERSION})")


def load_model(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True,
               **kwargs):
    """Rebuild a model saved by `save_model`: architecture, weights, and (if ``compile``)
    its compile settings and optimizer state.

    Class names are resolved only through the registry (dlpath's layers and models,
    classes registered with `register_serializable`, and ``custom_objects``); nothing in
    the file is ever executed or unpickled, whatever ``safe_mode`` says.
    """
    from dlpath.models import Model

    unknown = sorted(set(kwargs) - {"options"})
    if unknown:
        raise TypeError(f"load_model: unknown keyword argument(s) {unknown}")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: custom_objects must be a dict, got "
                        f"{type(custom_objects).__name__}")
    path = archive.check_extension(filepath, MODEL_EXTENSIONS, "load_model")
    if not os.path.exists(path):
        raise FileNotFoundError(f"load_model: no such file: {path!r}")
    saved = archive.Archive(path)
    where = repr(path)
    if saved.has("model.weights.h5") and not saved.has("model.weights.npz"):
        raise archive.SaveFileError(f"{where} was written by Keras (HDF5 weights); dlpath "
                                    f"reads the archives it writes itself")
    _check_metadata(saved.read_json("metadata.json"), where)
    config = saved.read_json("config.json")
    check_no_code(config, f"{where} config.json")
    arrays = saved.read_npz("model.weights.npz")
    compile_config = saved.read_json("compile.json") if compile and saved.has(
        "compile.json") else None
    if compile_config is not None:
        check_no_code(compile_config, f"{where} compile.json")
    state = saved.read_npz("optimizer.npz") if compile_config is not None and saved.has(
        "optimizer.npz") else None
    if not isinstance(config, dict):
        raise archive.SaveFileError(f"{where}: config.json must hold a JSON object")
    model = deserialize_layer(config, custom_objects, f"{where} config.json")
    if not isinstance(model, Model):
        raise archive.SaveFileError(f"{where}: config.json describes a "
                                    f"{type(model).__name__}, not a model")
    load_by_manifest(model, config.get("weights"), arrays, where)
    if compile_config is not None:
        restore_compile(model, compile_config, state, custom_objects,
                        f"{where} compile.json")
    return model


__all__ = ["save_model", "load_model"]
