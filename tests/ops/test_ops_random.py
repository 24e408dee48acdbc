"""Random tensors: distributions, seeds and SeedGenerator streams, tf.random's names."""

from __future__ import annotations

import numpy as np
import pytest

import dlpath
from dlpath.engine import Tensor
from dlpath.keras import random as krandom


def test_normal_uniform_and_truncated_have_their_moments():
    n = krandom.normal((20000,), mean=2.0, stddev=0.5, seed=0).data
    assert n.dtype == np.float32 and abs(n.mean() - 2) < 0.02 and abs(n.std() - 0.5) < 0.02
    u = krandom.uniform((20000,), -1.0, 3.0, seed=0).data
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1) < 0.05
    t = krandom.truncated_normal((5000,), stddev=1.0, seed=0).data
    assert np.abs(t).max() <= 2
    r = krandom.randint((1000,), 3, 7, seed=0).data
    assert r.dtype == np.int32 and set(np.unique(r)) == {3, 4, 5, 6}
    with pytest.raises(ValueError, match="maxval"):
        krandom.uniform((2,), dtype="int32")


def test_seeds_repeat_and_seed_generators_advance():
    assert np.array_equal(krandom.normal((3,), seed=5).data, krandom.normal((3,), seed=5).data)
    gen_a, gen_b = krandom.SeedGenerator(7), krandom.SeedGenerator(7)
    first, second = krandom.normal((3,), seed=gen_a).data, krandom.normal((3,), seed=gen_a).data
    assert not np.array_equal(first, second)
    assert np.array_equal(first, krandom.normal((3,), seed=gen_b).data)
    dlpath.random.set_seed(11)
    a = dlpath.random.normal((4,)).data
    dlpath.random.set_seed(11)
    assert np.array_equal(a, dlpath.random.normal((4,)).data)
    with pytest.raises(ValueError, match="seed"):
        krandom.normal((2,), seed="x")


def test_shuffle_permutes_rows_and_keeps_the_gradient_path():
    x = Tensor(np.arange(12.0).reshape(6, 2), requires_grad=True)
    shuffled = krandom.shuffle(x, seed=1)
    assert sorted(shuffled.data[:, 0].tolist()) == [0, 2, 4, 6, 8, 10]
    (shuffled * shuffled).sum().backward()
    np.testing.assert_allclose(x.grad, 2 * x.data)
    assert dlpath.random.shuffle(np.arange(5), seed=2).shape == (5,)


def test_categorical_follows_the_softmax_probabilities():
    logits = np.log(np.array([[0.7, 0.2, 0.1], [0.0001, 0.0001, 0.9998]]))
    draws = krandom.categorical(logits, 4000, seed=0).data
    assert draws.shape == (2, 4000) and draws.dtype == np.int64
    np.testing.assert_allclose(np.bincount(draws[0], minlength=3) / 4000, [0.7, 0.2, 0.1],
                               atol=0.03)
    assert (draws[1] == 2).mean() > 0.99
    assert dlpath.random.categorical(logits, 2).shape == (2, 2)
