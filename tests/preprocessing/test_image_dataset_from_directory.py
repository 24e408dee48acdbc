"""image_dataset_from_directory on a folder of PNGs written in tmp_path."""

import numpy as np
import pytest

from dlpath.keras.utils import image_dataset_from_directory
from dlpath.preprocessing.image import save_img


@pytest.fixture
def folder(tmp_path):
    for index, name in enumerate(("ant", "bee", "cat")):
        (tmp_path / name).mkdir()
        for i in range(4):
            pixels = np.full((8, 12, 3), 10 * index + i, np.uint8)
            save_img(tmp_path / name / f"img{i}.png", pixels, scale=False)
    (tmp_path / "ant" / "notes.txt").write_text("not an image")
    return tmp_path


def all_batches(ds):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    return np.concatenate(xs), np.concatenate(ys)


def test_labels_inferred_from_subfolders_unshuffled(folder, capsys):
    ds = image_dataset_from_directory(folder, image_size=(4, 6), batch_size=5, shuffle=False)
    assert "Found 12 files belonging to 3 classes." in capsys.readouterr().out
    assert ds.class_names == ["ant", "bee", "cat"] and len(ds) == 3
    x, y = all_batches(ds)
    assert x.shape == (12, 4, 6, 3) and x.dtype == np.float32 and y.dtype == np.int32
    assert y.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    np.testing.assert_allclose(x[:, 0, 0, 0], [10 * (i // 4) + i % 4 for i in range(12)])


def test_label_modes_color_modes_and_no_labels(folder):
    ds = image_dataset_from_directory(folder, label_mode="categorical", color_mode="grayscale",
                                      image_size=(8, 12), shuffle=False, verbose=False)
    x, y = all_batches(ds)
    assert x.shape == (12, 8, 12, 1) and y.shape == (12, 3) and y.dtype == np.float32
    images = next(iter(image_dataset_from_directory(folder, label_mode=None, shuffle=False,
                                                    image_size=(2, 2), verbose=False)))
    assert images.shape == (12, 2, 2, 3)
    with pytest.raises(ValueError, match="exactly 2 classes"):
        image_dataset_from_directory(folder, label_mode="binary", verbose=False)
    binary = image_dataset_from_directory(folder, label_mode="binary", class_names=["ant", "cat"],
                                          image_size=(2, 2), shuffle=False, verbose=False)
    assert all_batches(binary)[1].shape == (8, 1)


def test_seeded_shuffle_and_validation_split_both(folder):
    train, val = image_dataset_from_directory(folder, validation_split=0.25, subset="both",
                                              seed=3, image_size=(2, 2), batch_size=4,
                                              verbose=False)
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = image_dataset_from_directory(folder, validation_split=0.25, subset="validation",
                                         seed=3, image_size=(2, 2), verbose=False)
    assert again.file_paths == val.file_paths
    x, y = all_batches(train)
    assert sorted(x[:, 0, 0, 0].tolist()) == sorted(
        10 * (i // 4) + i % 4 for i in range(12) if
        str(folder / ["ant", "bee", "cat"][i // 4] / f"img{i % 4}.png") in train.file_paths)
    assert len(y) == 9


def test_resize_and_aspect_crop(folder):
    ds = image_dataset_from_directory(folder, image_size=(6, 6), crop_to_aspect_ratio=True,
                                      shuffle=False, verbose=False)
    assert next(iter(ds))[0].shape == (12, 6, 6, 3)


def test_errors_name_the_argument(folder, tmp_path):
    with pytest.raises(ValueError, match="validation_split and subset"):
        image_dataset_from_directory(folder, subset="training", verbose=False)
    with pytest.raises(ValueError, match="give a seed"):
        image_dataset_from_directory(folder, validation_split=0.2, subset="training",
                                     verbose=False)
    with pytest.raises(ValueError, match="is not a folder"):
        image_dataset_from_directory(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="label_mode"):
        image_dataset_from_directory(folder, label_mode="sparse")
    (tmp_path / "empty" / "x").mkdir(parents=True)
    with pytest.raises(ValueError, match="no files found"):
        image_dataset_from_directory(tmp_path / "empty", verbose=False)
