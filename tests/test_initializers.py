"""Initializers: Keras names and defaults, shapes and dtypes, distributions, fans,
orthogonality, seeding, `get` and configuration."""

import math

import numpy as np
import pytest

import dlpath.random
from dlpath import initializers
from dlpath.initializers import compute_fans

RANDOM = [initializers.RandomNormal, initializers.RandomUniform, initializers.TruncatedNormal,
          initializers.VarianceScaling, initializers.GlorotNormal,
          initializers.GlorotUniform, initializers.HeNormal, initializers.HeUniform,
          initializers.LecunNormal, initializers.LecunUniform, initializers.Orthogonal]


@pytest.mark.parametrize("cls", RANDOM + [initializers.Zeros, initializers.Ones,
                                          initializers.Constant], ids=lambda c: c.__name__)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_shape_and_dtype(cls, dtype):
    values = cls()((3, 3, 4, 5), dtype=dtype)
    assert values.shape == (3, 3, 4, 5) and values.dtype == np.dtype(dtype)
    assert cls()((7, 2)).dtype == np.float32  # the default dtype


def test_compute_fans_as_keras():
    assert compute_fans(()) == (1, 1)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans((784, 128)) == (784, 128)
    assert compute_fans((3, 3, 16, 32)) == (9 * 16, 9 * 32)
    assert compute_fans((5, 4, 6)) == (20, 30)


def test_constant_initializers():
    assert (initializers.Zeros()((2, 3)) == 0).all()
    assert (initializers.Ones()((2, 3), dtype="int64") == 1).all()
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.Identity(gain=3.0)((2, 3)),
                                  3.0 * np.eye(2, 3))
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()((2, 2, 2))


@pytest.mark.parametrize("init, mean, std", [
    (initializers.RandomNormal(), 0.0, 0.05),
    (initializers.RandomNormal(mean=1.0, stddev=2.0), 1.0, 2.0),
    (initializers.RandomUniform(), 0.0, 0.1 / math.sqrt(12)),
    (initializers.TruncatedNormal(stddev=1.0), 0.0, 0.87962566),
    (initializers.GlorotNormal(), 0.0, math.sqrt(2 / (400 + 300))),
    (initializers.GlorotUniform(), 0.0, math.sqrt(2 / (400 + 300))),
    (initializers.HeNormal(), 0.0, math.sqrt(2 / 400)),
    (initializers.HeUniform(), 0.0, math.sqrt(2 / 400)),
    (initializers.LecunNormal(), 0.0, math.sqrt(1 / 400)),
    (initializers.LecunUniform(), 0.0, math.sqrt(1 / 400)),
    (initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal"), 0.0,
     math.sqrt(2 / 300)),
], ids=repr)
def test_statistics_on_a_large_kernel(init, mean, std):
    dlpath.random.set_seed(0)
    values = init((400, 300), dtype="float64")
    assert values.mean() == pytest.approx(mean, abs=4 * std / math.sqrt(values.size) + 1e-12)
    assert values.std() == pytest.approx(std, rel=0.01)


def test_uniform_bounds_are_exact():
    values = initializers.GlorotUniform(seed=0)((50, 30), dtype="float64")
    limit = math.sqrt(6 / (50 + 30))
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.98 * limit
    values = initializers.HeUniform(seed=0)((3, 3, 8, 4), dtype="float64")
    limit = math.sqrt(6 / (9 * 8))
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.95 * limit
    values = initializers.RandomUniform(-1.0, 3.0, seed=1)((1000,))
    assert values.min() >= -1.0 and values.max() < 3.0


def test_truncated_normals_stay_within_two_stddev():
    values = initializers.TruncatedNormal(mean=1.0, stddev=0.5, seed=0)((100_000,), "float64")
    assert np.abs(values - 1.0).max() <= 1.0
    he = initializers.HeNormal(seed=0)((300, 200), dtype="float64")
    assert np.abs(he).max() <= 2 * math.sqrt(2 / 300) / 0.87962566 + 1e-12


@pytest.mark.parametrize("shape", [(64, 64), (100, 30), (30, 100), (3, 3, 8, 16)])
def test_orthogonal_is_orthogonal(shape):
    values = initializers.Orthogonal(gain=2.0, seed=3)(shape, dtype="float64")
    matrix = values.reshape(-1, shape[-1])
    small = min(matrix.shape)
    gram = matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-10)
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.Orthogonal()((5,))


@pytest.mark.parametrize("cls", RANDOM, ids=lambda c: c.__name__)
def test_same_seed_same_values_different_seed_different_values(cls):
    a = cls(seed=42)((20, 10))
    np.testing.assert_array_equal(a, cls(seed=42)((20, 10)))
    np.testing.assert_array_equal(a, cls(seed=42)((20, 10)))  # every call, as Keras 3
    assert not np.array_equal(a, cls(seed=43)((20, 10)))


def test_set_seed_makes_unseeded_initializers_reproducible():
    def draw():
        return [initializers.GlorotUniform()((8, 4)), initializers.RandomNormal()((5,)),
                initializers.Orthogonal()((6, 6))]
    dlpath.random.set_seed(123)
    first = draw()
    dlpath.random.set_seed(123)
    second = draw()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], draw()[0])


def test_get_resolves_names_dicts_classes_callables_and_instances():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("he_normal"), initializers.HeNormal)
    assert isinstance(initializers.get("zeros"), initializers.Zeros)
    assert isinstance(initializers.get("orthogonal"), initializers.Orthogonal)
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    config = {"class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform", "seed": 1}}
    vs = initializers.get(config)
    assert (vs.scale, vs.mode, vs.distribution, vs.seed) == (2.0, "fan_out", "uniform", 1)
    instance = initializers.HeUniform(seed=1)
    assert initializers.get(instance) is instance

    def custom(shape, dtype="float32"):
        return np.full(shape, 7.0, dtype)
    assert initializers.get(custom) is custom
    assert initializers.get(None) is None
    assert initializers.glorot_uniform is initializers.GlorotUniform
    with pytest.raises(ValueError, match="'glorot_uniform'"):
        initializers.get("glorot")
    with pytest.raises(TypeError):
        initializers.get(3)


@pytest.mark.parametrize("init", [
    initializers.Zeros(), initializers.Constant(0.3), initializers.Identity(2.0),
    initializers.RandomNormal(0.1, 0.2, seed=1), initializers.RandomUniform(-1, 1, seed=2),
    initializers.TruncatedNormal(seed=3), initializers.VarianceScaling(0.5, "fan_avg", seed=4),
    initializers.GlorotUniform(seed=5), initializers.HeNormal(seed=6),
    initializers.Orthogonal(1.5, seed=7),
], ids=repr)
def test_config_round_trip_gives_the_same_values(init):
    rebuilt = initializers.deserialize(initializers.serialize(init))
    assert rebuilt.get_config() == init.get_config()
    np.testing.assert_array_equal(rebuilt((6, 6)), init((6, 6)))


@pytest.mark.parametrize("make, error", [
    (lambda: initializers.VarianceScaling(scale=0.0), ValueError),
    (lambda: initializers.VarianceScaling(mode="fan_sum"), ValueError),
    (lambda: initializers.VarianceScaling(distribution="cauchy"), ValueError),
    (lambda: initializers.RandomNormal(stddev=-1.0), ValueError),
    (lambda: initializers.RandomUniform(1.0, -1.0), ValueError),
    (lambda: initializers.GlorotUniform(seed=-3), ValueError),
    (lambda: initializers.GlorotUniform()((3, -1)), ValueError),
    (lambda: initializers.GlorotUniform()((3, 3), dtype="int32"), ValueError),
    (lambda: initializers.Constant(np.ones(3))((2, 2)), ValueError),
    (lambda: initializers.Constant("a"), TypeError),
])
def test_bad_arguments_raise(make, error):
    with pytest.raises(error):
        make()


def test_variance_scaling_normal_means_truncated_normal():
    assert initializers.VarianceScaling(distribution="normal").distribution == \
        "truncated_normal"
