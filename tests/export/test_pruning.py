"""Magnitude pruning during training: schedules, masks, reports, saving, the recipe option."""

import json
import zipfile

import numpy as np
import pytest

from dlpath import keras
from dlpath.export.pruning import (ConstantSparsity, PolynomialDecay, PruningCallback,
                                   deflated_size, magnitude_mask, select_weights,
                                   sparsity_report)
from dlpath.random import set_seed


def _model(lstm=False):
    layers = keras.layers
    if lstm:
        stack = [keras.Input((5, 3)), layers.LSTM(6, name="lstm"),
                 layers.Dense(4, activation="softmax", name="out")]
    else:
        stack = [keras.Input((8, 8, 1)), layers.Conv2D(8, 3, activation="relu", name="conv"),
                 layers.BatchNormalization(name="norm"), layers.Flatten(name="flat"),
                 layers.Dense(16, activation="relu", name="hidden"),
                 layers.Dense(4, activation="softmax", name="out")]
    model = keras.Sequential(stack)
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy",
                  ["accuracy"])
    return model


def _data(shape, n=96):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n,) + shape).astype("float32"), rng.integers(0, 4, n)


# ---------------------------------------------------------------- schedules
def test_polynomial_decay_follows_zhu_and_guptas_formula():
    s_i, s_f, t0, end = 0.1, 0.9, 20, 120
    schedule = PolynomialDecay(s_i, s_f, t0, end)
    for t in (20, 35, 50, 70, 99, 120):
        expected = s_f + (s_i - s_f) * (1 - (t - t0) / (end - t0)) ** 3
        assert schedule(t) == pytest.approx(expected, abs=1e-12)
    assert schedule(0) == pytest.approx(s_i) and schedule(500) == pytest.approx(s_f)
    # Pruning steps: every frequency steps from t0, and the end step itself.
    steps = [t for t in range(200) if schedule.prunes_at(t, 30)]
    assert steps == [20, 50, 80, 110, 120]


def test_constant_sparsity_and_bad_schedules():
    schedule = ConstantSparsity(0.5, begin_step=10)
    assert schedule(9) == 0.0 and schedule(10) == schedule(10_000) == 0.5
    assert schedule.prunes_at(10, 100) and schedule.prunes_at(110, 100)
    assert not schedule.prunes_at(50, 100)
    with pytest.raises(ValueError, match="final_sparsity must lie in"):
        PolynomialDecay(0.0, 1.5, 0, 10)
    with pytest.raises(ValueError, match="end_step must be after begin_step"):
        PolynomialDecay(0.0, 0.5, 10, 10)
    with pytest.raises(TypeError, match="PruningCallback: schedule"):
        PruningCallback("half")
    with pytest.raises(ValueError, match="frequency"):
        PruningCallback(0.5, frequency=0)


# ---------------------------------------------------------------- masks
def test_magnitude_mask_drops_the_smallest_magnitudes():
    w = np.array([[0.5, -0.1, 2.0], [-3.0, 0.05, 0.3]])
    keep = magnitude_mask(w, 0.5)
    assert keep.tolist() == [[True, False, True], [True, False, False]]
    # An entry pruned before goes first, whatever its magnitude now.
    before = np.ones_like(keep)
    before[1, 0] = False
    assert not magnitude_mask(w, 1 / 6, before)[1, 0]


def test_default_selection_is_the_kernels_only():
    model = _model()
    selected = select_weights(model)
    names = {name: [w.name for w in weights] for name, weights in selected.items()}
    assert names == {"conv": ["conv/kernel"], "hidden": ["hidden/kernel"],
                     "out": ["out/kernel"]}
    lstm = _model(lstm=True)
    kernels = [w.name.rsplit("/", 1)[-1] for w in select_weights(lstm)["lstm"]]
    assert kernels == ["kernel", "recurrent_kernel"]
    with pytest.raises(ValueError, match="no such layer"):
        select_weights(model, layers=["dense_9"])
    with pytest.raises(ValueError, match="'norm'.*no kernel"):
        select_weights(model, layers="norm")


@pytest.mark.parametrize("lstm", [False, True])
def test_masks_hold_through_adam_steps_and_reach_the_target(lstm):
    set_seed(0)
    model = _model(lstm)
    x, y = _data((5, 3) if lstm else (8, 8, 1))
    untouched = [w for w in model.weights if not w.name.endswith("kernel")]
    before = [w.data.copy() for w in untouched]

    zeros_seen = []

    class Watch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            zeros_seen.append({w.name: w.data == 0 for w in model.weights
                               if w.name.endswith("kernel")})

    schedule = PolynomialDecay(0.0, 0.8, 0, 6)
    pruning = PruningCallback(schedule, frequency=2)
    history = model.fit(x, y, batch_size=16, epochs=2, callbacks=[pruning, Watch()],
                        verbose=0)
    # Once zero, a weight stays zero after every later Adam step.
    for earlier, later in zip(zeros_seen, zeros_seen[1:]):
        for name, zero in earlier.items():
            assert np.all(later[name][zero]), name
    # The target is reached in each pruned weight, to one weight.
    for weights in select_weights(model).values():
        for w in weights:
            assert abs(np.count_nonzero(w.data == 0) - round(0.8 * w.size)) <= 1, w.name
    # Biases and normalization weights are trained and not pruned.
    for w, old in zip(untouched, before):
        if w.trainable:
            assert not np.array_equal(w.data, old), w.name
        assert np.count_nonzero(w.data == 0) < 0.5 * w.size, w.name
    report = sparsity_report(model)
    assert report["sparsity"] == pytest.approx(0.8, abs=0.01)
    assert history.history["sparsity"][-1] == pytest.approx(report["sparsity"])
    assert pruning.report["layers"] == report["layers"]
    assert len(pruning.history) == 2


def test_a_number_prunes_at_once_and_the_report_goes_to_report_to():
    set_seed(0)
    model = _model()
    x, y = _data((8, 8, 1), n=32)
    received = []
    model.fit(x, y, batch_size=16, epochs=1, verbose=0,
              callbacks=[PruningCallback(0.5, layers=["hidden"], report_to=received.append)])
    (flat,) = received
    assert flat["sparsity/hidden"] == pytest.approx(0.5, abs=1 / 576)
    assert set(flat) == {"sparsity", "sparsity/hidden"}
    assert np.count_nonzero(model.get_layer("conv").kernel.data == 0) == 0


def test_a_pruned_model_saves_and_loads_with_its_zeros(tmp_path):
    set_seed(0)
    model = _model()
    x, y = _data((8, 8, 1))
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    path = tmp_path / "dense.keras"
    model.save(path, include_optimizer=False)  # the weights only: what a deployment ships
    dense_size = deflated_size(path)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0,
              callbacks=[PruningCallback(0.9, frequency=1)])
    pruned = tmp_path / "pruned.keras"
    model.save(pruned, include_optimizer=False)
    loaded = keras.models.load_model(pruned)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert sparsity_report(loaded)["sparsity"] == pytest.approx(0.9, abs=0.01)
    np.testing.assert_allclose(loaded.predict(x[:4], verbose=0),
                               model.predict(x[:4], verbose=0), rtol=1e-6)
    # Zeros compress: the deflated archive is much smaller than the dense one's.
    assert deflated_size(pruned) < 0.6 * dense_size
    with zipfile.ZipFile(pruned) as archive:
        assert archive.testzip() is None


def test_recipe_prunes_while_training_with_set_prune(tmp_path):
    from dlpath.workflow.run import train

    folder = train("digits-mlp", {"prune": 0.8, "epochs": 2, "train_limit": 256,
                                  "eval_limit": 64}, parent=tmp_path, verbose=0,
                   log=lambda *_: None)
    rows = json.loads(folder.metrics_json.read_text())
    assert [round(row["sparsity"], 2) for row in rows][-1] == 0.8
    extra = json.loads((folder.path / "extra_metrics.json").read_text())
    assert extra["sparsity"] == pytest.approx(0.8, abs=0.01)
    # One entry per pruned layer, named after the layer (its name depends on how many
    # layers the process made before).
    layers = {key: value for key, value in extra.items() if key.startswith("sparsity/")}
    assert layers and all(value == pytest.approx(0.8, abs=1 / 4096)
                          for value in layers.values())
    saved = keras.models.load_model(folder.model)
    assert sparsity_report(saved)["sparsity"] == pytest.approx(0.8, abs=0.01)


def test_recipe_prune_setting_is_checked():
    from dlpath.recipes import get_recipe

    with pytest.raises(ValueError, match=r"'prune' is a sparsity in \[0, 1\)"):
        get_recipe("digits-mlp").make_config({"prune": "1.2"})
    with pytest.raises(ValueError, match="own loop"):
        get_recipe("mnist-gan").make_config({"prune": 0.5})
