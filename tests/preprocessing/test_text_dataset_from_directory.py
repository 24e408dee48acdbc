"""text_dataset_from_directory on the aclImdb layout written in tmp_path."""

import numpy as np
import pytest

from dlpath.keras.preprocessing import text_dataset_from_directory


@pytest.fixture
def reviews(tmp_path):
    train = tmp_path / "aclImdb" / "train"
    for name, words in (("pos", "great"), ("neg", "awful")):
        (train / name).mkdir(parents=True)
        for i in range(3):
            (train / name / f"{i}_7.txt").write_text(f"{words} film number {i}",
                                                      encoding="utf-8")
    return train


def test_labels_follow_alphanumeric_class_order(reviews):
    ds = text_dataset_from_directory(reviews, batch_size=4, shuffle=False, verbose=False)
    assert ds.class_names == ["neg", "pos"]
    texts, labels = zip(*[(t.numpy(), y.numpy()) for t, y in ds])
    texts, labels = np.concatenate(texts), np.concatenate(labels)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert texts[0] == "awful film number 0" and texts[5] == "great film number 2"


def test_max_length_split_and_shuffle(reviews):
    train, val = text_dataset_from_directory(reviews, max_length=5, validation_split=0.5,
                                             subset="both", seed=1, verbose=False)
    texts = np.concatenate([t for t, _ in train.as_numpy_iterator()])
    assert len(texts) == 3 and all(len(t) <= 5 for t in texts)
    assert len(val.file_paths) == 3 and not set(val.file_paths) & set(train.file_paths)
