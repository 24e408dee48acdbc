"""Named, runnable projects: ``dlpath recipes`` lists them, ``dlpath train NAME`` runs one."""

from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import all_recipes, get_recipe, register

__all__ = ["Recipe", "RecipeConfig", "DataSplits", "all_recipes", "get_recipe", "register"]
