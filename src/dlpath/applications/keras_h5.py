"""Reading Keras' HDF5 weight files (the published ``keras.applications`` weights).

A Keras ``.h5`` weights file holds one group per layer (under ``model_weights/`` in a
whole-model file), with the attribute ``layer_names`` listing them and, per layer,
``weight_names`` listing its arrays in the layer's weight order. Each group is matched to
the dlpath layer of the same name, and every array's shape is checked before any weight
is set. Reading needs h5py (``pip install h5py``), imported only here. Only numeric
arrays are read; nothing in the file is executed.
"""

from __future__ import annotations

import numpy as np


def _names(values) -> list:
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]


def load_keras_h5(model, path: str) -> None:
    """Set ``model``'s weights from the Keras weights file ``path``, layer by name."""
    try:
        import h5py
    except ImportError as error:
        raise ImportError(f"{path}: reading a Keras .h5 weights file needs the h5py package: "
                          f"pip install h5py (or pass a dlpath .weights.npz file)") from error
    by_name = {layer.name: layer for layer in model.layers}
    updates = []
    with h5py.File(path, "r") as file:
        group = file["model_weights"] if "model_weights" in file else file
        for name in _names(group.attrs.get("layer_names", [])):
            weight_names = _names(group[name].attrs.get("weight_names", []))
            if not weight_names:
                continue
            layer = by_name.get(name)
            if layer is None:
                raise ValueError(f"{path}: the file has weights for layer {name!r}, which "
                                 f"model '{model.name}' does not have")
            arrays = [np.asarray(group[name][w]) for w in weight_names]
            own = layer.weights
            if len(arrays) != len(own) or any(a.shape != tuple(w.shape)
                                              for a, w in zip(arrays, own)):
                raise ValueError(f"{path}: layer {name!r} has weights of shapes "
                                 f"{[tuple(w.shape) for w in own]}, the file holds "
                                 f"{[a.shape for a in arrays]}")
            updates.append((layer, arrays))
    if not updates:
        raise ValueError(f"{path}: the file holds no layer weights")
    for layer, arrays in updates:
        layer.set_weights(arrays)
