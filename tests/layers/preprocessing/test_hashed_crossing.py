"""HashedCrossing: Keras' documented bins, the FingerprintCat64 chain written out on Python
ints, shapes and output modes, config and save/load round trips, errors."""

import numpy as np
import pytest

from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import HashedCrossing
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.preprocessing import hashes

FEAT1 = np.array(["A", "B", "A", "B", "A"])
FEAT2 = np.array([101, 101, 101, 102, 102])
M64 = (1 << 64) - 1


def reference_bin(values, num_bins):
    """The cross on Python ints, one value at a time (TensorFlow's HashCrosser)."""
    mul = 0xC6A4A7935BD1E995

    def mix(z):
        return z ^ (z >> 47)

    crossed = 0xDECAFCAFFE
    for v in values:
        h = hashes.fingerprint64(v.encode()) if isinstance(v, str) else int(v) & M64
        r = crossed ^ mul
        r ^= (mix((h * mul) & M64) * mul) & M64
        r = (r * mul) & M64
        r = (mix(r) * mul) & M64
        crossed = mix(r)
    return crossed % num_bins


def test_keras_documented_examples():
    np.testing.assert_array_equal(HashedCrossing(5)((FEAT1, FEAT2)).data, [1, 4, 1, 1, 3])
    one_hot = HashedCrossing(5, output_mode="one_hot")((FEAT1, FEAT2)).data
    np.testing.assert_array_equal(one_hot, np.eye(5)[[1, 4, 1, 1, 3]])
    assert one_hot.dtype == np.float32


def test_three_features_match_the_chain_on_python_ints():
    rng = np.random.default_rng(0)
    words = np.array(["cat", "dog", "été", "", "x" * 40])[rng.integers(0, 5, 20)]
    ints = rng.integers(-10**12, 10**12, 20)
    more = rng.integers(0, 9, 20)
    got = HashedCrossing(1000)((words, ints, more)).data
    expected = [reference_bin((w, i, m), 1000) for w, i, m in zip(words, ints, more)]
    np.testing.assert_array_equal(got, expected)


def test_shapes_batch_of_one_columns_and_scalars():
    column = HashedCrossing(7)((FEAT1[:, None], FEAT2[:, None])).data
    assert column.shape == (5, 1)
    np.testing.assert_array_equal(column[:, 0], HashedCrossing(7)((FEAT1, FEAT2)).data)
    scalar = HashedCrossing(7)((np.array("A"), np.array(101))).data
    assert scalar.shape == () and scalar == reference_bin(("A", 101), 7)
    layer = HashedCrossing(7, output_mode="one_hot")
    assert layer((FEAT1[:, None], FEAT2[:, None])).shape == (5, 7)
    assert layer.compute_output_shape([(None, 1), (None, 1)]) == (None, 7)


def test_config_round_trip_and_save_load(tmp_path):
    layer = HashedCrossing(11, output_mode="one_hot", name="cross")
    clone = HashedCrossing.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    a, b = Input((1,), dtype="string"), Input((1,), dtype="int64")
    model = Model([a, b], HashedCrossing(11)([a, b]))
    data = [FEAT1[:, None], FEAT2[:, None].astype(np.int64)]
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(data, verbose=0),
                                  model.predict(data, verbose=0))


def test_errors_name_the_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match=r"'hc' \(HashedCrossing\): expected a "
                                                   r"tuple of at least 2 features"):
        HashedCrossing(3, name="hc")((FEAT1,))
    with pytest.raises(InvalidArgumentError, match=r"every feature must have the same shape"):
        HashedCrossing(3)((FEAT1, FEAT2[:3]))
    with pytest.raises(InvalidArgumentError, match=r"features must be scalars, \(batch,\) or "
                                                   r"\(batch, 1\), got shape \(5, 2\)"):
        HashedCrossing(3)((np.stack([FEAT1] * 2, 1), np.stack([FEAT2] * 2, 1)))
    with pytest.raises(TypeError, match=r"expected string or integer features, got floats"):
        HashedCrossing(3)((FEAT1, FEAT2 * 0.5))
    with pytest.raises(InvalidArgumentError, match=r"HashedCrossing: output_mode must be one "
                                                   r"of 'int', 'one_hot'"):
        HashedCrossing(3, output_mode="count")
