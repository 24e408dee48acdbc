"""Weights are counted against a budget before they are allocated."""

import numpy as np
import pytest

from dlpath.engine import Tensor
from dlpath.layers import Dense
from dlpath.layers.weight_budget import WeightBudgetError, weight_budget


def test_a_weight_larger_than_the_machine_fails_naming_layer_weight_and_shape():
    layer = Dense(1 << 30, name="wide")
    with pytest.raises(WeightBudgetError, match=r"'wide'.*'kernel'.*\(1073741824, 1073741824\)"):
        layer.build((None, 1 << 30))


def test_weights_within_a_budget_are_built_and_beyond_it_refused_before_allocating():
    with weight_budget(4 * (3 * 5 + 5), "the test"):
        Dense(5)(Tensor(np.zeros((1, 3), "float32")))
    with weight_budget(4 * (3 * 5 + 5) - 1, "the test"):
        with pytest.raises(WeightBudgetError, match=r"'bias'.*the test declares 79 bytes"):
            Dense(5)(Tensor(np.zeros((1, 3), "float32")))


def test_outside_a_budget_nothing_is_counted():
    for _ in range(3):
        Dense(5)(Tensor(np.zeros((1, 3), "float32")))
