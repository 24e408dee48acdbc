"""Shared steps of the recipes: validation carved from the training set, limits, scaling."""

from __future__ import annotations

import numpy as np

from dlpath.datasets import train_val_test_split
from dlpath.recipes.base import DataSplits

# The share of the official training set held out for validation (70/15/15 in spirit).
VALIDATION_FRACTION = 0.15


def first(pair: tuple, limit: int) -> tuple:
    """The first ``limit`` samples of ``(x, y)`` (all of them when ``limit`` is 0)."""
    x, y = pair
    if limit and limit < len(x):
        return x[:limit], y[:limit]
    return x, y


def from_official_split(recipe, config, train: tuple, test: tuple, class_names: list,
                        kind: str) -> DataSplits:
    """Official train/test sets -> train/validation/test, preprocessed by the recipe.

    Validation is a stratified ``VALIDATION_FRACTION`` of the official training set,
    drawn with the config's seed; the official test set stays the test set.
    """
    x, y = train
    (x_train, y_train), (x_val, y_val), _ = train_val_test_split(
        x, np.asarray(y), val_size=VALIDATION_FRACTION, test_size=0.0, seed=config.seed)
    return prepared(recipe, config, (x_train, y_train), (x_val, y_val), test, class_names,
                    kind)


def prepared(recipe, config, train: tuple, validation: tuple, test: tuple,
             class_names: list, kind: str) -> DataSplits:
    """Apply ``train_limit``/``eval_limit``, then the recipe's ``preprocess`` to each split."""
    parts = [first(train, config.train_limit), first(validation, config.eval_limit),
             first(test, config.eval_limit)]
    train, validation, test = [
        (recipe.preprocess(config, x), np.asarray(y).astype(np.int64)) for x, y in parts]
    return DataSplits(train=train, validation=validation, test=test,
                      class_names=list(class_names), kind=kind)


def scale_images(samples, pixel_max: float, channels: int | None) -> np.ndarray:
    """Pixels to float32 in [0, 1]; ``channels=1`` adds the channel axis to (H, W) images."""
    x = np.asarray(samples, dtype=np.float32) / np.float32(pixel_max)
    if channels == 1 and x.ndim == 3:
        x = x[..., None]  # (N, H, W) -> (N, H, W, 1)
    return x
