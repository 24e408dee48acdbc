"""MixUp and CutMix (images and labels mixed with the same weights), RandAugment, AugMix and
Pipeline; every new augmentation layer saved and loaded in a Sequential model, trained in
fit, and exported to ONNX as the identity it is at inference (checked with onnxruntime)."""

import numpy as np
import pytest

import dlpath.random
from dlpath import keras
from dlpath.layers.arguments import InvalidArgumentError

L = keras.layers
RNG = np.random.default_rng(3)
IMAGES = RNG.uniform(0, 255, (4, 6, 6, 3)).astype(np.float32)
LABELS = np.eye(4, dtype=np.float32)


def _constant_images(batch=4, size=8):
    """Image i is filled with the value i, so each output pixel tells where it came from."""
    return np.broadcast_to(np.arange(batch, dtype=np.float32)[:, None, None, None],
                           (batch, size, size, 1)).copy()


def test_mixup_blends_images_and_labels_with_the_same_beta_weights():
    out = L.MixUp(alpha=0.4, seed=9)({"images": IMAGES, "labels": LABELS}, training=True)
    rng = np.random.default_rng(9)
    permutation = rng.permutation(4)
    weights = rng.beta(0.4, 0.4, size=4)
    w = weights[:, None, None, None]
    np.testing.assert_allclose(out["images"].data, w * IMAGES + (1 - w) * IMAGES[permutation],
                               rtol=1e-5)
    expected = weights[:, None] * LABELS + (1 - weights[:, None]) * LABELS[permutation]
    np.testing.assert_allclose(out["labels"].data, expected, rtol=1e-5)
    np.testing.assert_array_equal(L.MixUp()(IMAGES).data, IMAGES)  # inference


def test_cutmix_pastes_a_box_and_mixes_labels_by_its_area():
    images = _constant_images()
    out = L.CutMix(seed=4)({"images": images, "labels": LABELS}, training=True)
    mixed, labels = out["images"].data[..., 0], out["labels"].data
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-6)
    for i in range(4):
        sources = set(np.unique(mixed[i]).astype(int))
        assert sources <= {i} | set(np.flatnonzero(labels[i]))
        kept = np.mean(mixed[i] == i)
        if len(sources) == 2:  # the label weight is the kept area, up to a pixel's border
            assert abs(labels[i, i] - kept) < 2 * (8 + 8) / 64
    single = images[0]
    np.testing.assert_array_equal(L.CutMix()(single, training=True).data, single)
    labels_int = {"images": images, "labels": np.eye(4, dtype=np.int64)}
    assert L.CutMix(seed=1)(labels_int, training=True)["labels"].dtype == np.float32


def test_randaugment_without_ops_and_augmix_without_depth_keep_the_images():
    np.testing.assert_array_equal(L.RandAugment(num_ops=0)(IMAGES, training=True).data, IMAGES)
    np.testing.assert_allclose(L.AugMix(chain_depth=0)(IMAGES, training=True).data, IMAGES,
                               rtol=1e-5)
    for layer in (L.RandAugment(factor=0.8, num_ops=3), L.AugMix(all_ops=False)):
        dlpath.random.set_seed(0)
        first = layer(IMAGES, training=True).data
        dlpath.random.set_seed(0)
        np.testing.assert_array_equal(layer(IMAGES, training=True).data, first)
        assert 0 <= first.min() and first.max() <= 255 and not np.allclose(first, IMAGES)
        np.testing.assert_array_equal(layer(IMAGES).data, IMAGES)
    assert L.RandAugment(factor=0.5)._operations["random_posterization"].factor == (1, 4)


def test_pipeline_passes_training_to_each_layer_and_round_trips():
    pipeline = L.Pipeline([L.RandomInvert((1.0, 1.0)), L.Rescaling(1 / 255)])
    np.testing.assert_allclose(pipeline(IMAGES, training=True).data, (255 - IMAGES) / 255,
                               atol=1e-6)
    np.testing.assert_allclose(pipeline(IMAGES).data, IMAGES / 255, atol=1e-6)
    rebuilt = L.Pipeline.from_config(pipeline.get_config())
    assert [type(layer) for layer in rebuilt.layers] == [L.RandomInvert, L.Rescaling]
    assert rebuilt.get_config() == pipeline.get_config()


def _all_new_layers():
    return [
        L.RandomGrayscale(), L.RandomHue(0.2, seed=1), L.RandomSaturation(0.6),
        L.RandomColorDegeneration(0.3), L.RandomColorJitter(brightness_factor=0.1,
                                                            hue_factor=(0.1, 0.2)),
        L.RandomInvert(), L.RandomPosterization(4), L.Solarization(0.1, 0.5),
        L.RandomSharpness(0.4), L.Equalization(bins=128), L.RandomShear(0.2, fill_mode="wrap"),
        L.RandomPerspective(scale=0.3), L.RandomErasing(fill_value=2.0),
        L.RandomGaussianBlur(kernel_size=(3, 5)), L.MixUp(0.3), L.CutMix(0.5),
        L.RandAugment(num_ops=1), L.AugMix(num_chains=2),
        L.Pipeline([L.RandomFlip("horizontal"), L.Rescaling(1 / 255)]),
    ]


def test_every_new_layer_saves_and_loads_in_a_sequential_model(tmp_path):
    model = keras.Sequential([keras.Input((8, 8, 3))] + _all_new_layers()
                             + [L.AutoContrast(value_range=(0, 1))])
    x = RNG.uniform(0, 255, (2, 8, 8, 3)).astype(np.float32)
    model.save(tmp_path / "augment.keras")
    loaded = keras.models.load_model(tmp_path / "augment.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for original, restored in zip(model.layers, loaded.layers):
        assert type(restored) is type(original)
        assert restored.get_config() == original.get_config()


def test_a_model_with_augmentations_trains():
    dlpath.random.set_seed(0)
    x = RNG.uniform(0, 255, (16, 8, 8, 3)).astype(np.float32)
    y = (x.mean(axis=(1, 2, 3)) > 127).astype(np.int64)
    model = keras.Sequential([
        keras.Input((8, 8, 3)), L.RandAugment(num_ops=2), L.RandomHue(0.1), L.MixUp(),
        L.RandomErasing(0.5), L.Rescaling(1 / 255), L.Flatten(), L.Dense(2)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


def test_onnx_export_treats_the_random_layers_as_identity(tmp_path):
    import onnxruntime as ort

    from dlpath.export import UnsupportedLayerError, to_onnx

    model = keras.Sequential([keras.Input((8, 8, 3))] + _all_new_layers())
    path = tmp_path / "augment.onnx"
    to_onnx(model, str(path))
    session = ort.InferenceSession(str(path))
    x = RNG.uniform(0, 255, (3, 8, 8, 3)).astype(np.float32)
    out = session.run(None, {session.get_inputs()[0].name: x})[0]
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(out, x / 255, rtol=1e-5)  # only the Rescaling acts
    contrast = keras.Sequential([keras.Input((8, 8, 3)), L.AutoContrast()])
    with pytest.raises(UnsupportedLayerError, match="AutoContrast"):
        to_onnx(contrast, str(tmp_path / "contrast.onnx"))


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="MixUp: alpha"):
        L.MixUp(alpha=0)
    with pytest.raises(InvalidArgumentError, match="CutMix: factor"):
        L.CutMix(factor=2.0)
    with pytest.raises(InvalidArgumentError, match="RandAugment: num_ops"):
        L.RandAugment(num_ops=-1)
    with pytest.raises(InvalidArgumentError, match="AugMix: num_chains"):
        L.AugMix(num_chains=0)
    with pytest.raises(InvalidArgumentError, match="AugMix: all_ops"):
        L.AugMix(all_ops="yes")
    with pytest.raises(InvalidArgumentError, match="Pipeline: layers"):
        L.Pipeline([L.RandomFlip(), "flip"])
