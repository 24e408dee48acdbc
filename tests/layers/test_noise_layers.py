"""SpatialDropout1D/2D, GaussianNoise, GaussianDropout and ActivityRegularization: identity at
inference, the right noise while training, seeds that reproduce, penalties in the loss."""

import numpy as np
import pytest

from dlpath import random as dlpath_random
from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    ActivityRegularization, Dense, GaussianDropout, GaussianNoise, SpatialDropout1D,
    SpatialDropout2D,
)
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential
from harness import run_layer_test


@pytest.mark.parametrize("cls, kwargs, shape", [
    (SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
    (SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4)),
    (GaussianNoise, {"stddev": 0.5}, (2, 3, 4)),
    (GaussianDropout, {"rate": 0.4}, (2, 3, 4)),
    (ActivityRegularization, {"l1": 0.1, "l2": 0.2}, (2, 3, 4)),
])
def test_noise_layers_harness_and_identity_at_inference(cls, kwargs, shape):
    layer, _ = run_layer_test(cls, kwargs, shape, shape, 0)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(layer(x, training=False).data, x)


def test_spatial_dropout_drops_whole_channels():
    x = np.ones((8, 5, 6), np.float32)
    y = SpatialDropout1D(0.5, seed=1)(x, training=True).data
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert (y == y[:, :1, :]).all()  # the same for every step
    assert 0 < (y == 0).mean() < 1
    images = np.ones((8, 4, 4, 6), np.float32)
    z = SpatialDropout2D(0.5, seed=1)(images, training=True).data
    assert (z == z[:, :1, :1, :]).all() and 0 < (z == 0).mean() < 1


def test_gaussian_noise_and_dropout_statistics():
    x = np.full((200, 500), 2.0, np.float32)
    noisy = GaussianNoise(0.5, seed=0)(x, training=True).data
    assert abs(noisy.mean() - 2.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    dropped = GaussianDropout(0.2, seed=0)(x, training=True).data
    assert abs(dropped.mean() - 2.0) < 0.01
    assert abs(dropped.std() - 2.0 * np.sqrt(0.2 / 0.8)) < 0.01


def test_noise_gradients_are_the_noise():
    x = Tensor(np.ones((3, 4), np.float32), requires_grad=True)
    layer = GaussianDropout(0.3, seed=3)
    y = layer(x, training=True)
    y.backward(np.ones((3, 4), np.float32))
    np.testing.assert_allclose(x.grad, y.data, rtol=1e-6)  # dy/dx = m, and y = 1 * m
    x2 = Tensor(np.ones((3, 4), np.float32), requires_grad=True)
    GaussianNoise(0.3, seed=3)(x2, training=True).backward(np.ones((3, 4), np.float32))
    np.testing.assert_array_equal(x2.grad, np.ones((3, 4)))


def test_noise_is_reproducible_from_a_seed_and_from_set_seed():
    x = np.ones((4, 5, 6), np.float32)
    for cls, kwargs in [(SpatialDropout1D, {"rate": 0.5}), (GaussianNoise, {"stddev": 1.0}),
                        (GaussianDropout, {"rate": 0.5})]:
        a = cls(seed=7, **kwargs)(x, training=True).data
        b = cls(seed=7, **kwargs)(x, training=True).data
        np.testing.assert_array_equal(a, b)
        dlpath_random.set_seed(11)
        c = cls(**kwargs)(x, training=True).data
        dlpath_random.set_seed(11)
        d = cls(**kwargs)(x, training=True).data
        np.testing.assert_array_equal(c, d)
        assert not np.array_equal(a, cls(seed=8, **kwargs)(x, training=True).data)


def test_activity_regularization_penalty_and_gradcheck():
    x = np.random.default_rng(1).standard_normal((3, 4))
    layer = ActivityRegularization(l1=0.1, l2=0.2, dtype="float64")
    out = layer(x)
    np.testing.assert_array_equal(out.data, x)
    [penalty] = layer.losses
    np.testing.assert_allclose(penalty.data, 0.1 * np.abs(x).sum() + 0.2 * (x * x).sum())

    def total(t):
        return layer(t).sum() + layer.losses[0]

    x[np.abs(x) < 0.05] = 0.5
    gradcheck(total, x)
    layer(x)
    assert len(layer.losses) == 1  # one penalty per call, not accumulated


def test_activity_regularization_is_added_to_the_training_loss():
    x = np.random.default_rng(2).standard_normal((8, 3)).astype(np.float32)
    y = np.zeros((8, 2), np.float32)

    def model(l2):
        dlpath_random.set_seed(0)
        m = Sequential([Input((3,)), Dense(2, kernel_initializer="ones"),
                        ActivityRegularization(l2=l2)])
        m.compile(optimizer="sgd", loss="mse")
        return m

    plain = model(0.0).evaluate(x, y, verbose=0, return_dict=True)["loss"]
    regularized = model(0.5)
    loss = regularized.evaluate(x, y, verbose=0, return_dict=True)["loss"]
    activity = (x @ np.ones((3, 2))) ** 2
    np.testing.assert_allclose(loss - plain, 0.5 * activity.sum(), rtol=1e-4)
    history = regularized.fit(x, y, batch_size=8, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], loss, rtol=1e-4)


@pytest.mark.parametrize("make, message", [
    (lambda: SpatialDropout1D(1.5), r"SpatialDropout1D: rate must be a float in \[0, 1\)"),
    (lambda: GaussianNoise(-1.0), r"GaussianNoise: stddev must be a number >= 0"),
    (lambda: GaussianDropout("a"), r"GaussianDropout: rate must be"),
    (lambda: ActivityRegularization(l1=-0.1), r"ActivityRegularization: l1 must be"),
    (lambda: SpatialDropout2D(0.1, data_format="channels_first"), r"SpatialDropout2D"),
])
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_spatial_dropout_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match=r"'sd' \(SpatialDropout2D\).*rank 4.*\(2, 3\)"):
        SpatialDropout2D(0.5, name="sd")(np.zeros((2, 3)))
