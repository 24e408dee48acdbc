"""Weights: stable names, the ``.weights.npz`` file, and checked assignment.

Each weight is named ``"layers/<layer key>/<index>"``: the layer key is the layer's class
name in snake_case, numbered within the model in order (``dense``, ``dense_1``), and the
index counts the layer's ``weights`` (its sublayers' included); weights the model holds
itself, outside its layers, are ``"variables/<index>"``. A weights file is an ``.npz`` of
these arrays in the model's order. Loading checks every shape (and that the dtype converts
safely) before changing anything.
"""

from __future__ import annotations

import os
import re
import warnings

import numpy as np

from dlpath.saving import archive, temporaries
from dlpath.saving.errors import reading

WEIGHTS_EXTENSIONS = (".weights.npz", ".npz")
MODEL_EXTENSIONS = (".keras", ".dlpath")


def legacy_snake_case(name: str) -> str:
    """How dlpath 0.1.0 archives wrote the class-name part of a key: a digit also started a
    word (``Conv2D`` -> ``conv2_d``). Such archives still load."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def layer_keys(layers, naming=None) -> list:
    """A stable key per layer: its class name in snake_case, numbered within the model
    (``dense``, ``dense_1``, ``conv2d``, ...), as Keras 3 names saved layers. Unlike layer
    names, these do not depend on how many layers the process created before."""
    from dlpath.layers.layer import snake_case

    naming = naming or snake_case
    counts, keys = {}, []
    for layer in layers:
        base = naming(type(layer).__name__)
        count = counts.get(base, 0)
        counts[base] = count + 1
        keys.append(base if count == 0 else f"{base}_{count}")
    return keys


def named_weights(model, naming=None) -> list:
    """``[(key, variable, layer name)]`` for every weight of ``model``, in a stable order:
    ``"layers/<layer key>/<index>"``, then ``"variables/<index>"`` for weights the model
    holds outside its layers."""
    layers = list(getattr(model, "layers", None) or [])
    entries, covered = [], set()
    for key, layer in zip(layer_keys(layers, naming), layers):
        for index, variable in enumerate(layer.weights):
            entries.append((f"layers/{key}/{index}", variable, layer.name))
            covered.add(id(variable))
    own = [v for v in model.weights if id(v) not in covered]
    for index, variable in enumerate(own):
        entries.append((f"variables/{index}", variable, model.name))
    return entries


def weights_manifest(model) -> list:
    """What config.json records of each weight: key, variable name, shape and dtype."""
    return [{"path": key, "layer": layer, "name": variable.name,
             "shape": list(variable.data.shape), "dtype": str(variable.data.dtype)}
            for key, variable, layer in named_weights(model)]


def weight_arrays(model) -> dict:
    return {key: variable.data for key, variable, _ in named_weights(model)}


def _check_dtype(array, variable, where: str) -> None:
    if not np.can_cast(array.dtype, variable.data.dtype, casting="same_kind"):
        raise archive.SaveFileError(f"{where}: cannot load a {array.dtype} array into "
                                    f"weight '{variable.name}' of dtype "
                                    f"{variable.data.dtype}")


def warn_non_finite(key: str, variable, array, where: str) -> None:
    """Warn (without refusing) when a loaded weight holds NaN or infinite values."""
    if array.dtype.kind in "fc" and array.size:
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        if bad:
            warnings.warn(f"{where}: weight {key!r} ('{variable.name}') holds {bad} NaN or "
                          f"infinite value(s) of {array.size}", RuntimeWarning, stacklevel=4)


def assign_all(pairs) -> None:
    """Set each variable from its array (all checks are done before)."""
    for variable, array in pairs:
        variable.data[...] = array


# ---------------------------------------------------------------- by name (load_model)
def load_by_manifest(model, manifest, arrays: dict, where: str) -> None:
    """Set a rebuilt model's weights from a .keras archive: names, shapes and dtypes must
    all match what config.json recorded. ``where`` names the file and member."""
    if not isinstance(manifest, list):
        raise archive.SaveFileError(f"{where}: config.json 'weights' must be a list")
    entries = named_weights(model)
    expected = [item.get("path") if isinstance(item, dict) else None for item in manifest]
    actual = [key for key, _, _ in entries]
    if expected != actual:
        legacy = named_weights(model, legacy_snake_case)
        if expected == [key for key, _, _ in legacy]:
            entries, actual = legacy, expected
    if expected != actual:
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        raise archive.SaveFileError(
            f"{where}: the rebuilt model's weights do not match the saved ones: saved but not "
            f"in the model {missing[:10]}, in the model but not saved {extra[:10]}"
            + ("" if missing or extra else " (same names, different order)"))
    pairs = []
    for item, (key, variable, _) in zip(manifest, entries):
        if key not in arrays:
            raise archive.SaveFileError(f"{where}: there is no array {key!r}")
        array = arrays[key]
        saved = (tuple(item.get("shape", ())), str(item.get("dtype")))
        if (array.shape, str(array.dtype)) != saved:
            raise archive.SaveFileError(
                f"{where}: weight {key!r} is recorded as shape {saved[0]} {saved[1]} but the "
                f"stored array is shape {array.shape} {array.dtype}")
        if array.shape != variable.data.shape:
            raise archive.SaveFileError(
                f"{where}: weight {key!r} ('{variable.name}') has shape {variable.data.shape} "
                f"in the rebuilt model but {array.shape} in the file")
        _check_dtype(array, variable, where)
        warn_non_finite(key, variable, array, where)
        pairs.append((variable, array))
    unexpected = sorted(set(arrays) - set(actual))
    if unexpected:
        raise archive.SaveFileError(f"{where}: it holds arrays no weight uses: "
                                    f"{unexpected[:10]}")
    assign_all(pairs)


# ---------------------------------------------------------------- by order (load_weights)
def _groups(keys) -> list:
    """Consecutive keys with the same owner (``"layers/<name>"``), in order."""
    groups = []
    for key in keys:
        owner = key.rsplit("/", 1)[0] if "/" in key else key
        if groups and groups[-1][0] == owner:
            groups[-1][1].append(key)
        else:
            groups.append((owner, [key]))
    return groups


def _owner_label(owner: str) -> str:
    return owner.removeprefix("layers/")


def load_by_order(model, arrays: dict, where: str, skip_mismatch: bool = False) -> None:
    """Set ``model``'s weights from a weights file: layer by layer in order (only layers
    that have weights), weight by weight, checking each shape before changing anything."""
    entries = named_weights(model)
    variables = {key: (variable, name) for key, variable, name in entries}
    model_groups = _groups([key for key, _, _ in entries])
    file_groups = _groups(list(arrays))
    model_names = [variables[keys[0]][1] for _, keys in model_groups]
    if len(model_groups) != len(file_groups):
        hint = " (build the model first, e.g. by calling it on data)" if not entries else ""
        raise archive.SaveFileError(
            f"{where}: the file holds weights for {len(file_groups)} layer(s) "
            f"{[_owner_label(o) for o, _ in file_groups]} but the model has "
            f"{len(model_groups)} layer(s) with weights {model_names}{hint}")
    pairs = []
    for (_, keys), layer_name, (file_owner, file_keys) in zip(model_groups, model_names,
                                                               file_groups):
        layer_pairs, problem = [], None
        if len(keys) != len(file_keys):
            problem = (f"layer '{layer_name}' has {len(keys)} weight(s) but the file's layer "
                       f"'{_owner_label(file_owner)}' has {len(file_keys)}")
        else:
            for key, file_key in zip(keys, file_keys):
                variable = variables[key][0]
                array = arrays[file_key]
                if array.shape != variable.data.shape:
                    problem = (f"layer '{layer_name}' weight '{variable.name}' has shape "
                               f"{variable.data.shape} in the model but {array.shape} in the "
                               f"file ('{file_key}')")
                    break
                _check_dtype(array, variable, where)
                warn_non_finite(file_key, variable, array, where)
                layer_pairs.append((variable, array))
        if problem is None:
            pairs.extend(layer_pairs)
        elif skip_mismatch:
            warnings.warn(f"{where}: skipping layer '{layer_name}': {problem}", UserWarning,
                          stacklevel=3)
        else:
            raise archive.SaveFileError(f"{where}: {problem} (pass skip_mismatch=True to "
                                        f"skip such layers)")
    assign_all(pairs)


# ---------------------------------------------------------------- public functions
def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Write ``model``'s weights to ``filepath`` (``.weights.npz`` or ``.npz``), atomically."""
    path = archive.check_extension(filepath, WEIGHTS_EXTENSIONS, "save_weights")
    data = archive.npz_bytes(weight_arrays(model))
    archive.atomic_write(path, lambda file: file.write(data), overwrite=overwrite)


def _read_weights_file(path: str, model) -> dict:
    """The arrays of a weights file (or of a ``.keras`` archive's weights), reading at
    most twice the model's weights plus the file's own size."""
    limits = archive.LIMITS
    model_bytes = sum(variable.data.nbytes for variable in model.weights)
    cap = 2 * model_bytes + os.path.getsize(path) + limits.npz_overhead
    if path.lower().endswith(MODEL_EXTENSIONS):
        with reading(path, "model.weights.npz", "an .npz of weights"), \
                archive.Archive(path) as saved:
            return saved.read_npz("model.weights.npz", cap)
    with reading(path, None, "an .npz of weights"):
        return archive.read_npz_file(path, cap)


def load_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Load weights saved by `save_weights` (or those inside a ``.keras`` archive) into
    ``model``, matched by order and checked by shape. A file that cannot be read, or whose
    weights do not fit the model, raises `SaveFileError` (a ``ValueError``)."""
    path = archive.check_extension(filepath, WEIGHTS_EXTENSIONS + MODEL_EXTENSIONS,
                                   "load_weights")
    if not os.path.exists(path):
        raise FileNotFoundError(f"load_weights: no such file: {path!r}")
    temporaries.remove_stale(path)
    arrays = _read_weights_file(path, model)
    member = "model.weights.npz" if path.lower().endswith(MODEL_EXTENSIONS) else None
    with reading(path, member, "weights that fit the model"):
        load_by_order(model, arrays, f"load_weights({path!r})", skip_mismatch=skip_mismatch)
