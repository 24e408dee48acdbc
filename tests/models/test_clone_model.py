"""clone_model: same architecture and outputs' shapes, new weights."""

import numpy as np
import pytest

from dlpath.keras import Input, Model, layers, models


def test_sequential_clone_has_new_weights_same_structure():
    model = models.Sequential([Input((5,)), layers.Dense(4, name="d1"), layers.Dense(2)])
    clone = models.clone_model(model)
    assert isinstance(clone, models.Sequential)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    assert not np.allclose(clone.weights[0].data, model.weights[0].data)
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).standard_normal((3, 5)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_functional_clone_keeps_shared_layers_and_multiple_io():
    a, b = Input((4,), name="a"), Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.Concatenate()([shared(a), shared(b)])
    out1 = layers.Dense(1, name="out1")(merged)
    out2 = layers.Dense(2, name="out2")(merged)
    model = Model([a, b], [out1, out2])
    clone = models.clone_model(model)
    assert clone.count_params() == model.count_params()
    assert len([l for l in clone.layers if l.name == "shared"]) == 1
    clone.set_weights(model.get_weights())
    x = [np.ones((2, 4), "float32"), np.zeros((2, 4), "float32")]
    for got, want in zip(clone.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_input_tensors_and_clone_function():
    model = models.Sequential([Input((5,)), layers.Dense(4), layers.Dense(2)])
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        config = layer.get_config()
        config["units"] = config["units"] * 2
        return layer.__class__.from_config(config)

    clone = models.clone_model(model, input_tensors=Input((7,)), clone_function=clone_function)
    assert seen == [l.name for l in model.layers]
    assert [w.shape for w in clone.weights] == [(7, 8), (8,), (8, 4), (4,)]


def test_clone_errors_name_the_problem():
    class Sub(Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="subclassed"):
        models.clone_model(Sub())
    with pytest.raises(TypeError, match="expected a Model"):
        models.clone_model(layers.Dense(2))
    model = models.Sequential([Input((5,)), layers.Dense(4)])
    with pytest.raises(TypeError, match="clone_function"):
        models.clone_model(model, clone_function=lambda layer: 3)
    with pytest.raises(ValueError, match="input_tensors holds 2"):
        models.clone_model(model, input_tensors=[Input((5,)), Input((5,))])
