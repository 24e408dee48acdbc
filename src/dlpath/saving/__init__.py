"""Saving and loading models: JSON for structure, ``.npz`` for arrays, never pickle.

``model.save("model.keras")`` (or ``.dlpath``) writes one ZIP archive:

- ``metadata.json``: ``{"format": "dlpath", "format_version": "1.0", "dlpath_version",
  "date_saved"}``.
- ``config.json``: the architecture, ``{"module", "class_name", "config",
  "registered_name"}`` (see `dlpath.saving.serialize`: Sequential layer lists, functional
  node graphs, registered subclassed models), plus ``"weights"``: for each weight its key
  ``"layers/<layer key>/<index>"`` (the class name in snake_case, numbered within the
  model: ``dense``, ``dense_1``; ``"variables/<index>"`` for a model's own weights), its
  layer, variable name, shape and dtype.
- ``model.weights.npz``: the weights under those keys.
- ``compile.json`` and ``optimizer.npz`` (a compiled model): the optimizer's config, the
  losses, loss weights and metrics as given to ``compile``, and ``optimizer.get_state()``,
  so that training continues exactly where it stopped.

``model.save_weights("model.weights.npz")`` writes only the ``.npz`` of weights;
``load_weights`` matches them to a model layer by layer, in order, checking each shape.

Safety: nothing in a file is ever executed or unpickled. Arrays are read with their
``.npy`` headers checked first (plain numeric dtypes only); class names are looked up only
in the registry (dlpath's layers and models, classes registered with
`register_serializable`, and ``custom_objects``); entries standing for code (``Lambda``)
are refused. Every size a file declares is checked before anything is allocated (see
`dlpath.saving.limits`): ZIP members against caps derived from the weights manifest and
against bombs, ``.npy`` shapes against the manifest and the bytes actually stored,
architecture values (units, filters, kernel sizes, input shapes) against sane bounds, JSON
nesting and integer sizes. Any failure while reading a file raises `SaveFileError`, a
``ValueError`` naming the file, the member and what was expected; NaN or infinite weights
load with a warning naming the weight. Every write is atomic (a uniquely named temporary
file in the same folder, then ``os.replace``), and the next save or load of a path removes
what a killed save left. HDF5 (``.h5``) and TensorFlow's SavedModel are not supported. See
docs/saving.md.
"""

from dlpath.saving.archive import SaveFileError
from dlpath.saving.registry import (
    get_registered, get_registered_name, get_registered_object, register_serializable,
)
from dlpath.saving.saving_api import load_model, save_model
from dlpath.saving.serialize import deserialize_layer as deserialize_keras_object
from dlpath.saving.serialize import serialize_layer as serialize_keras_object
from dlpath.saving.weights import load_weights, save_weights

# Keras' spellings.
register_keras_serializable = register_serializable

__all__ = [
    "save_model", "load_model", "save_weights", "load_weights", "register_serializable",
    "get_registered", "get_registered_name", "register_keras_serializable",
    "get_registered_object", "serialize_keras_object", "deserialize_keras_object",
    "SaveFileError",
]
