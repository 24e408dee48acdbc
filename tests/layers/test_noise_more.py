"""SpatialDropout3D and AlphaDropout: identity at inference, Keras' formulas while training,
gradients equal to the mask's gain, config and save/load round trips."""

import numpy as np
import pytest

from dlpath import random as dlpath_random
from dlpath.engine import Tensor, gradcheck
from dlpath.layers import AlphaDropout, Dense, Identity, SpatialDropout3D
from dlpath.layers.input_layer import Input
from dlpath.layers.noise_more import SELU_ALPHA, SELU_SCALE
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


@pytest.mark.parametrize("cls, kwargs, shape", [
    (SpatialDropout3D, {"rate": 0.5}, (2, 3, 3, 2, 4)),
    (AlphaDropout, {"rate": 0.3}, (2, 3, 4)),
    (AlphaDropout, {"rate": 0.3, "noise_shape": (None, 1, 4)}, (2, 3, 4)),
    (Identity, {}, (2, 3, 4)),
])
def test_harness_and_identity_at_inference(cls, kwargs, shape):
    layer, _ = run_layer_test(cls, kwargs, shape, shape, 0)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(layer(x, training=False).data, x)


def test_spatial_dropout3d_drops_whole_channels():
    y = SpatialDropout3D(0.5, seed=1)(np.ones((8, 2, 3, 4, 6), np.float32), training=True).data
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert (y == y[:, :1, :1, :1, :]).all() and 0 < (y == 0).mean() < 1


def test_alpha_dropout_follows_the_formula_and_keeps_selu_statistics():
    rate = 0.2
    x = np.random.default_rng(0).standard_normal((400, 500)).astype(np.float32)
    layer = AlphaDropout(rate, seed=3)
    inputs = Tensor(x, requires_grad=True)
    y = layer(inputs, training=True)
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * rate
    kept = np.isclose(y.data, a * x + b, atol=1e-5)
    dropped = np.isclose(y.data, a * alpha_p + b, atol=1e-5)
    assert (kept | dropped).all()
    assert abs(dropped.mean() - rate) < 0.01
    assert abs(y.data.mean()) < 0.01 and abs(y.data.std() - 1) < 0.01  # N(0, 1) stays N(0, 1)
    y.backward(np.ones_like(x))
    np.testing.assert_allclose(inputs.grad, a * kept, rtol=1e-6)
    dlpath_random.set_seed(5)
    first = AlphaDropout(0.5)(x, training=True).data
    dlpath_random.set_seed(5)
    np.testing.assert_array_equal(AlphaDropout(0.5)(x, training=True).data, first)


def test_alpha_dropout_gradcheck_with_a_fixed_mask():
    x = np.random.default_rng(1).standard_normal((3, 4))

    def fn(v):
        return AlphaDropout(0.4, seed=9, dtype="float64")(v, training=True)

    gradcheck(fn, x)


def test_save_and_load(tmp_path):
    inputs = Input((2, 3, 3, 4))
    h = SpatialDropout3D(0.3)(inputs)
    h = AlphaDropout(0.2)(Identity()(h))
    model = Model(inputs, Dense(2)(h))
    x = np.random.default_rng(5).standard_normal((2, 2, 3, 3, 4)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[3].get_config()["rate"] == 0.2


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"AlphaDropout: rate must be a float in \[0, 1\)"):
        AlphaDropout(1.5)
    with pytest.raises(ValueError, match=r"\(SpatialDropout3D\).*rank 5.*\(2, 3, 4\)"):
        SpatialDropout3D(0.5)(np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"'ad' \(AlphaDropout\): noise_shape \(1, 4\)"):
        AlphaDropout(0.5, noise_shape=(1, 4), name="ad")(np.zeros((2, 3, 4), np.float32),
                                                          training=True)
