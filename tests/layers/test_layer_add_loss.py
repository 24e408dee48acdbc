"""A layer's add_loss terms reach the training loss, also inside a functional model."""

import numpy as np

from dlpath.layers import Dense, Layer
from dlpath.layers.input_layer import Input
from dlpath.models import Model


class L2OfActivations(Layer):
    """Identity that adds weight * mean(x**2) to the model's losses."""

    def __init__(self, weight=1.0, **kwargs):
        super().__init__(**kwargs)
        self.weight = weight

    def call(self, inputs):
        self.add_loss((inputs * inputs).mean() * self.weight)
        return inputs


def _model(weight):
    x = Input((3,))
    hidden = L2OfActivations(weight)(Dense(4, kernel_initializer="ones")(x))
    model = Model(x, Dense(1, kernel_initializer="zeros")(hidden))
    model.compile("sgd", "mse")
    return model


def test_the_layer_loss_is_added_to_the_training_loss_once_per_call():
    x = np.ones((2, 3), np.float32)
    y = np.zeros((2, 1), np.float32)
    plain = _model(0.0).evaluate(x, y, verbose=0)
    model = _model(0.5)
    with_term = model.evaluate(x, y, verbose=0)
    # hidden = x @ ones(3, 4) = 3 everywhere: mean(hidden**2) = 9, times 0.5.
    np.testing.assert_allclose(with_term - plain, 4.5, rtol=1e-6)
    model.predict(x, verbose=0)
    assert len(model.losses) == 1


def test_a_number_is_accepted_and_anything_else_refused():
    layer = L2OfActivations()
    layer.add_loss(2.0)
    assert float(layer.losses[0].data) == 2.0
    try:
        layer.add_loss("much")
    except TypeError as error:
        assert "L2OfActivations.add_loss: expected a scalar Tensor or a number" in str(error)
    else:
        raise AssertionError("a string was accepted as a loss")
