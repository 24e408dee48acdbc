"""``keras.utils.split_dataset``: two datasets from one, by sizes or fractions."""

from __future__ import annotations

import numbers

import numpy as np


def _size(name: str, value, total: int):
    """A count from an int, a fraction in (0, 1), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"split_dataset: {name} must be an int, a float in (0, 1) or None, "
                        f"got {type(value).__name__}")
    if isinstance(value, numbers.Integral):
        if not 0 <= value <= total:
            raise ValueError(f"split_dataset: {name}={value} is out of range for a dataset "
                             f"of {total} samples")
        return int(value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"split_dataset: a float {name} must be in (0, 1), got {value}")
    return int(round(value * total))


def _elements(dataset):
    """The dataset as one structure of arrays whose first axis indexes samples."""
    from dlpath.data import Dataset
    from dlpath.data import structure

    if isinstance(dataset, Dataset):
        rows = [structure.to_numpy(element) for element in dataset]
        if not rows:
            raise ValueError("split_dataset: the dataset is empty")
        return structure.pack_like(rows[0], [
            np.stack(leaves) for leaves in zip(*(structure.flatten(r) for r in rows))])
    if isinstance(dataset, list) and dataset and isinstance(dataset[0], (tuple, dict)):
        raise TypeError("split_dataset: give a tuple of arrays, not a list of samples")
    if isinstance(dataset, list):
        dataset = np.asarray(dataset)
    return structure.normalize(dataset)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Split ``dataset`` (an array, a tuple or dict of arrays, or a `Dataset`) into two
    `Dataset` objects of ``left_size`` and ``right_size`` samples (ints, or fractions of
    the total); a missing size takes the rest. ``shuffle`` shuffles first (with ``seed``).
    """
    from dlpath.data import Dataset
    from dlpath.data import structure

    element = _elements(dataset)
    leaves = structure.flatten(element)
    total = len(leaves[0])
    if any(len(leaf) != total for leaf in leaves):
        raise ValueError(f"split_dataset: every component needs the same number of samples, "
                         f"got {structure.describe(element)}")
    left, right = _size("left_size", left_size, total), _size("right_size", right_size, total)
    if left is None and right is None:
        raise ValueError("split_dataset: give left_size, right_size or both")
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"split_dataset: left_size + right_size = {left + right} is more "
                         f"than the {total} samples")
    if left == 0 or right == 0:
        raise ValueError(f"split_dataset: both parts need samples, got {left} and {right}")
    order = np.arange(total)
    if shuffle:
        np.random.default_rng(seed).shuffle(order)

    def part(indices):
        return Dataset.from_tensor_slices(
            structure.pack_like(element, [leaf[indices] for leaf in leaves]))

    return part(order[:left]), part(order[left:left + right])


__all__ = ["split_dataset"]
