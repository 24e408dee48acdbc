"""The recipes by name."""

from __future__ import annotations

import importlib

# Module of each recipe, imported on first use so that listing recipes stays fast.
_MODULES = {
    "digits-mlp": "dlpath.recipes.digits_mlp",
    "mnist-mlp": "dlpath.recipes.mnist_mlp",
    "mnist-cnn": "dlpath.recipes.mnist_cnn",
    "mnist-cnn-distilled": "dlpath.recipes.mnist_cnn_distilled",
    "fashion-mnist-cnn": "dlpath.recipes.fashion_mnist_cnn",
    "cifar10-cnn": "dlpath.recipes.cifar10_cnn",
    "cifar10-resnet": "dlpath.recipes.cifar10_resnet",
    "imdb-lstm": "dlpath.recipes.imdb_lstm",
    "imdb-bilstm": "dlpath.recipes.imdb_bilstm",
    "imdb-transformer": "dlpath.recipes.imdb_transformer",
}
_RECIPES: dict = {}
# Transfer learning, multi-task learning and a GAN (recipes with their own train()).
_MODULES.update({
    "mnist-transfer": "dlpath.recipes.mnist_transfer",
    "fashion-multitask": "dlpath.recipes.fashion_multitask",
    "mnist-multitask": "dlpath.recipes.fashion_multitask",
    "mnist-gan": "dlpath.recipes.mnist_gan",
})
# Sequence recognition with CTC.
_MODULES["ocr-digits"] = "dlpath.recipes.ocr_digits"
# Object detection with a single-shot grid detector.
_MODULES["mnist-detect"] = "dlpath.recipes.mnist_detect"


def register(recipe_class):
    """Class decorator: make a recipe available under its ``name``."""
    _RECIPES[recipe_class.name] = recipe_class
    return recipe_class


def _load_all() -> None:
    for module in _MODULES.values():
        importlib.import_module(module)


def all_recipes() -> list:
    """Every recipe, sorted by name."""
    _load_all()
    return [_RECIPES[name]() for name in sorted(_RECIPES)]


def get_recipe(name: str):
    """The recipe called ``name``; a clear error lists the known ones."""
    if name in _MODULES:
        importlib.import_module(_MODULES[name])
    if name not in _RECIPES:
        _load_all()
    if name not in _RECIPES:
        raise KeyError(f"unknown recipe '{name}'; known recipes: {', '.join(sorted(_RECIPES))}")
    return _RECIPES[name]()
