"""A loaded model continues training exactly as the original: compile settings, loss and
metric objects, and the optimizer's state (moments, iterations) all survive the archive."""

import numpy as np
import pytest

from dlpath import losses, metrics, optimizers
from dlpath.layers import Concatenate, Dense, Dropout
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.random import set_seed
from dlpath.saving import load_model, register_serializable

RNG = np.random.default_rng(3)
X = RNG.standard_normal((48, 4)).astype("float32")
Y_CLASS = (X[:, 0] + X[:, 1] > 0).astype("int64")
Y_VALUE = X[:, :1] * 0.5 - X[:, 2:3]


def _continue(model, x, y):
    """One more epoch with a fixed seed (shuffling and dropout draw the same numbers)."""
    set_seed(11)
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    return model.get_weights(), history.history


def _assert_continues_identically(model, loaded, x, y):
    expected_weights, expected_history = _continue(model, x, y)
    weights, history = _continue(loaded, x, y)
    assert history == expected_history
    for actual, expected in zip(weights, expected_weights):
        np.testing.assert_array_equal(actual, expected)


def _classifier():
    return Sequential([Input((4,)), Dense(8, activation="relu"), Dropout(0.25), Dense(2)])


def test_sequential_continues_training_identically(tmp_path):
    set_seed(0)
    model = _classifier()
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01),
                  loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy", metrics.SparseCategoricalAccuracy(name="acc2")])
    model.fit(X, Y_CLASS, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert loaded.compiled and type(loaded.optimizer) is optimizers.Adam
    assert loaded.optimizer.iterations == model.optimizer.iterations == 6
    _assert_continues_identically(model, loaded, X, Y_CLASS)


def test_optimizer_state_is_what_makes_it_identical(tmp_path):
    """Without the saved moments the continuation differs: the test above is sensitive."""
    set_seed(0)
    model = _classifier()
    model.compile(optimizer="adam", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(X, Y_CLASS, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "model.keras")
    fresh = load_model(tmp_path / "model.keras", compile=False)
    assert not fresh.compiled
    fresh.compile(optimizer="adam",
                  loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    expected, _ = _continue(model, X, Y_CLASS)
    actual, _ = _continue(fresh, X, Y_CLASS)
    assert any(not np.array_equal(a, e) for a, e in zip(actual, expected))


def test_two_output_functional_model_with_per_output_settings(tmp_path):
    set_seed(0)
    a, b = Input((4,), name="a"), Input((4,), name="b")
    hidden = Dense(6, activation="tanh")(Concatenate()([a, b]))
    label = Dense(2, name="label")(hidden)
    value = Dense(1, name="value")(hidden)
    model = Model([a, b], [label, value])
    schedule = optimizers.schedules.ExponentialDecay(0.05, decay_steps=3, decay_rate=0.5)
    model.compile(optimizer=optimizers.SGD(learning_rate=schedule, momentum=0.9),
                  loss={"label": losses.SparseCategoricalCrossentropy(from_logits=True),
                        "value": "mse"},
                  loss_weights={"label": 1.0, "value": 0.5},
                  metrics={"label": ["accuracy"], "value": ["mae"]})
    x, y = [X, X[::-1]], {"label": Y_CLASS, "value": Y_VALUE}
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    _assert_continues_identically(model, loaded, x, y)


def test_metric_object_of_a_two_output_model_keeps_its_name(tmp_path):
    a = Input((4,))
    model = Model(a, [Dense(2, name="label")(a), Dense(1, name="value")(a)])
    model.compile(optimizer="sgd", loss=["mse", "mse"],
                  metrics=[[], [metrics.MeanAbsoluteError()]])
    y = [np.zeros((48, 2), "float32"), Y_VALUE]
    model.fit(X, y, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert loaded.evaluate(X, y, verbose=0, return_dict=True).keys() == model.evaluate(
        X, y, verbose=0, return_dict=True).keys()


@register_serializable(package="saving_tests")
class TwoLayerNet(Model):
    def __init__(self, hidden=5, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.first = Dense(hidden, activation="relu")
        self.drop = Dropout(0.2)
        self.second = Dense(1)

    def call(self, inputs, training=False):
        return self.second(self.drop(self.first(inputs), training=training))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


def test_subclassed_model_continues_training_identically(tmp_path):
    set_seed(0)
    model = TwoLayerNet(hidden=6)
    model.compile(optimizer=optimizers.RMSprop(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    model.fit(X, Y_VALUE, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert type(loaded) is TwoLayerNet and loaded.hidden == 6
    _assert_continues_identically(model, loaded, X, Y_VALUE)


def test_include_optimizer_false_saves_an_uncompiled_model(tmp_path):
    model = _classifier()
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "model.keras", include_optimizer=False)
    assert not load_model(tmp_path / "model.keras").compiled


def test_compiled_but_untrained_model_loads_compiled(tmp_path):
    model = _classifier()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert loaded.compiled and loaded.optimizer.iterations == 0
    loaded.fit(X, np.zeros((48, 2), "float32"), epochs=1, verbose=0)


def scaled_error(y_true, y_pred):
    """A custom loss function, found again through custom_objects."""
    return losses.mean_squared_error(y_true, y_pred) * 2.0


@register_serializable(package="saving_tests")
def registered_error(y_true, y_pred):
    return losses.mean_absolute_error(y_true, y_pred)


def test_custom_loss_function_needs_custom_objects(tmp_path):
    model = Sequential([Input((4,)), Dense(1)])
    model.compile(optimizer="sgd", loss=scaled_error)
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match="custom_objects"):
        load_model(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras", custom_objects={"scaled_error": scaled_error})
    loaded.fit(X, Y_VALUE, epochs=1, verbose=0)
    assert not load_model(tmp_path / "model.keras", compile=False).compiled


def test_registered_loss_function_loads_without_custom_objects(tmp_path):
    model = Sequential([Input((4,)), Dense(1)])
    model.compile(optimizer="sgd", loss=registered_error, metrics=[registered_error])
    model.fit(X, Y_VALUE, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    _assert_continues_identically(model, loaded, X, Y_VALUE)


@register_serializable(package="saving_tests")
class HalfSquaredError(losses.Loss):
    def call(self, y_true, y_pred):
        return losses.mean_squared_error(y_true, y_pred) * 0.5


def test_loss_classes_and_registered_loss_objects(tmp_path):
    model = Sequential([Input((4,)), Dense(1)])
    model.compile(optimizer="adam", loss=losses.MeanAbsoluteError)
    model.save(tmp_path / "class.keras")
    assert load_model(tmp_path / "class.keras").compiled
    model.compile(optimizer="adam", loss=HalfSquaredError(name="half"))
    model.fit(X, Y_VALUE, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    _assert_continues_identically(model, loaded, X, Y_VALUE)
