"""`StackedRNNCells`, and the bases `AbstractRNNCell` and `Wrapper` of Keras' API.

`StackedRNNCells` makes one cell of several: at each step cell k reads the output of cell
k - 1 (cell 0 reads x_t) and its own states,

    o_0 = x_t,   (o_k, s_k') = cell_k(o_{k-1}, s_k)   for k = 1..K,   output o_K

so ``RNN(StackedRNNCells([c1, c2]))`` equals stacking ``RNN(c1, return_sequences=True)``
and ``RNN(c2)``. Its states are the cells' states in order, flattened.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.recurrent.rnn import deserialize_layer, serialize_layer


def _sizes(state_size) -> list:
    return [state_size] if isinstance(state_size, (int, np.integer)) else list(state_size)


class AbstractRNNCell(Layer):
    """Base class of a custom RNN cell (tf.keras' ``AbstractRNNCell``): a subclass sets
    ``state_size`` (an int or a list of ints) and ``output_size`` and writes
    ``call(inputs, states) -> (output, new_states)``; zero initial states come from here."""

    @property
    def state_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define state_size")

    @property
    def output_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define output_size")

    def get_initial_state(self, batch_size: int) -> list:
        return [Tensor(np.zeros((batch_size, size)), dtype=self.dtype)
                for size in _sizes(self.state_size)]


class Wrapper(Layer):
    """Base class of layers that wrap one layer (``keras.layers.Wrapper(layer)``): it
    builds the inner layer and (de)serializes it as ``{"layer": {...}}``; a subclass writes
    ``call``."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise arguments.ArgumentTypeError(
                f"{type(self).__name__}: layer must be a Layer instance, got "
                f"{arguments.describe(layer)}")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        return cls(deserialize_layer(config.pop("layer"), custom_objects), **config)


class StackedRNNCells(Layer):
    """Several RNN cells run as one (see the module docstring); for `RNN`.

    ``state_size`` is the flat list of the cells' state sizes, ``output_size`` the last
    cell's. Weights are the cells' weights, in order.
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise arguments.ArgumentTypeError(
                f"StackedRNNCells: cells must be a non-empty list of RNN cells, got "
                f"{arguments.describe(cells)}")
        for i, cell in enumerate(cells):
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise arguments.ArgumentTypeError(
                    f"StackedRNNCells: cells[{i}] must be an RNN cell (a call() method and "
                    f"a state_size), got {arguments.describe(cell)}")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [size for cell in self.cells for size in _sizes(cell.state_size)]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        return getattr(last, "output_size", _sizes(last.state_size)[0])

    def build(self, input_shape):
        features = input_shape[-1]
        for cell in self.cells:
            if not cell.built:
                cell.build((input_shape[0], features))
                cell.built = True
            features = getattr(cell, "output_size", _sizes(cell.state_size)[0])

    def get_initial_state(self, batch_size: int) -> list:
        states = []
        for cell in self.cells:
            if hasattr(cell, "get_initial_state"):
                states.extend(cell.get_initial_state(batch_size))
            else:
                states.extend(Tensor(np.zeros((batch_size, size)), dtype=self.dtype)
                              for size in _sizes(cell.state_size))
        return states

    def call(self, inputs, states, training=False):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        if len(states) != len(self.state_size):
            raise ValueError(f"Layer '{self.name}' (StackedRNNCells): expected "
                             f"{len(self.state_size)} states (sizes {self.state_size}), got "
                             f"{len(states)}")
        output, new_states, start = inputs, [], 0
        for cell in self.cells:
            count = len(_sizes(cell.state_size))
            own = states[start:start + count]
            output, updated = cell(output, own, training=training)
            updated = list(updated) if isinstance(updated, (list, tuple)) else [updated]
            new_states.extend(updated)
            start += count
        return output, new_states

    def reset_dropout_mask(self) -> None:
        for cell in self.cells:
            if hasattr(cell, "reset_dropout_mask"):
                cell.reset_dropout_mask()

    def get_config(self):
        return {**super().get_config(), "cells": [serialize_layer(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
