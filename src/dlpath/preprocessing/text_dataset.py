"""``text_dataset_from_directory``: a folder of class subfolders of ``.txt`` files.

The layout of the IMDb reviews (``aclImdb/train/pos``, ``aclImdb/train/neg``) gives
classes ``["neg", "pos"]`` (alphanumeric order), labels 0 and 1. Files are listed as
`dataset_files` describes and read (UTF-8) when the dataset is iterated; batches are
``(texts, labels)`` with texts a NumPy array of Python strings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlpath.data import Dataset

from . import dataset_files
from .image_dataset import finish

OWNER = "text_dataset_from_directory"


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """A `Dataset` of ``(texts, labels)`` batches read from the ``.txt`` files of
    ``directory``; ``max_length`` keeps the first that many characters of each text.

    The other arguments are those of ``image_dataset_from_directory``.
    """
    if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
        raise ValueError(f"{OWNER}: max_length must be None or a positive int, got "
                         f"{max_length!r}")
    dataset_files.check_label_mode(label_mode, labels, OWNER)
    dataset_files.check_split(validation_split, subset, shuffle, seed, OWNER)
    paths, indices, names = dataset_files.index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links, OWNER)
    if label_mode is not None and indices is None:
        raise ValueError(f"{OWNER}: labels=None gives no labels: use label_mode=None")
    num_classes = len(names) if names is not None else int(max(indices or [0])) + 1

    def read(path):
        text = Path(str(np.asarray(path).item())).read_text(encoding="utf-8",
                                                            errors="replace")
        return np.asarray(text[:max_length] if max_length else text)

    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for index, part in enumerate(subsets):
        part_paths, part_labels = dataset_files.split(paths, indices, validation_split, part)
        if index == 0:
            dataset_files.report(verbose, len(paths), len(names) if names else None,
                                 len(part_paths), part)
        elif verbose:
            print(f"Using {len(part_paths)} files for {part}.")
        path_array = np.asarray(part_paths, dtype=str)
        if label_mode is None:
            dataset = Dataset.from_tensor_slices(path_array).map(read)
        else:
            encoded = dataset_files.encode_labels(part_labels, label_mode, num_classes, OWNER)
            dataset = Dataset.from_tensor_slices((path_array, encoded)).map(
                lambda path, label: (read(path), label))
        dataset = finish(dataset, batch_size, shuffle and part != "validation", seed)
        dataset.class_names = names
        dataset.file_paths = list(part_paths)
        datasets.append(dataset)
    return tuple(datasets) if subset == "both" else datasets[0]
