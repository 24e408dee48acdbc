"""mnist-transfer: both phases run and both test accuracies are recorded."""

import json

import numpy as np

from recipes._runs import FakeRun
from dlpath.random import set_seed
from dlpath.recipes import get_recipe

TINY = {"epochs": 1, "train_limit": 128, "validation_size": 32, "labels_per_class": 4,
        "head_epochs": 1, "finetune_epochs": 1, "test_limit": 40}


def test_transfer_pretrains_fine_tunes_and_records_both_accuracies(tmp_path):
    set_seed(0)
    recipe = get_recipe("mnist-transfer")
    config = recipe.make_config(TINY)
    data = recipe.load_data(config)
    # The pre-training split holds digits 0-4, the few labels and the test set digits 5-9.
    assert set(np.unique(data.train[1])) <= {0, 1, 2, 3, 4}
    assert len(data.few_shot[0]) == 5 * 4 and data.class_names == ["5", "6", "7", "8", "9"]
    assert len(data.test[0]) == 40 and data.test[1].max() <= 4
    model = recipe.build_model(config, data)
    base = model.get_layer("conv_base")
    before = [w.copy() for w in base.get_weights()]
    run = FakeRun(model=model, folder=tmp_path)

    history = recipe.train(run, config, data)

    assert "val_accuracy" in history.history  # the pre-training epochs
    assert base.trainable  # unfrozen again after phase 2
    assert any(not np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    extra = json.loads((tmp_path / "extra_metrics.json").read_text())
    for key in ("transfer_test_accuracy", "scratch_test_accuracy"):
        assert 0.0 <= extra[key] <= 1.0
    # The run's model is the fine-tuned 5-way classifier of the digits 5-9.
    assert model.predict(data.test[0][:3], verbose=0).shape == (3, 5)


def test_frozen_base_is_not_updated_by_the_head_phase():
    from dlpath.recipes.mnist_transfer import _compile, build_classifier, build_conv_base

    base = build_conv_base()
    model = build_classifier(base, 5)
    base.trainable = False
    _compile(model, 1e-2)
    before = [w.copy() for w in base.get_weights()]
    x = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    model.fit(x, np.arange(8) % 5, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
