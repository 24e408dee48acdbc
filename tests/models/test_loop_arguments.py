"""fit/evaluate/predict refuse nonsense arguments and data with errors naming the method,
the argument and the accepted values, before any training happens."""

import numpy as np
import pytest

from dlpath.layers import Dense
from dlpath.layers.arguments import ArgumentTypeError, InvalidArgumentError
from dlpath.models.sequential import Sequential

X = np.zeros((4, 3), np.float32)
Y = np.zeros((4, 1), np.float32)


@pytest.fixture
def model():
    model = Sequential([Dense(1)])
    model.compile("sgd", "mse")
    return model


def _fit(model, **kwargs):
    return model.fit(X, Y, **{"verbose": 0, **kwargs})


def _evaluate(model, **kwargs):
    return model.evaluate(X, Y, **{"verbose": 0, **kwargs})


def _predict(model, **kwargs):
    return model.predict(X, **{"verbose": 0, **kwargs})


@pytest.mark.parametrize("run, method", [(_fit, "fit"), (_evaluate, "evaluate"),
                                         (_predict, "predict")])
@pytest.mark.parametrize("batch_size, error, shown", [
    (0, InvalidArgumentError, r"0 \(int\)"),
    (-2, InvalidArgumentError, r"-2 \(int\)"),
    (2.5, ArgumentTypeError, r"2\.5 \(float\)"),
    ("8", ArgumentTypeError, r"'8' \(str\)"),
    (True, ArgumentTypeError, r"True \(bool\)"),
])
def test_batch_size_must_be_none_or_a_positive_int(model, run, method, batch_size, error,
                                                   shown):
    with pytest.raises(error, match=rf"^{method}: batch_size must be None or a positive int, "
                                    rf"got {shown}$"):
        run(model, batch_size=batch_size)


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": -1}, r"fit: epochs must be a non-negative int, got -1 \(int\)"),
    ({"epochs": 2.5}, r"fit: epochs must be a non-negative int, got 2\.5 \(float\)"),
    ({"initial_epoch": -1}, r"fit: initial_epoch must be a non-negative int"),
    ({"steps_per_epoch": 0}, r"fit: steps_per_epoch must be None or a positive int, got 0"),
    ({"validation_steps": 1.5}, r"fit: validation_steps must be None or a positive int"),
    ({"validation_batch_size": 0}, r"fit: validation_batch_size must be None or a positive"),
    ({"validation_freq": 0}, r"fit: validation_freq must be a positive int, got 0"),
    ({"validation_split": 1.5}, r"fit: validation_split must be a float in \[0, 1\), got 1\.5"),
    ({"validation_split": "0.2"}, r"fit: validation_split must be a float in \[0, 1\)"),
    ({"verbose": "loud"}, r"fit: verbose must be 'auto', 0, 1 or 2, got 'loud' \(str\)"),
])
def test_fit_arguments_are_checked(model, kwargs, message):
    weights = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=message):
        _fit(model, **kwargs)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_steps_of_evaluate_and_predict_are_checked(model):
    with pytest.raises(ValueError, match=r"evaluate: steps must be None or a positive int"):
        _evaluate(model, steps=0)
    with pytest.raises(ValueError, match=r"predict: steps must be None or a positive int"):
        _predict(model, steps=-1)


def test_keras_accepted_forms_still_work(model):
    assert _fit(model, epochs=0).history == {}  # Keras trains nothing for epochs=0
    history = _fit(model, batch_size=np.int64(2), epochs=np.int32(2), verbose=False)
    assert len(history.history["loss"]) == 2
    assert _predict(model, batch_size=3).shape == (4, 1)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_empty_arrays_are_refused(model, method):
    x, y = np.zeros((0, 3), np.float32), np.zeros((0, 1), np.float32)
    call = {"fit": lambda: model.fit(x, y, verbose=0),
            "evaluate": lambda: model.evaluate(x, y, verbose=0),
            "predict": lambda: model.predict(x, verbose=0)}[method]
    with pytest.raises(ValueError, match=rf"^{method}: the data has no samples \(x \(0, 3\)"
                                         rf".*expected at least one sample"):
        call()


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_a_scalar_as_data_is_refused(model, method):
    call = {"fit": lambda: model.fit(3.0, Y, verbose=0),
            "evaluate": lambda: model.evaluate(X, 1.0, verbose=0),
            "predict": lambda: model.predict(3.0, verbose=0)}[method]
    name = "y" if method == "evaluate" else "x"
    with pytest.raises(ValueError, match=rf"^{method}: {name} must be an array whose first "
                                         rf"axis holds the samples, got a scalar"):
        call()


def test_empty_list_and_none_are_refused(model):
    with pytest.raises(ValueError, match=r"predict: the data has no samples"):
        model.predict([], verbose=0)
    with pytest.raises(ValueError, match=r"evaluate: no data: x is None"):
        model.evaluate(None, verbose=0)


@pytest.mark.parametrize("call, method", [
    (lambda m, x, y: m.train_on_batch(x, y), "train_on_batch"),
    (lambda m, x, y: m.test_on_batch(x, y), "test_on_batch"),
    (lambda m, x, y: m.predict_on_batch(x), "predict_on_batch"),
])
def test_on_batch_methods_refuse_scalars_and_empty_batches(model, call, method):
    with pytest.raises(InvalidArgumentError,
                       match=rf"^{method}: x must be an array whose first axis holds the "
                             rf"samples, got a scalar 3\.0 \(float\)$"):
        call(model, 3.0, Y[:1])
    with pytest.raises(InvalidArgumentError, match=rf"^{method}: the data has no samples"):
        call(model, X[:0], Y[:0])


def test_train_on_batch_refuses_x_and_y_of_different_lengths(model):
    with pytest.raises(InvalidArgumentError, match=r"^train_on_batch: data cardinality"):
        model.train_on_batch(X, Y[:3])
