"""Discretization (Keras' buckets, adapt's approximate quantiles, output modes) and
RandomBrightness / RandomHeight / RandomWidth (identity at inference, formula and geometry
while training against torch, reproducible under a seed, gradients), with config and
save/load round trips."""

import numpy as np
import pytest
import torch

import dlpath.random
from dlpath.engine import Tensor, gradcheck
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import (
    Dense, Discretization, RandomBrightness, RandomHeight, RandomWidth,
)
from dlpath.layers.arguments import InvalidArgumentError
from layers.harness import run_layer_test

DATA = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
IMAGES = np.random.default_rng(0).uniform(0, 255, (3, 6, 5, 2)).astype(np.float32)


def test_discretization_with_given_boundaries_is_keras_bucketize():
    layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = layer(DATA)
    np.testing.assert_array_equal(out.data, [[0, 2, 3, 1], [1, 3, 2, 1]])  # Keras' example
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out.data, np.searchsorted([0.0, 1.0, 2.0], DATA, "right"))


def test_discretization_adapt_learns_keras_quantiles():
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(DATA)
    np.testing.assert_allclose(layer.bin_boundaries, [0.0, 0.5, 1.3], rtol=1e-6)
    np.testing.assert_array_equal(layer(DATA).data, [[0, 2, 3, 2], [1, 3, 3, 1]])  # Keras'
    big = np.random.default_rng(1).standard_normal(20000)
    layer = Discretization(num_bins=5, epsilon=0.001)
    layer.adapt(big, batch_size=3000)  # summaries merged batch by batch
    np.testing.assert_allclose(layer.bin_boundaries,
                               np.quantile(big, [0.2, 0.4, 0.6, 0.8]), atol=0.02)
    counts = np.bincount(layer(big).data, minlength=5) / big.size
    np.testing.assert_allclose(counts, 0.2, atol=0.01)


@pytest.mark.parametrize("mode, expected", [
    ("one_hot", np.eye(4)[[[0, 2, 3, 1], [1, 3, 2, 1]]]),
    ("multi_hot", [[1, 1, 1, 1], [0, 1, 1, 1]]),
    ("count", [[1, 1, 1, 1], [0, 2, 1, 1]]),
])
def test_discretization_output_modes(mode, expected):
    layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode=mode)
    out = layer(DATA)
    np.testing.assert_array_equal(out.data, expected)
    assert out.dtype == np.float32
    assert layer.compute_output_shape((None, 4))[-1] == 4


def test_discretization_config_round_trips_and_survives_save_and_load(tmp_path):
    adapted = Discretization(num_bins=3)
    adapted.adapt(DATA)
    clone = Discretization.from_config(adapted.get_config())
    assert clone.bin_boundaries == adapted.bin_boundaries and clone.num_bins == 3
    np.testing.assert_array_equal(clone(DATA).data, adapted(DATA).data)
    inputs = Input((4,))
    model = Model(inputs, Discretization([0.0, 1.0, 2.0], output_mode="one_hot")(inputs))
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(DATA, verbose=0),
                                  model.predict(DATA, verbose=0))


def test_discretization_errors_name_the_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match=r"Discretization: give either "
                                                   r"bin_boundaries or num_bins, not both"):
        Discretization([0.0], num_bins=2)
    with pytest.raises(InvalidArgumentError, match=r"Discretization: give bin_boundaries"):
        Discretization()
    with pytest.raises(InvalidArgumentError, match=r"bin_boundaries must be a sorted list"):
        Discretization([1.0, 0.0])
    with pytest.raises(InvalidArgumentError, match=r"'d' \(Discretization\): no bin "
                                                   r"boundaries yet"):
        Discretization(num_bins=3, name="d")(DATA)
    with pytest.raises(InvalidArgumentError, match=r"'e' \(Discretization\): adapt\(\) needs"):
        Discretization([0.0], name="e").adapt(DATA)
    with pytest.raises(InvalidArgumentError, match=r"output_mode must be one of"):
        Discretization([0.0], output_mode="tf_idf")


LAYERS = [lambda **k: RandomBrightness(0.3, **k), lambda **k: RandomHeight(0.4, **k),
          lambda **k: RandomWidth((-0.5, 0.5), **k)]


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference_reproducible_while_training(make):
    layer = make()
    np.testing.assert_array_equal(layer(IMAGES, training=False).data, IMAGES)
    first = make(seed=4)(IMAGES, training=True).data
    np.testing.assert_array_equal(make(seed=4)(IMAGES, training=True).data, first)
    dlpath.random.set_seed(3)
    shared = make()(IMAGES, training=True).data
    dlpath.random.set_seed(3)
    np.testing.assert_array_equal(make()(IMAGES, training=True).data, shared)
    clone = type(layer).from_config(make(seed=4).get_config())
    np.testing.assert_array_equal(clone(IMAGES, training=True).data, first)


def test_harness_at_inference():
    run_layer_test(RandomBrightness, {"factor": 0.2}, IMAGES.shape, IMAGES.shape, 0)


def test_brightness_follows_the_formula_and_clips():
    layer = RandomBrightness((0.1, 0.3), value_range=(0, 255), seed=2)
    out = layer(IMAGES, training=True).data
    shifts = np.random.default_rng(2).uniform(0.1, 0.3, (3, 1, 1, 1)) * 255
    np.testing.assert_allclose(out, np.clip(IMAGES + shifts, 0, 255), rtol=1e-5)
    assert (out == 255).any()
    one = RandomBrightness(0.5, value_range=(0.0, 1.0), seed=1)(IMAGES[0] / 255,
                                                                 training=True)
    assert one.shape == IMAGES[0].shape and 0 <= one.data.min() <= one.data.max() <= 1


@pytest.mark.parametrize("cls, axis", [(RandomHeight, 2), (RandomWidth, 3)])
def test_random_size_is_torch_bilinear_resize_of_the_drawn_size(cls, axis):
    layer = cls((0.2, 0.6), seed=7)
    inputs = Tensor(IMAGES, requires_grad=True)
    out = layer(inputs, training=True)
    change = np.random.default_rng(7).uniform(1.2, 1.6)
    size = list(IMAGES.shape[1:3])
    size[axis - 2] = int(size[axis - 2] * change)
    xt = torch.tensor(IMAGES, requires_grad=True)
    expected = torch.nn.functional.interpolate(xt.permute(0, 3, 1, 2), size=tuple(size),
                                               mode="bilinear", align_corners=False)
    expected = expected.permute(0, 2, 3, 1)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-3)
    g = np.random.default_rng(1).standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    assert layer.compute_output_shape((None, 6, 5, 2))[axis - 1] is None


def test_gradcheck_in_float64():
    images = np.random.default_rng(3).uniform(0.2, 0.8, (2, 3, 4, 1))
    for make in (lambda: RandomBrightness(0.1, value_range=(0, 1), seed=1, dtype="float64"),
                 lambda: RandomHeight(0.5, seed=1, dtype="float64"),
                 lambda: RandomWidth(0.5, interpolation="nearest", seed=1, dtype="float64")):
        gradcheck(lambda v: make()(v, training=True), images)


def test_augmentation_layers_survive_save_and_load(tmp_path):
    inputs = Input((6, 5, 2))
    h = RandomBrightness(0.2)(inputs)
    h = RandomWidth(0.3)(RandomHeight(0.3)(h))
    model = Model(inputs, Dense(3)(h))
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0),
                               model.predict(IMAGES, verbose=0), rtol=1e-6)
    assert loaded.layers[2].get_config()["factor"] == [-0.3, 0.3]


def test_random_layer_errors_name_the_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match=r"RandomBrightness: factor must be"):
        RandomBrightness(1.5)
    with pytest.raises(InvalidArgumentError, match=r"RandomHeight: factor must have values "
                                                   r"larger than -1"):
        RandomHeight((-1.5, 0.2))
    with pytest.raises(InvalidArgumentError, match=r"RandomWidth: interpolation must be"):
        RandomWidth(0.2, interpolation="cubic")
    with pytest.raises(InvalidArgumentError, match=r"'rh' \(RandomHeight\): expected images"):
        RandomHeight(0.2, name="rh")(np.zeros((2, 3), np.float32))
