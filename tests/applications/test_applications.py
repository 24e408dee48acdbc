"""keras.applications: Keras' parameter counts and layer names, shapes, weights handling."""

import numpy as np
import pytest

from dlpath.keras import Input, applications, models
from dlpath.applications import imagenet_utils
from dlpath.random import set_seed
from dlpath.utils import FileNotAvailableError


@pytest.mark.parametrize("build, params, names", [
    (applications.MobileNet, 4_253_864, ["conv1", "conv_dw_13_relu", "conv_preds"]),
    (applications.MobileNetV2, 3_538_984, ["Conv1", "block_16_project_BN", "out_relu"]),
    (applications.ResNet50, 25_636_712, ["conv1_conv", "conv4_block6_out", "avg_pool"]),
])
def test_parameter_counts_are_the_documented_ones(build, params, names):
    model = build(weights=None)
    assert model.count_params() == params
    assert model.inputs[0].shape == (None, 224, 224, 3)
    assert model.outputs[0].shape == (None, 1000)
    layer_names = [layer.name for layer in model.layers]
    assert all(name in layer_names for name in names)
    assert layer_names[-1] == "predictions"


def test_mobilenet_variants_without_top_and_pooling():
    model = applications.MobileNet(input_shape=(32, 32, 3), alpha=0.25, depth_multiplier=2,
                                   include_top=False, weights=None, pooling="avg")
    assert model.outputs[0].shape == (None, 256)
    features = applications.MobileNetV2(include_top=False, weights=None, alpha=0.35,
                                        input_tensor=Input((64, 64, 3)))
    assert features.outputs[0].shape == (None, 2, 2, 1280)
    base = applications.MobileNet(include_top=False, weights=None, alpha=0.25)
    assert base.inputs[0].shape == (None, 224, 224, 3)  # built at the default size
    assert base.predict(np.zeros((1, 96, 96, 3), "float32"), verbose=0).shape == (1, 3, 3, 256)


def test_a_tiny_variant_trains_a_step():
    set_seed(0)
    model = applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, classes=4,
                                     weights=None, classifier_activation=None)
    model.compile(optimizer="adam",
                  loss=__import__("dlpath").losses.SparseCategoricalCrossentropy(
                      from_logits=True))
    x = np.random.default_rng(0).random((4, 32, 32, 3)).astype("float32")
    before = model.get_layer("predictions").get_weights()[0].copy()
    loss = model.train_on_batch(x, np.array([0, 1, 2, 3]))
    assert np.isfinite(loss)
    assert not np.allclose(model.get_layer("predictions").get_weights()[0], before)
    assert model.predict(x, verbose=0).shape == (4, 4)


def test_cifar_resnet_trains_and_round_trips(tmp_path):
    set_seed(1)
    assert 260_000 < applications.CifarResNet().count_params() < 290_000
    model = applications.CifarResNet(depth=8, width=4, classes=3)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(1).random((6, 32, 32, 3)).astype("float32")
    model.fit(x, np.array([0, 1, 2, 0, 1, 2]), epochs=1, verbose=0)
    model.save(tmp_path / "r.keras")
    loaded = models.load_model(tmp_path / "r.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    model.save_weights(tmp_path / "r.weights.npz")
    again = applications.CifarResNet(depth=8, width=4, classes=3,
                                     weights=str(tmp_path / "r.weights.npz"))
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="6n \\+ 2"):
        applications.CifarResNet(depth=21)


def test_imagenet_weights_offline_say_how_to_pass_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path))
    with pytest.raises(FileNotAvailableError) as info:
        applications.MobileNet(input_shape=(128, 128, 3), alpha=0.25, weights="imagenet")
    message = str(info.value)
    assert "mobilenet/mobilenet_2_5_128_tf.h5" in message
    assert "weights=None" in message and "weights='/path/" in message


def test_keras_h5_weights_load_by_layer_name(tmp_path):
    import h5py

    set_seed(2)
    source = applications.MobileNet(input_shape=(32, 32, 3), alpha=0.25, weights=None,
                                    include_top=False)
    path = tmp_path / "keras_layout.h5"
    with h5py.File(path, "w") as file:
        names = [l.name for l in source.layers if l.weights]
        file.attrs["layer_names"] = [n.encode() for n in names]
        for layer in source.layers:
            if layer.weights:
                group = file.create_group(layer.name)
                group.attrs["weight_names"] = [f"{layer.name}/w{i}:0".encode()
                                               for i in range(len(layer.weights))]
                for i, array in enumerate(layer.get_weights()):
                    group.create_dataset(f"{layer.name}/w{i}:0", data=array)
    loaded = applications.MobileNet(input_shape=(32, 32, 3), alpha=0.25, include_top=False,
                                    weights=str(path))
    for got, want in zip(loaded.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="shapes"):
        applications.MobileNet(input_shape=(32, 32, 3), alpha=0.5, include_top=False,
                               weights=str(path))


@pytest.mark.parametrize("kwargs, words", [
    ({"weights": "imagenet", "classes": 10}, "classes must be 1000"),
    ({"weights": "nowhere.h5"}, "weights must be None"),
    ({"weights": None, "include_top": False, "pooling": "sum"}, "pooling"),
    ({"weights": None, "input_shape": (16, 16, 3)}, "at least 32"),
    ({"weights": None, "input_shape": (32, 32)}, "rows, cols, channels"),
    ({"weights": "imagenet", "input_shape": (100, 100, 3)}, "128, 160"),
])
def test_argument_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        applications.MobileNet(**kwargs)


def test_preprocess_input_modes_and_decode_predictions(monkeypatch):
    pixels = np.array([[[0.0, 127.5, 255.0]]])
    np.testing.assert_allclose(applications.mobilenet.preprocess_input(pixels),
                               [[[-1.0, 0.0, 1.0]]])
    np.testing.assert_allclose(applications.resnet50.preprocess_input(pixels),
                               [[[255 - 103.939, 127.5 - 116.779, -123.68]]], rtol=1e-6)
    torch_mode = imagenet_utils.preprocess_input(pixels, mode="torch")
    np.testing.assert_allclose(torch_mode[0, 0, 0], (0 - 0.485) / 0.229, rtol=1e-6)
    monkeypatch.setattr(imagenet_utils, "_class_index",
                        {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)})
    preds = np.zeros((2, 1000))
    preds[0, 7], preds[0, 3], preds[1, 999] = 0.9, 0.1, 1.0
    decoded = applications.mobilenet_v2.decode_predictions(preds, top=2)
    assert decoded[0] == [("n00000007", "class_7", 0.9), ("n00000003", "class_3", 0.1)]
    assert decoded[1][0][:2] == ("n00000999", "class_999")
    with pytest.raises(ValueError, match="1000"):
        imagenet_utils.decode_predictions(np.zeros((1, 10)))


def test_decode_predictions_offline_names_the_class_index_url(tmp_path, monkeypatch):
    monkeypatch.setattr(imagenet_utils, "_class_index", None)
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path))
    monkeypatch.delenv("DLPATH_DATA", raising=False)
    with pytest.raises(FileNotAvailableError, match="imagenet_class_index.json"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
