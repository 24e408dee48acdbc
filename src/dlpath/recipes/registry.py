"""The recipes by name."""

from __future__ import annotations

import importlib

# Module of each recipe, imported on first use so that listing recipes stays fast.
_MODULES = {}
_RECIPES: dict = {}


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
