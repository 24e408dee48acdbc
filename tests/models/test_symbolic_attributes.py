"""tf.keras' symbolic attributes: ``model.inputs/outputs``, ``input``/``output`` and their
shapes on models and layers, and cutting a model at a layer's output."""

import numpy as np
import pytest

from dlpath import keras


def stack():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu",
                                                                   name="features"),
                             keras.layers.Dense(2, name="head")])


def test_sequential_has_inputs_outputs_and_shapes():
    model = stack()
    assert model.inputs[0] is model.input and model.outputs[0] is model.output
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    features = model.get_layer("features")
    assert features.input_shape == (None, 3) and features.output_shape == (None, 4)
    assert features.input is model.input


def test_a_model_cut_at_a_layer_output_computes_that_layer():
    model = stack()
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    cut = keras.Model(model.input, model.get_layer("features").output)
    layer = model.get_layer("features")
    expected = np.maximum(x @ layer.kernel.data + layer.bias.data, 0)
    np.testing.assert_allclose(cut.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert cut.get_layer("features") is layer  # the weights are shared, as in Keras


def test_functional_models_with_several_inputs_and_outputs_give_lists():
    a, b = keras.Input((2,)), keras.Input((3,))
    joined = keras.layers.Concatenate()([a, b])
    model = keras.Model([a, b], [joined, keras.layers.Dense(1)(joined)])
    assert model.input_shape == [(None, 2), (None, 3)]
    assert model.output_shape == [(None, 5), (None, 1)]
    assert model.layers[-2].input_shape == [(None, 2), (None, 3)]


def test_shapes_appear_once_a_sequential_model_is_built():
    model = keras.Sequential([keras.layers.Dense(2)])
    assert model.inputs is None
    with pytest.raises(AttributeError, match="has no input yet.*keras.Input"):
        model.input_shape
    model.predict(np.ones((2, 3), np.float32), verbose=0)
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)


def test_an_uncalled_layer_says_it_has_no_output():
    with pytest.raises(AttributeError, match=r"'lonely' \(Dense\) has no output yet"):
        keras.layers.Dense(3, name="lonely").output


def test_pop_rebuilds_the_output():
    model = stack()
    model.pop()
    assert model.output_shape == (None, 4) and len(model.layers) == 1
