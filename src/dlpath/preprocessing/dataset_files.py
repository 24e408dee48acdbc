"""Listing a folder of class subfolders as files and labels, as Keras' ``index_directory``.

Used by ``image_dataset_from_directory`` and ``text_dataset_from_directory``:

- ``labels="inferred"``: each subfolder of ``directory`` is a class, in alphanumeric order
  (or in the order of ``class_names``); its files (searched recursively, in sorted order)
  get the class's index.
- ``labels=None`` or a list: all files under ``directory``, sorted; a list gives one label
  per file in that order.
- ``shuffle``: files and labels are shuffled together with ``np.random.RandomState(seed)``
  (a random seed when None), then ``validation_split`` takes the LAST fraction for
  ``subset="validation"`` and the rest for ``"training"`` (``"both"``: the two).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

LABEL_MODES = ("int", "categorical", "binary", None)


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, owner="image_dataset_from_directory"):
    """``(file_paths, labels, class_names)`` for ``directory`` (see the module docstring).

    Raises:
        ValueError: no such folder, no files of ``formats``, ``class_names`` that do not
            match the subfolders, or a ``labels`` list of the wrong length.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ValueError(f"{owner}: directory {str(directory)!r} is not a folder")
    if labels == "inferred":
        found = sorted(p.name for p in root.iterdir() if p.is_dir())
        if class_names is not None:
            missing = [name for name in class_names if name not in found]
            if missing:
                raise ValueError(f"{owner}: class_names {missing} are not subfolders of "
                                 f"{directory}; found {found}")
            found = list(class_names)
        paths, indices = [], []
        for index, name in enumerate(found):
            files = _files_under(root / name, formats, follow_links)
            paths += files
            indices += [index] * len(files)
        names = found
    else:
        if class_names is not None:
            raise ValueError(f"{owner}: class_names can only be given with "
                             f"labels='inferred', got labels={labels!r}")
        paths = _files_under(root, formats, follow_links)
        indices = None
        names = None
        if labels is not None:
            indices = list(labels)
            if len(indices) != len(paths):
                raise ValueError(f"{owner}: labels has {len(indices)} entries but "
                                 f"{len(paths)} files were found in {directory}; expected "
                                 f"one label per file, in sorted path order")
    if not paths:
        raise ValueError(f"{owner}: no files found in directory {directory}. Allowed "
                         f"formats: {', '.join(formats)}")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        rng = np.random.RandomState(seed)
        order = rng.permutation(len(paths))
        paths = [paths[i] for i in order]
        if indices is not None:
            indices = [indices[i] for i in order]
    return paths, indices, names


def _files_under(folder, formats, follow_links):
    found = []
    for root, dirs, files in os.walk(folder, followlinks=follow_links):
        dirs.sort()
        found += [os.path.join(root, name) for name in sorted(files)
                  if name.lower().endswith(formats)]
    return found


def check_split(validation_split, subset, shuffle, seed, owner):
    """Keras' rules: a split needs a subset, a subset needs a split, and a shuffled split a
    seed (so that the training and validation files do not overlap)."""
    if subset not in (None, "training", "validation", "both"):
        raise ValueError(f"{owner}: subset must be 'training', 'validation', 'both' or "
                         f"None, got {subset!r}")
    if validation_split is not None and not 0 < validation_split < 1:
        raise ValueError(f"{owner}: validation_split must be in (0, 1), got "
                         f"{validation_split!r}")
    if (validation_split is None) != (subset is None):
        raise ValueError(f"{owner}: validation_split and subset must be given together, "
                         f"got validation_split={validation_split!r}, subset={subset!r}")
    if validation_split is not None and shuffle and seed is None:
        raise ValueError(f"{owner}: with validation_split and shuffle=True, give a seed so "
                         f"that the training and validation subsets do not overlap")


def split(paths, labels, validation_split, subset):
    """The ``(paths, labels)`` of ``subset``: the validation part is the last fraction."""
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        keep = slice(0, len(paths) - count)
    else:
        keep = slice(len(paths) - count, len(paths))
    return paths[keep], None if labels is None else labels[keep]


def encode_labels(labels, label_mode, num_classes, owner):
    """Integer class indices as ``label_mode`` asks: int32, one-hot or (n, 1) float32."""
    labels = np.asarray(labels, dtype=np.int64)
    if label_mode == "int":
        return labels.astype(np.int32)
    if label_mode == "binary":
        if num_classes != 2:
            raise ValueError(f"{owner}: label_mode='binary' needs exactly 2 classes, found "
                             f"{num_classes}")
        return labels.astype(np.float32)[:, None]
    return np.eye(num_classes, dtype=np.float32)[labels]


def check_label_mode(label_mode, labels, owner):
    if label_mode not in LABEL_MODES:
        raise ValueError(f"{owner}: label_mode must be 'int', 'categorical', 'binary' or "
                         f"None, got {label_mode!r}")
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError(f"{owner}: labels must be 'inferred', None, or a list of labels, "
                         f"got {labels!r}")


def report(verbose, count, classes, subset_count=None, subset=None):
    if not verbose:
        return
    if classes is not None:
        print(f"Found {count} files belonging to {classes} classes.")
    else:
        print(f"Found {count} files.")
    if subset is not None:
        print(f"Using {subset_count} files for {subset}.")
