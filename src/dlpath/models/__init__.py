"""Models: Sequential, functional and subclassed `Model`, with compile/fit/evaluate/predict."""

from dlpath.models.model import Model
from dlpath.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
