"""The file of a `QuantizedModel`: a ZIP of JSON and ``.npz`` members, never a pickle.

    metadata.json       format 'dlpath-int8', its version, mode and calibration method
    config.json         the float model's architecture (as in a .keras file) and the
                        manifest of the float weights kept (layers that stay float)
    quantization.json   per quantized layer: its kind, input parameters, and the name,
                        shape and dtype of each of its arrays; the folded BatchNorms
    float.weights.npz   the kept float weights
    int8.weights.npz    the quantized layers' arrays: int8 kernels and tables, float32
                        scales, int32 biases ("<layer>/<array>")

Int8 arrays are stored as int8, so the file is about a quarter of the float model's.
Loading rebuilds the architecture through dlpath's registry (no code runs), checks every
array's shape and dtype against the JSON before reading it, and rebuilds the layers.
"""

from __future__ import annotations

import datetime
import os

import numpy as np

from dlpath.export.quantization.dynamic_layers import DYNAMIC_KINDS
from dlpath.export.quantization.static_layers import STATIC_KINDS

FORMAT_NAME = "dlpath-int8"
FORMAT_VERSION = "1.0"
KINDS = {**STATIC_KINDS, **DYNAMIC_KINDS}
ARRAY_DTYPES = ("int8", "int32", "float32")


def _replaced(qmodel) -> set:
    return set(qmodel.layers) | set(qmodel.folded)


def _kept_weights(qmodel) -> list:
    from dlpath.saving.weights import named_weights

    replaced = _replaced(qmodel)
    return [(key, variable, layer) for key, variable, layer in named_weights(qmodel.model)
            if layer not in replaced]


def save_quantized(qmodel, path) -> None:
    """Write ``qmodel`` to ``path`` atomically (see the module docstring)."""
    from dlpath import __version__
    from dlpath.saving import archive
    from dlpath.saving.serialize import serialize_layer

    path = os.fspath(path)
    kept = _kept_weights(qmodel)
    config = serialize_layer(qmodel.model)
    config["weights"] = [{"path": key, "layer": layer, "name": variable.name,
                          "shape": list(variable.data.shape), "dtype": str(variable.data.dtype)}
                         for key, variable, layer in kept]
    layers, int8_arrays = {}, {}
    for name, quantized in qmodel.layers.items():
        arrays = quantized.arrays()
        layers[name] = {**quantized.config(), "arrays": {
            key: {"shape": list(np.shape(a)), "dtype": str(np.asarray(a).dtype)}
            for key, a in arrays.items()}}
        int8_arrays.update({f"{name}/{key}": a for key, a in arrays.items()})
    members = {
        "metadata.json": {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                          "dlpath_version": __version__, "mode": qmodel.mode,
                          "method": qmodel.method,
                          "date_saved": datetime.datetime.now(datetime.timezone.utc)
                          .isoformat(timespec="seconds")},
        "config.json": config,
        "quantization.json": {"layers": layers, "folded": qmodel.folded},
        "float.weights.npz": archive.npz_bytes({k: v.data for k, v, _ in kept}),
        "int8.weights.npz": archive.npz_bytes(int8_arrays),
    }
    archive.atomic_write(path, lambda file: archive.write_archive(file, members))


def _fail(path, member):
    from dlpath.saving.errors import SaveFileError, location

    where = location(path, member)
    return lambda problem: SaveFileError(f"{where}: {problem}", path, member)


def _expected_int8(quantization: dict, fail) -> dict:
    layers = quantization.get("layers")
    if not isinstance(layers, dict) or not isinstance(quantization.get("folded"), dict):
        raise fail("expected {'layers': {...}, 'folded': {...}}")
    expected = {}
    for name, entry in layers.items():
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            raise fail(f"layer {name!r:.60}: kind must be one of {sorted(KINDS)}, got "
                       f"{entry!r:.100}")
        arrays = entry.get("arrays")
        if not isinstance(arrays, dict):
            raise fail(f"layer {name!r:.60} lists no arrays")
        for key, spec in arrays.items():
            shape = spec.get("shape") if isinstance(spec, dict) else None
            dtype = spec.get("dtype") if isinstance(spec, dict) else None
            if dtype not in ARRAY_DTYPES or not isinstance(shape, list) or not all(
                    isinstance(n, int) and n >= 0 for n in shape) or len(shape) > 8:
                raise fail(f"layer {name!r:.60} array {key!r:.60}: expected a shape and "
                           f"one of the dtypes {ARRAY_DTYPES}, got {spec!r:.100}")
            expected[f"{name}/{key}"] = (tuple(shape), dtype)
    return expected


def load_quantized(path):
    """The `QuantizedModel` saved at ``path`` by `save_quantized`."""
    from dlpath.export.quantization.model import QuantizedModel
    from dlpath.saving import archive
    from dlpath.saving.errors import SaveFileError, reading
    from dlpath.saving.saving_api import read_config
    from dlpath.saving.serialize import deserialize_layer
    from dlpath.saving.weights import named_weights

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load_quantized: no such file: {path!r}")
    cap = 2 * os.path.getsize(path) + (1 << 20)
    with reading(path, None, "a dlpath int8 model archive"), archive.Archive(path) as saved:
        metadata = saved.read_json("metadata.json")
        if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
            raise _fail(path, "metadata.json")(
                f"not a dlpath int8 model (expected 'format': {FORMAT_NAME!r}, got "
                f"{metadata!r:.100}); a float model loads with keras.models.load_model")
        config, expected_float, _ = read_config(saved, path)
        quantization = saved.read_json("quantization.json")
        if not isinstance(quantization, dict):
            raise _fail(path, "quantization.json")("expected a JSON object")
        expected_int8 = _expected_int8(quantization, _fail(path, "quantization.json"))
        floats = saved.read_npz("float.weights.npz", cap, expected_float)
        ints = saved.read_npz("int8.weights.npz", cap, expected_int8)
    with reading(path, "config.json", "an architecture dlpath can rebuild"):
        model = deserialize_layer(config, None, f"{path!r} config.json")
    by_key = {key: variable for key, variable, _ in named_weights(model)}
    for key, array in floats.items():
        variable = by_key.get(key)
        if variable is None or variable.data.shape != array.shape:
            raise SaveFileError(f"{path!r} float.weights.npz: weight {key!r} does not fit "
                                f"the architecture", path, "float.weights.npz")
        variable.data[...] = array
    by_name = {layer.name: layer for layer in _all_layers(model)}
    layers = {}
    for name, entry in quantization["layers"].items():
        if name not in by_name:
            raise SaveFileError(f"{path!r} quantization.json: the model has no layer "
                                f"{name!r}", path, "quantization.json")
        arrays = {key: ints[f"{name}/{key}"] for key in entry["arrays"]}
        with reading(path, "quantization.json", f"the quantized layer {name!r}"):
            layers[name] = KINDS[entry["kind"]].from_saved(by_name[name], entry, arrays,
                                                           f"{path!r} quantization.json")
    return QuantizedModel(model, layers, quantization["folded"], metadata.get("mode"),
                          metadata.get("method"))


def _all_layers(model) -> list:
    from dlpath.export.graph import model_graph

    return [node.layer for node in model_graph(model).nodes]


__all__ = ["save_quantized", "load_quantized"]
