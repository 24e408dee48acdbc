"""Checks on the arrays ``fit``/``evaluate``/``predict`` receive, against silent wrong answers.

Run once per call, on array data (a NumPy array, a Tensor, or a list/tuple/dict of them),
before any batch is made:

- **finite values**: NaN or infinity anywhere in ``x``, ``y``, ``sample_weight`` (or in
  ``validation_data``) makes every later loss NaN. `check_finite` finds it with one
  vectorised pass per floating array — ``array.sum()`` is finite exactly when no element is
  NaN or infinite, unless the sum overflows, and only then (or when a bad value exists) is
  the element-wise ``np.isfinite`` run, to name the first bad index. Integer arrays (uint8
  images, class ids) cannot hold NaN and are skipped. ``fit(..., check_finite=False)`` (and
  the same argument of ``evaluate``/``predict``) turns the pass off.
- **string labels**: targets of dtype str/bytes (or objects that are strings) are refused,
  as Keras refuses them; the message says how to map classes to integer ids.
- **binary cross-entropy targets**: a compiled ``binary_crossentropy`` loss with targets
  outside [0, 1] (class ids 0..9, labels -1/+1) trains on a meaningless loss; it is refused
  with the loss's name and the first bad value. Only the data given to ``fit``/``evaluate``
  is checked: the loss called directly accepts any target, as soft labels with noise beyond
  1 (a common GAN recipe) need.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers.arguments import ArgumentTypeError, InvalidArgumentError


class DataCheckError(InvalidArgumentError):
    """The data given to fit/evaluate/predict would give a wrong answer (a ValueError)."""


class LabelTypeError(ArgumentTypeError):
    """Targets of a type the losses cannot use, such as strings (a TypeError)."""


def named_leaves(structure, name: str) -> list:
    """``[(name, array), ...]`` for every array in ``structure``: ``x``, ``x[0]``, ``x['a']``."""
    if structure is None:
        return []
    if isinstance(structure, dict):
        return [leaf for key, value in structure.items()
                for leaf in named_leaves(value, f"{name}[{key!r}]")]
    if isinstance(structure, (list, tuple)) and any(
            isinstance(v, (np.ndarray, Tensor, list, tuple, dict)) for v in structure):
        return [leaf for i, value in enumerate(structure)
                for leaf in named_leaves(value, f"{name}[{i}]")]
    if isinstance(structure, Tensor):
        return [(name, structure.data)]
    return [(name, structure if isinstance(structure, np.ndarray) else np.asarray(structure))]


def _index_text(array: np.ndarray, flat_index: int) -> str:
    index = tuple(int(i) for i in np.unravel_index(flat_index, array.shape))
    if len(index) == 1:
        return f"index {index[0]}"
    return f"index {index} (sample {index[0]})"


def first_non_finite(array: np.ndarray):
    """The flat index of the first NaN or infinity in ``array``, or None (one fast pass)."""
    if array.dtype.kind not in "fc" or array.size == 0:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        total = array.sum()
    if np.isfinite(total):
        return None
    bad = np.flatnonzero(~np.isfinite(array))
    return int(bad[0]) if bad.size else None  # no bad value: the sum only overflowed


def check_finite(owner: str, structures: dict) -> None:
    """Refuse NaN or infinity in any array of ``structures`` (``{"x": x, "y": y}``).

    Raises:
        DataCheckError: naming the method, the array and the first bad index and value.
    """
    for name, structure in structures.items():
        for label, array in named_leaves(structure, name):
            index = first_non_finite(array)
            if index is not None:
                value = array.reshape(-1)[index]
                raise DataCheckError(
                    f"{owner}: {label} contains {value} at {_index_text(array, index)}; NaN "
                    f"and infinity make the loss NaN. Clean the data (e.g. np.nan_to_num or "
                    f"drop the rows), or pass check_finite=False to skip this check")


def _holds_strings(array: np.ndarray) -> bool:
    if array.dtype.kind in "USa":
        return True
    if array.dtype.kind == "O" and array.size:
        return any(isinstance(v, (str, bytes)) for v in array.reshape(-1)[:1000])
    return False


def check_targets_are_numbers(owner: str, structures: dict) -> None:
    """Refuse string class labels in the targets (``{"y": y}``).

    Raises:
        LabelTypeError: naming the method, the array and an example label.
    """
    for name, structure in structures.items():
        for label, array in named_leaves(structure, name):
            if _holds_strings(array):
                example = array.reshape(-1)[0] if array.size else ""
                raise LabelTypeError(
                    f"{owner}: {label} holds strings (dtype {array.dtype}, e.g. {example!r}); "
                    f"the losses need numbers. Map the classes to integer ids first, e.g. "
                    f"classes, {name} = np.unique({name}, return_inverse=True), or with "
                    f"keras.layers.StringLookup")


def _loss_label(loss) -> str:
    if isinstance(loss, str):
        return repr(loss)
    if isinstance(loss, dict):
        return repr(loss.get("class_name"))
    return getattr(loss, "name", None) or getattr(loss, "__name__", type(loss).__name__)


def _pairs(loss, y, name: str) -> list:
    """(loss identifier, target name, target array) for each output whose loss is known."""
    if isinstance(loss, dict):
        if not isinstance(y, dict):
            return []
        return [(loss[key], label, array) for key in loss if key in y
                for label, array in named_leaves(y[key], f"{name}[{key!r}]")]
    if isinstance(loss, (list, tuple)):
        if not isinstance(y, (list, tuple)) or len(y) != len(loss):
            return []
        return [(item, label, array) for i, (item, target) in enumerate(zip(loss, y))
                for label, array in named_leaves(target, f"{name}[{i}]")]
    return [(loss, label, array) for label, array in named_leaves(y, name)]


def check_binary_targets(owner: str, loss, y, name: str = "y") -> None:
    """Refuse targets outside [0, 1] for outputs compiled with binary cross-entropy.

    Raises:
        DataCheckError: naming the loss, the targets and the first value outside [0, 1].
    """
    from dlpath.metrics.resolve import is_binary_crossentropy

    for identifier, label, array in _pairs(loss, y, name):
        if identifier is None or array.dtype.kind not in "fiub" or array.size == 0:
            continue
        if not is_binary_crossentropy(identifier):
            continue
        if array.min() >= 0 and array.max() <= 1:
            continue
        index = int(np.flatnonzero((array < 0) | (array > 1))[0])
        value = array.reshape(-1)[index]
        raise DataCheckError(
            f"{owner}: the loss {_loss_label(identifier)} (binary cross-entropy) needs "
            f"targets in [0, 1], but {label} "
            f"has {value} at {_index_text(array, index)}. For class ids 0..K-1 use "
            f"'sparse_categorical_crossentropy' with a softmax output of K units; for "
            f"labels -1/+1 map them to 0/1")
