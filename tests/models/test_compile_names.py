"""A loss or metric name that does not exist fails at compile, with the closest names."""

import numpy as np
import pytest

from dlpath import keras, losses, metrics
from dlpath.keras import layers


def model(outputs=1):
    inputs = keras.Input(shape=(3,))
    if outputs == 1:
        return keras.Model(inputs, layers.Dense(2, name="a")(inputs))
    return keras.Model(inputs, [layers.Dense(2, name="a")(inputs),
                                layers.Dense(1, name="b")(inputs)])


def test_misspelt_loss_fails_at_compile_with_suggestions():
    m = model()
    with pytest.raises(ValueError, match=r"compile: unknown loss "
                                         r"'sparse_categorical_crossentropi'\. Did you mean "
                                         r"'sparse_categorical_crossentropy'"):
        m.compile("adam", "sparse_categorical_crossentropi")
    assert not m.compiled  # nothing was half set up


def test_a_metric_name_given_as_the_loss_says_so():
    with pytest.raises(ValueError, match=r"'accuracy' is a metric, not a loss; pass it in "
                                         r"metrics=\['accuracy'\]"):
        model().compile("adam", "accuracy")


@pytest.mark.parametrize("kwargs, where", [
    ({"metrics": ["acuracy"]}, "metrics"),
    ({"metrics": {"a": ["accuracy"], "b": ["mea"]}}, "metrics"),
    ({"metrics": [["accuracy"], ["precission"]]}, "metrics"),
    ({"weighted_metrics": ["mse", "acuracy"]}, "weighted_metrics"),
])
def test_misspelt_metrics_fail_at_compile_wherever_they_are(kwargs, where):
    with pytest.raises(ValueError, match=rf"compile: unknown metric '\w+' in {where}\. Did "
                                         rf"you mean '"):
        model(outputs=2).compile("adam", "mse", **kwargs)


def test_misspelt_per_output_loss_fails_at_compile():
    with pytest.raises(ValueError, match=r"unknown loss 'msee'\. Did you mean 'mse'"):
        model(outputs=2).compile("adam", {"a": "mse", "b": "msee"})
    with pytest.raises(ValueError, match=r"unknown loss 'binary_crossentropyy'"):
        model(outputs=2).compile("adam", ["mse", "binary_crossentropyy"])


def test_known_names_and_objects_are_accepted():
    m = model(outputs=2)
    m.compile("adam", {"a": "categorical_crossentropy", "b": keras.losses.MeanSquaredError()},
              metrics={"a": ["accuracy", "acc", "ce", "AUC", "Precision",
                             "top_k_categorical_accuracy"],
                       "b": ["mae", keras.metrics.RootMeanSquaredError(), "MSE"]},
              weighted_metrics=["mse"])
    x = np.ones((4, 3), np.float32)
    y = {"a": np.eye(2, dtype=np.float32)[[0, 1, 0, 1]], "b": np.zeros((4, 1), np.float32)}
    logs = m.evaluate(x, y, verbose=0, return_dict=True)
    assert {"a_accuracy", "a_AUC", "b_mae", "b_root_mean_squared_error"} <= set(logs)


def test_something_that_is_no_metric_is_a_type_error_at_compile():
    with pytest.raises(TypeError, match="metrics.get: expected a metric name"):
        model().compile("adam", "mse", metrics=[object()])


def test_losses_get_and_metrics_get_suggest_too():
    with pytest.raises(ValueError, match=r"unknown loss 'categorical_cross_entropy'.*Did you "
                                         r"mean 'categorical_crossentropy'"):
        losses.get("categorical_cross_entropy")
    with pytest.raises(ValueError, match=r"unknown metric 'sparse_categorical_acuracy'.*Did "
                                         r"you mean 'sparse_categorical_accuracy'"):
        metrics.get("sparse_categorical_acuracy")
    with pytest.raises(ValueError) as error:
        losses.get("zzzz")
    assert "Did you mean" not in str(error.value)
