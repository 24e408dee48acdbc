"""More keras.applications: Keras' parameter counts, names, shapes, errors and saving."""

import numpy as np
import pytest

from dlpath.keras import applications, models
from dlpath.utils import FileNotAvailableError

# include_top=True: Keras' documented counts (at the default size; after global pooling
# the count does not depend on it, so Xception and InceptionV3 are built at 75x75 here)
TOP = [
    ("VGG16", 138_357_544, 224, ["block5_conv3", "fc1", "fc2"]),
    ("ResNet50V2", 25_613_800, 224, ["conv1_conv", "conv4_block6_out", "post_relu"]),
    ("DenseNet121", 8_062_504, 224, ["conv1/conv", "conv5_block16_concat", "bn"]),
    ("Xception", 22_910_480, 75, ["block1_conv1", "block13_pool", "block14_sepconv2_act"]),
    ("InceptionV3", 23_851_784, 75, ["mixed0", "mixed9_1", "mixed10"]),
    ("EfficientNetB0", 5_330_571, 224, ["normalization", "block6d_se_excite", "top_conv"]),
    ("MobileNetV3Small", 2_554_968, 224, ["expanded_conv_10_add", "conv_2", "logits"]),
    ("MobileNetV3Large", 5_507_432, 224, ["expanded_conv_14_add", "conv_1_bn", "logits"]),
]

# include_top=False: the counts do not depend on the input size, so small inputs do
NOTOP = [
    ("VGG16", 14_714_688, 32, 512), ("VGG19", 20_024_384, 32, 512),
    ("ResNet101", 42_658_176, 32, 2048), ("ResNet152", 58_370_944, 32, 2048),
    ("ResNet50V2", 23_564_800, 32, 2048), ("ResNet101V2", 42_626_560, 32, 2048),
    ("ResNet152V2", 58_331_648, 32, 2048), ("DenseNet121", 7_037_504, 32, 1024),
    ("DenseNet169", 12_642_880, 32, 1664), ("DenseNet201", 18_321_984, 32, 1920),
    ("Xception", 20_861_480, 71, 2048), ("InceptionV3", 21_802_784, 75, 2048),
    ("MobileNetV3Small", 939_120, 32, 576), ("MobileNetV3Large", 2_996_352, 32, 960),
    ("EfficientNetB0", 4_049_571, 32, 1280), ("EfficientNetB1", 6_575_239, 32, 1280),
    ("EfficientNetB2", 7_768_569, 32, 1408), ("EfficientNetB3", 10_783_535, 32, 1536),
    ("EfficientNetB4", 17_673_823, 32, 1792), ("EfficientNetB5", 28_513_527, 32, 2048),
    ("EfficientNetB6", 40_960_143, 32, 2304), ("EfficientNetB7", 64_097_687, 32, 2560),
]


@pytest.mark.parametrize("name, params, size, layer_names", TOP)
def test_counts_with_the_top_are_keras_ones(name, params, size, layer_names):
    shape = None if size == 224 else (size, size, 3)
    model = getattr(applications, name)(weights=None, input_shape=shape)
    assert model.count_params() == params
    assert model.inputs[0].shape == (None, size, size, 3)
    assert model.outputs[0].shape == (None, 1000)
    names = [layer.name for layer in model.layers]
    assert set(layer_names) <= set(names)
    assert names[-1] == "predictions"


def test_a_deep_resnet_with_its_own_classes():
    model = applications.ResNet152V2(weights=None, classes=10, input_shape=(64, 64, 3))
    assert model.count_params() == 58_331_648 + 2048 * 10 + 10
    assert model.get_layer("conv4_block36_out") is not None


@pytest.mark.parametrize("name, params, size, channels", NOTOP)
def test_bases_count_and_pool_on_small_inputs(name, params, size, channels):
    model = getattr(applications, name)(include_top=False, weights=None, pooling="avg",
                                        input_shape=(size, size, 3))
    assert model.count_params() == params
    assert model.outputs[0].shape == (None, channels)
    x = np.random.default_rng(0).random((2, size, size, 3)).astype("float32") * 255
    out = model.predict(x, verbose=0)
    assert out.shape == (2, channels) and np.all(np.isfinite(out))


@pytest.mark.parametrize("name, bad, minimum", [
    ("Xception", 70, 71), ("InceptionV3", 74, 75), ("DenseNet121", 31, 32),
    ("EfficientNetB3", 16, 32), ("MobileNetV3Small", 31, 32), ("VGG19", 20, 32)])
def test_too_small_inputs_name_the_model_and_the_minimum(name, bad, minimum):
    with pytest.raises(ValueError, match=f"{name}: .*at least {minimum}"):
        getattr(applications, name)(include_top=False, weights=None,
                                    input_shape=(bad, 96, 3))


def test_argument_errors_name_the_model():
    with pytest.raises(TypeError, match="ResNet50V2: unexpected keyword"):
        applications.ResNet50V2(weights=None, alpha=1.0)
    with pytest.raises(ValueError, match="VGG16: pooling"):
        applications.VGG16(weights=None, include_top=False, pooling="min")
    with pytest.raises(ValueError, match=r"Xception: .*input_shape must be \(299, 299, 3\)"):
        applications.Xception(weights="imagenet", input_shape=(224, 224, 3))
    with pytest.raises(ValueError, match="MobileNetV3Large: ImageNet weights exist"):
        applications.MobileNetV3Large(weights="imagenet", alpha=0.5)


@pytest.mark.parametrize("name, file", [
    ("DenseNet121", "densenet/densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    ("EfficientNetB0", "efficientnet/efficientnetb0_notop.h5"),
    ("ResNet50V2", "resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5")])
def test_imagenet_weights_offline_say_how_to_pass_a_file(name, file, tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path))
    with pytest.raises(FileNotAvailableError) as info:
        getattr(applications, name)(include_top=False, input_shape=(32, 32, 3))
    message = str(info.value)
    assert file in message and "weights=" in message


def test_preprocessing_per_module():
    from dlpath.keras.applications import (densenet, efficientnet, inception_v3,
                                           mobilenet_v3, resnet_v2, vgg16, vgg19, xception)

    x = np.array([[[[255.0, 0.0, 127.5]]]])
    np.testing.assert_allclose(vgg16.preprocess_input(x)[..., 0], 127.5 - 103.939)
    np.testing.assert_allclose(vgg19.preprocess_input(x)[..., 2], 255.0 - 123.68)
    for module in (resnet_v2, xception, inception_v3):
        np.testing.assert_allclose(module.preprocess_input(x), [[[[1.0, -1.0, 0.0]]]])
    np.testing.assert_allclose(densenet.preprocess_input(x)[..., 0], (1 - 0.485) / 0.229,
                               rtol=1e-6)
    assert efficientnet.preprocess_input(x) is x and mobilenet_v3.preprocess_input(x) is x
    assert vgg16.VGG16 is applications.VGG16
    assert efficientnet.EfficientNetB5 is applications.EfficientNetB5


def test_built_in_preprocessing_matches_the_formula():
    model = applications.MobileNetV3Small(include_top=False, weights=None,
                                          input_shape=(32, 32, 3))
    rescale = model.layers[1]
    assert type(rescale).__name__ == "Rescaling"
    eff = applications.EfficientNetB0(include_top=False, weights=None,
                                      input_shape=(32, 32, 3))
    norm = eff.get_layer("normalization")
    assert [tuple(w.shape) for w in norm.weights] == [(3,), (3,), ()]
    data = np.random.default_rng(2).random((4, 5, 5, 3)) * [1.0, 2.0, 3.0]
    norm.adapt(data)
    np.testing.assert_allclose(norm.get_weights()[0], data.reshape(-1, 3).mean(0), rtol=1e-6)
    assert int(norm.get_weights()[2]) == 100


def test_small_models_round_trip(tmp_path):
    x = np.random.default_rng(1).random((2, 32, 32, 3)).astype("float32") * 255
    for build in (applications.MobileNetV3Small, applications.EfficientNetB0):
        model = build(input_shape=(32, 32, 3), weights=None, classes=3)
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        loaded = models.load_model(path)
        assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
        np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                                   rtol=1e-4, atol=1e-6)
    weights = tmp_path / "d.weights.npz"
    dense = applications.DenseNet121(include_top=False, weights=None, input_shape=(32, 32, 3))
    dense.save_weights(weights)
    again = applications.DenseNet121(include_top=False, weights=str(weights),
                                     input_shape=(32, 32, 3))
    np.testing.assert_allclose(again.predict(x, verbose=0), dense.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_mobilenet_v3_variants():
    small = applications.MobileNetV3Small(input_shape=(32, 32, 3), weights=None,
                                          minimalistic=True, include_preprocessing=False,
                                          alpha=0.75, classes=5, dropout_rate=0.0)
    names = [layer.name for layer in small.layers]
    assert not any("squeeze_excite" in name for name in names)
    assert not any(type(layer).__name__ in ("Rescaling", "Dropout") for layer in small.layers)
    assert small.get_layer("expanded_conv_3_depthwise").kernel_size == (3, 3)
    assert small.outputs[0].shape == (None, 5)
    large = applications.MobileNetV3Large(input_shape=(32, 32, 3), weights=None,
                                          include_top=False, alpha=0.75)
    assert large.get_layer("expanded_conv_12_depthwise").kernel_size == (5, 5)
    assert large.get_layer("expanded_conv_14_project").filters == 120  # 160 * 0.75
    with pytest.raises(ValueError, match="MobileNetV3Small: ImageNet weights exist"):
        applications.MobileNetV3Small(weights="imagenet", alpha=0.75, minimalistic=True)
