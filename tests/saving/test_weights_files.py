"""save_weights / load_weights: the .weights.npz file, matching by order and shape."""

import numpy as np
import pytest

from dlpath.layers import BatchNormalization, Dense
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import SaveFileError, load_weights, save_weights

X = np.random.default_rng(5).standard_normal((3, 4)).astype("float32")


def _mlp(hidden=5, out=2):
    return Sequential([Input((4,)), Dense(hidden, activation="relu"), BatchNormalization(),
                       Dense(out)])


@pytest.mark.parametrize("name", ["model.weights.npz", "plain.npz"])
def test_weights_round_trip_into_a_fresh_model(tmp_path, name):
    model, other = _mlp(), _mlp()
    model.save_weights(tmp_path / name)
    assert not np.array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))
    other.load_weights(tmp_path / name)
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))


def test_weights_of_a_subclassed_model(tmp_path):
    class Net(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first, self.second = Dense(3), Dense(1)

        def call(self, inputs, training=False):
            return self.second(self.first(inputs))

    model, other = Net(), Net()
    model.predict(X, verbose=0)
    other.predict(X, verbose=0)
    save_weights(model, tmp_path / "net.weights.npz")
    load_weights(other, tmp_path / "net.weights.npz")
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))


def test_load_weights_from_a_whole_model_archive(tmp_path):
    model, other = _mlp(), _mlp()
    model.save(tmp_path / "model.keras")
    other.load_weights(tmp_path / "model.keras")
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))


def test_shape_mismatch_names_the_layer_the_weight_and_both_shapes(tmp_path):
    _mlp(out=3).save_weights(tmp_path / "w.weights.npz")
    model = _mlp(out=2)
    before = model.get_weights()
    name = model.layers[-1].name
    with pytest.raises(ValueError, match=rf"layer '{name}' weight '{name}/kernel' has shape "
                                         r"\(5, 2\) in the model but \(5, 3\) in the file"):
        model.load_weights(tmp_path / "w.weights.npz")
    for actual, expected in zip(model.get_weights(), before):  # nothing was changed
        np.testing.assert_array_equal(actual, expected)


def test_skip_mismatch_loads_the_matching_layers_and_warns(tmp_path):
    source = _mlp(out=3)
    source.save_weights(tmp_path / "w.weights.npz")
    model = _mlp(out=2)
    last_kernel = model.layers[-1].get_weights()[0].copy()
    with pytest.warns(UserWarning, match="skipping layer"):
        model.load_weights(tmp_path / "w.weights.npz", skip_mismatch=True)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0],
                                  source.layers[0].get_weights()[0])
    np.testing.assert_array_equal(model.layers[-1].get_weights()[0], last_kernel)


def test_layer_count_mismatch(tmp_path):
    Sequential([Input((4,)), Dense(2)]).save_weights(tmp_path / "w.weights.npz")
    with pytest.raises(ValueError, match=r"1 layer\(s\).*but the model has 3 layer\(s\)"):
        _mlp().load_weights(tmp_path / "w.weights.npz")


def test_unbuilt_model_gets_a_hint(tmp_path):
    _mlp().save_weights(tmp_path / "w.weights.npz")
    with pytest.raises(ValueError, match="build the model first"):
        Sequential([Dense(5), BatchNormalization(), Dense(2)]).load_weights(
            tmp_path / "w.weights.npz")


@pytest.mark.parametrize("name, message", [
    ("w.h5", "HDF5"), ("w.weights.h5", "HDF5"), ("checkpoint", "'.weights.npz'"),
    ("w.txt", "accepted: .weights.npz, .npz"),
])
def test_unsupported_weights_extensions(tmp_path, name, message):
    with pytest.raises(ValueError, match=message):
        _mlp().save_weights(tmp_path / name)
    with pytest.raises(ValueError, match=message):
        _mlp().load_weights(tmp_path / name)


def test_truncated_weights_file(tmp_path):
    path = tmp_path / "w.weights.npz"
    _mlp().save_weights(path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(SaveFileError, match="w.weights.npz"):
        _mlp().load_weights(path)


def test_missing_weights_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        _mlp().load_weights(tmp_path / "absent.weights.npz")


def test_layers_are_named_and_keyed_as_keras_names_them(tmp_path):
    from dlpath.layers import Conv2D, Dense, Flatten, MaxPooling2D
    from dlpath.layers.input_layer import Input
    from dlpath.layers.layer import reset_names
    from dlpath.models import Sequential
    from dlpath.saving.weights import weights_manifest

    reset_names()
    model = Sequential([Input((6, 6, 1)), Conv2D(2, 3), MaxPooling2D(), Flatten(), Dense(2)])
    assert [layer.name for layer in model.layers] == ["conv2d", "max_pooling2d", "flatten",
                                                      "dense"]
    assert [w["path"] for w in weights_manifest(model)][:2] == ["layers/conv2d/0",
                                                                "layers/conv2d/1"]


def test_archives_with_the_older_key_spelling_still_load():
    """dlpath 0.1.0 wrote Conv2D's keys as ``layers/conv2_d/<i>``; the lab's model is one."""
    import json
    import zipfile
    from pathlib import Path

    import dlpath.path.labs as labs
    from dlpath.saving import load_model

    asset = Path(labs.__file__).parent / "assets" / "mnist-classifier.keras"
    with zipfile.ZipFile(asset) as archive:
        keys = [w["path"] for w in json.loads(archive.read("config.json"))["weights"]]
    assert "layers/conv2_d/0" in keys
    model = load_model(asset, compile=False)
    with zipfile.ZipFile(asset) as archive, zipfile.ZipFile(
            archive.open("model.weights.npz")) as weights:
        kernel = np.load(weights.open("layers/conv2_d/0.npy"))
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], kernel)
    assert model.predict(np.zeros((1, 28, 28, 1), np.float32), verbose=0).shape == (1, 10)
