"""`Variable`: a named, trainable Tensor that holds a model's state (weights, statistics)."""

from __future__ import annotations

import numpy as np

from dlpath.engine.tensor import Tensor, as_array


class Variable(Tensor):
    """A leaf Tensor with a name, updated in place by optimizers and `assign`.

    ``trainable`` decides whether the variable takes part in gradient descent: a
    non-trainable variable (BatchNormalization's moving mean, a frozen layer's kernel) does
    not require a gradient.
    """

    def __init__(self, value, name: str = "variable", trainable: bool = True, dtype=None):
        array = as_array(value, dtype)
        super().__init__(array, requires_grad=trainable and array.dtype.kind == "f",
                         dtype=array.dtype)
        self.name = name
        self._trainable = bool(trainable)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.requires_grad = self._trainable and self.data.dtype.kind == "f"
        if not self._trainable:
            self.grad = None

    def assign(self, value) -> "Variable":
        """Overwrite the value in place; the shape must stay the same."""
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if array.shape != self.data.shape:
            raise ValueError(f"Variable '{self.name}': cannot assign a value of shape "
                             f"{array.shape} to a variable of shape {self.data.shape}")
        self.data[...] = array
        return self

    def assign_add(self, value) -> "Variable":
        self.data += np.asarray(value.data if isinstance(value, Tensor) else value)
        return self

    def assign_sub(self, value) -> "Variable":
        self.data -= np.asarray(value.data if isinstance(value, Tensor) else value)
        return self

    def __repr__(self) -> str:
        return (f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype} "
                f"trainable={self.trainable}>")
