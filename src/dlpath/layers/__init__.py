"""Keras-style layers on dlpath's engine."""

from dlpath.layers.core import Activation, Dropout, Flatten, Permute, Reshape
from dlpath.layers.dense import Dense
from dlpath.layers.embedding import Embedding
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.merge import (
    Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract,
)

__all__ = [
    "Layer", "InputSpec",
    "Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "Embedding",
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
]
