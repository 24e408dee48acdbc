"""Normalization: adapt equals NumPy's mean and variance on every kind of data; the formula,
invert, given statistics, gradients and errors."""

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Normalization
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.preprocessing.normalization import BatchMoments
from layers.harness import run_layer_test

RNG = np.random.default_rng(0)
DATA = (RNG.standard_normal((50, 4, 3)) * [1.0, 2.0, 5.0] + [0.0, -3.0, 10.0])


@pytest.mark.parametrize("axis, reduce", [(-1, (0, 1)), (None, (0, 1, 2)), ((1, 2), (0,)),
                                          (1, (0, 2))])
def test_adapt_on_an_array_equals_numpy_mean_and_variance(axis, reduce):
    layer = Normalization(axis=axis)
    layer.adapt(DATA)
    kept = [a for a in range(3) if a not in reduce]
    np.testing.assert_allclose(layer.mean.data, DATA.mean(axis=reduce).reshape(
        [DATA.shape[a] for a in kept]), rtol=1e-5)
    np.testing.assert_allclose(layer.variance.data, DATA.var(axis=reduce).reshape(
        [DATA.shape[a] for a in kept]), rtol=1e-5)
    expected = (DATA - DATA.mean(axis=reduce, keepdims=True)) / DATA.std(axis=reduce,
                                                                         keepdims=True)
    np.testing.assert_allclose(layer(DATA).data, expected, rtol=1e-4, atol=1e-5)


def _generator():
    for start in range(0, 50, 7):
        yield DATA[start:start + 7]


@pytest.mark.parametrize("data, kwargs", [
    (DATA, {"batch_size": 8}),
    ([DATA[i:i + 9] for i in range(0, 50, 9)], {}),
    (_generator(), {}),
    ([(DATA[i:i + 9], np.zeros(len(DATA[i:i + 9]))) for i in range(0, 50, 9)], {}),
])
def test_adapt_over_batches_merges_them_exactly(data, kwargs):
    layer = Normalization()
    layer.adapt(data, **kwargs)
    np.testing.assert_allclose(layer.mean.data, DATA.mean(axis=(0, 1)), rtol=1e-6)
    np.testing.assert_allclose(layer.variance.data, DATA.var(axis=(0, 1)), rtol=1e-6)


def test_adapt_steps_reads_only_that_many_batches():
    layer = Normalization()
    layer.adapt(DATA, batch_size=10, steps=2)
    np.testing.assert_allclose(layer.mean.data, DATA[:20].mean(axis=(0, 1)), rtol=1e-6)


def test_batch_moments_handles_large_offsets_stably():
    values = 1e8 + RNG.standard_normal((1000, 1))
    moments = BatchMoments()
    for start in range(0, 1000, 100):
        moments.update(values[start:start + 100], (0,))
    np.testing.assert_allclose(moments.variance, values.var(axis=0), rtol=1e-6)


def test_given_mean_and_variance_and_invert_round_trip():
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    layer = Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 1.0, 0.25])
    y = layer(x).data
    np.testing.assert_allclose(y, (x - [1, 2, 3]) / [2.0, 1.0, 0.5], rtol=1e-5)
    back = Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 1.0, 0.25], invert=True)
    np.testing.assert_allclose(back(y).data, x, rtol=1e-5, atol=1e-6)
    assert not layer.weights


def test_zero_variance_divides_by_epsilon_not_zero():
    layer = Normalization(mean=0.0, variance=0.0, axis=None)
    np.testing.assert_allclose(layer(np.ones((2, 2))).data, np.ones((2, 2)) / 1e-7, rtol=1e-5)


def test_gradient_matches_finite_differences():
    layer = Normalization(dtype="float64")
    layer.adapt(DATA)
    gradcheck(lambda t: layer(t), DATA[:3])


def test_harness_config_and_shapes():
    run_layer_test(Normalization, {"axis": -1, "mean": [0.5, 1.0], "variance": [2.0, 3.0]},
                   (4, 2), (4, 2), 0)
    layer, _ = run_layer_test(Normalization, {"axis": (1, 2)}, (4, 3, 2), (4, 3, 2), 0, 2)
    assert layer.mean.shape == (3, 2)


def test_errors_name_the_layer_and_the_problem():
    with pytest.raises(InvalidArgumentError, match="both mean and variance"):
        Normalization(mean=1.0)
    with pytest.raises(InvalidArgumentError, match="cannot adapt"):
        Normalization(mean=1.0, variance=1.0).adapt(DATA)
    layer = Normalization()
    layer.adapt(DATA)
    with pytest.raises(InvalidArgumentError, match="Normalization"):
        layer(np.zeros((2, 4, 5)))
    with pytest.raises(InvalidArgumentError, match="does not fit"):
        Normalization(mean=[1.0, 2.0], variance=[1.0, 1.0])(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="adapt"):
        Normalization().adapt("text")
    with pytest.raises(ValueError, match="batch axis"):
        Normalization(axis=0).build((4, 3))
    assert isinstance(layer(Tensor(DATA[:2])), Tensor)
