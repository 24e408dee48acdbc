"""Mixed-precision policies: accepted, computed in float32, announced once."""

import warnings

import numpy as np
import pytest

import dlpath.mixed_precision as mp
from dlpath.keras import Input, Model, layers, mixed_precision, optimizers


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(mp, "_warned", False)
    yield
    mixed_precision.set_global_policy(None)


def test_policy_dtypes_as_tf_keras_reports_them():
    with pytest.warns(mp.MixedPrecisionWarning, match="float32"):
        policy = mixed_precision.Policy("mixed_float16")
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
        "mixed_float16", "float16", "float32")
    bf = mixed_precision.Policy("mixed_bfloat16")
    assert (bf.compute_dtype, bf.variable_dtype) == ("bfloat16", "float32")
    assert mixed_precision.Policy("float32").compute_dtype == "float32"
    assert mixed_precision.Policy.from_config(policy.get_config()) == policy


def test_the_warning_comes_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mixed_precision.set_global_policy("mixed_float16")
        mixed_precision.Policy("mixed_bfloat16")
        mixed_precision.set_global_policy("mixed_float16")
    assert sum(issubclass(w.category, mp.MixedPrecisionWarning) for w in caught) == 1
    assert mixed_precision.global_policy().name == "mixed_float16"


def test_a_model_under_mixed_float16_trains_in_float32():
    with pytest.warns(mp.MixedPrecisionWarning):
        mixed_precision.set_global_policy("mixed_float16")
    x = Input((4,))
    h = layers.Dense(8, activation="relu", dtype=mixed_precision.Policy("mixed_float16"))(x)
    out = layers.Dense(1, dtype="float32")(h)
    model = Model(x, out)
    assert model.layers[1].dtype == np.float32
    assert all(w.data.dtype == np.float32 for w in model.weights)
    optimizer = mixed_precision.LossScaleOptimizer(optimizers.Adam(1e-2))
    assert optimizer.get_scaled_loss(2.0) == 2.0 and optimizer.loss_scale == 1.0
    model.compile(optimizer=optimizer, loss="mse")
    data = np.random.default_rng(0).standard_normal((32, 4)).astype("float32")
    history = model.fit(data, data[:, :1], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(data, verbose=0).dtype == np.float32


def test_float64_policy_per_layer_and_errors():
    layer = layers.Dense(2, dtype=mixed_precision.Policy("float64"))
    assert layer.dtype == np.float64
    with pytest.raises(ValueError, match="unknown policy"):
        mixed_precision.Policy("int8")
    with pytest.raises(ValueError, match="dtype='float64'"):
        mixed_precision.set_global_policy("float64")
    with pytest.raises(TypeError, match="inner_optimizer"):
        mixed_precision.LossScaleOptimizer("adam")
    assert mixed_precision.global_policy().name == "float32"
