"""fashion-multitask / mnist-multitask: two heads, each trained and reported."""

import json

import numpy as np
import pytest

from recipes._runs import FakeRun
from dlpath.datasets import DatasetNotFoundError, fashion_mnist
from dlpath.random import set_seed
from dlpath.recipes import get_recipe
from dlpath.recipes.fashion_multitask import FASHION_GROUP_OF_CLASS, FASHION_GROUPS


def test_mnist_multitask_has_two_outputs_and_logs_both_heads(tmp_path):
    set_seed(0)
    recipe = get_recipe("mnist-multitask")
    config = recipe.make_config({"epochs": 1, "train_limit": 96, "filters": 4, "units": 16,
                                 "test_limit": 64})
    assert config.dataset == "mnist"
    data = recipe.load_data(config)
    y = data.train[1]
    assert set(y) == {"class", "group"}
    np.testing.assert_array_equal(y["group"], y["class"] % 2)  # parity
    model = recipe.build_model(config, data)
    outputs = model.predict(data.test[0][:4], verbose=0)
    assert [o.shape for o in outputs] == [(4, 10), (4, 2)]

    history = recipe.train(FakeRun(model=model, folder=tmp_path), config, data)

    for key in ("class_loss", "group_loss", "class_accuracy", "group_accuracy",
                "val_class_accuracy", "val_group_accuracy"):
        assert key in history.history
    extra = json.loads((tmp_path / "extra_metrics.json").read_text())
    assert set(extra) == {"class_accuracy", "group_accuracy"}


def test_fashion_groups_cover_every_class():
    assert len(FASHION_GROUP_OF_CLASS) == 10
    assert set(FASHION_GROUP_OF_CLASS) == set(range(len(FASHION_GROUPS)))


def test_fashion_multitask_without_its_files_fails_with_the_dataset_error(monkeypatch,
                                                                          tmp_path):
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path))
    try:
        fashion_mnist.load_data()
        pytest.skip("Fashion-MNIST files are available here")
    except DatasetNotFoundError:
        pass
    recipe = get_recipe("fashion-multitask")
    with pytest.raises(DatasetNotFoundError, match="Fashion-MNIST"):
        recipe.load_data(recipe.make_config({}))
