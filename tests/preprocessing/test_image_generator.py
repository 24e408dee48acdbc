"""ImageDataGenerator: known transforms on constructed images, flow shapes, seeds, fit."""

import numpy as np
import pytest

from dlpath.keras.preprocessing.image import ImageDataGenerator, apply_affine_transform
from dlpath.preprocessing.image import save_img


def dot_image(row=2, col=1, size=5):
    x = np.zeros((size, size, 1), np.float32)
    x[row, col, 0] = 1.0
    return x


def where(x):
    return tuple(int(v) for v in np.argwhere(x[..., 0] > 0.5)[0])


def test_flips_are_flips():
    x = np.random.default_rng(0).random((4, 6, 3)).astype(np.float32)
    gen = ImageDataGenerator()
    np.testing.assert_array_equal(gen.apply_transform(x, {"flip_horizontal": True}),
                                  x[:, ::-1])
    np.testing.assert_array_equal(gen.apply_transform(x, {"flip_vertical": True}), x[::-1])


def test_a_shift_moves_a_known_pixel():
    gen = ImageDataGenerator(fill_mode="constant")
    assert where(gen.apply_transform(dot_image(), {"ty": 1})) == (2, 0)   # columns
    assert where(gen.apply_transform(dot_image(), {"tx": -2})) == (4, 1)  # rows


def test_rotation_by_90_degrees_turns_the_image_about_keras_centre():
    # Keras rotates about (h/2 + 1/2, w/2 + 1/2) = (3, 3) for a 5x5 image: output pixel
    # (r, c) samples the input at R((r, c) - 3) + 3 = (6 - c, r).
    x = np.random.default_rng(1).random((5, 5, 1)).astype(np.float32)
    turned = apply_affine_transform(x, theta=90, fill_mode="constant")[..., 0]
    for r in range(5):
        for c in range(2, 5):
            assert turned[r, c] == pytest.approx(x[6 - c, r, 0], abs=1e-5)
    assert np.all(turned[:, :2] == 0)  # sampled outside: the constant fill


def test_zoom_factor_two_samples_twice_the_distance_from_the_centre():
    # output (r, c) samples the input at 2 ((r, c) - 5) + 5 (centre 9/2 + 1/2 = 5)
    x = np.zeros((9, 9, 1), np.float32)
    x[3, 5] = 1.0
    zoomed = apply_affine_transform(x, zx=2, zy=2, fill_mode="constant", order=0)
    assert zoomed[4, 5, 0] == 1.0 and zoomed.sum() == 1.0


def test_rescale_samplewise_and_preprocessing_function_order():
    gen = ImageDataGenerator(rescale=0.5, preprocessing_function=lambda v: v + 1)
    np.testing.assert_allclose(gen.standardize(np.full((2, 2, 1), 3.0)), 2.0)
    gen = ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True)
    out = gen.standardize(np.arange(8, dtype=np.float32).reshape(2, 2, 2))
    assert abs(out.mean()) < 1e-6 and abs(out.std() - 1) < 1e-4


def test_featurewise_statistics_come_from_fit():
    x = np.random.default_rng(2).random((20, 4, 4, 3)).astype(np.float32) * [1, 10, 100]
    gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean.ravel(), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    batch = next(iter(gen.flow(x, batch_size=20, shuffle=False)))
    np.testing.assert_allclose(batch.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(batch.std(axis=(0, 1, 2)), 1, atol=1e-3)
    with pytest.warns(UserWarning, match="fit"):
        ImageDataGenerator(featurewise_center=True).standardize(x[0])


def test_flow_batch_shapes_labels_and_seeded_reproducibility():
    x = np.random.default_rng(3).random((10, 8, 8, 3)).astype(np.float32)
    y = np.arange(10)
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.2, zoom_range=0.2,
                             shear_range=10, horizontal_flip=True)
    flow = gen.flow(x, y, batch_size=4, seed=5)
    assert len(flow) == 3
    shapes = [(b[0].shape, b[1].shape) for b in (flow[0], flow[1], flow[2])]
    assert shapes == [((4, 8, 8, 3), (4,))] * 2 + [((2, 8, 8, 3), (2,))]
    again = gen.flow(x, y, batch_size=4, seed=5)
    np.testing.assert_array_equal(again[1][0], flow[1][0])
    np.testing.assert_array_equal(again[1][1], flow[1][1])
    labels = np.concatenate([flow[i][1] for i in range(3)])
    assert sorted(labels.tolist()) == list(range(10)) and labels.tolist() != list(range(10))
    unshuffled = gen.flow(x, y, batch_size=4, shuffle=False)
    assert next(unshuffled)[1].tolist() == [0, 1, 2, 3]


def test_flow_subset_takes_the_first_fraction_for_validation():
    x = np.zeros((10, 2, 2, 1), np.float32)
    y = np.array([0, 1] * 5)
    gen = ImageDataGenerator(validation_split=0.2)
    assert gen.flow(x, y, subset="validation").n == 2
    assert gen.flow(x, y, subset="training", shuffle=False)[0][1].tolist() == [0, 1] * 4
    with pytest.raises(ValueError, match="rank 4"):
        gen.flow(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="same length"):
        gen.flow(x, y[:3])


def test_flow_from_directory_reads_classes(tmp_path):
    for name, value in (("cats", 10), ("dogs", 200)):
        (tmp_path / name).mkdir()
        for i in range(3):
            save_img(tmp_path / name / f"{i}.png", np.full((6, 4, 3), value), scale=False)
    gen = ImageDataGenerator(rescale=1 / 255)
    it = gen.flow_from_directory(tmp_path, target_size=(5, 5), batch_size=6, shuffle=False)
    assert it.class_indices == {"cats": 0, "dogs": 1} and it.samples == 6
    x, y = it[0]
    assert x.shape == (6, 5, 5, 3) and y.shape == (6, 2)
    np.testing.assert_allclose(x[:3].max(), 10 / 255, rtol=1e-5)
    np.testing.assert_array_equal(y.argmax(1), [0, 0, 0, 1, 1, 1])
    sparse = gen.flow_from_directory(tmp_path, target_size=(5, 5), class_mode="sparse",
                                     color_mode="grayscale", shuffle=False)
    assert sparse[0][0].shape == (6, 5, 5, 1) and sparse[0][1].tolist() == [0, 0, 0, 1, 1, 1]
    split = ImageDataGenerator(validation_split=0.34).flow_from_directory(
        tmp_path, target_size=(5, 5), subset="validation")
    assert split.samples == 2


def test_model_fit_on_flow():
    from dlpath.keras import Sequential
    from dlpath.keras.layers import Dense, Flatten, Input

    x = np.random.default_rng(4).random((16, 4, 4, 1)).astype(np.float32)
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype(np.float32)
    model = Sequential([Input((4, 4, 1)), Flatten(), Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    flow = ImageDataGenerator(horizontal_flip=True).flow(x, y, batch_size=8, seed=0)
    history = model.fit(flow, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and flow.epoch == 2
