"""fit / evaluate / predict semantics: returns, validation, weights, generators, errors."""

import numpy as np
import pytest

from dlpath.keras import Sequential, callbacks
from dlpath.keras.layers import Dense
from dlpath.keras.optimizers import Adam
from dlpath.random import set_seed


def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.standard_normal((n, 2)) * 0.5 + np.eye(3)[y][:, :2] * 3
    return x.astype(np.float32), y


def classifier():
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)),
                        Dense(3, activation="softmax")])
    model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_returns_history_and_evaluate_returns_loss_and_metrics():
    set_seed(0)
    x, y = blobs()
    model = classifier()
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert list(history.history) == ["loss", "accuracy"]
    assert len(history.history["loss"]) == 5 and history.epoch == [0, 1, 2, 3, 4]
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == {"loss": pytest.approx(loss), "accuracy": pytest.approx(accuracy)}
    assert model.metrics_names == ["loss", "accuracy"]


def test_acc_is_logged_under_the_name_the_user_wrote():
    x, y = blobs()
    model = Sequential([Dense(3, activation="softmax", input_shape=(2,))])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    assert "acc" in model.fit(x, y, verbose=0).history


def test_evaluate_without_metrics_returns_a_float():
    x, y = blobs()
    model = Sequential([Dense(3, input_shape=(2,))])
    model.compile("sgd", "mse")
    value = model.evaluate(x, np.eye(3)[y], verbose=0)
    assert isinstance(value, float)


def test_validation_split_takes_the_last_samples_and_logs_val_metrics():
    x, y = blobs(100)
    model = classifier()
    history = model.fit(x, y, validation_split=0.2, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    expected = model.evaluate(x[80:], y[80:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(expected[0], rel=1e-5)


def test_validation_data_and_initial_epoch_and_steps_per_epoch():
    x, y = blobs(64)
    model = classifier()
    history = model.fit(x, y, validation_data=(x, y), epochs=4, initial_epoch=2,
                        batch_size=8, steps_per_epoch=3, verbose=0)
    assert history.epoch == [2, 3]
    assert model.optimizer.iterations == 6


def test_fit_on_a_generator_of_batches():
    x, y = blobs(64)

    def batches():
        while True:
            for i in range(0, 64, 16):
                yield x[i:i + 16], y[i:i + 16]

    model = classifier()
    history = model.fit(batches(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and model.optimizer.iterations == 12


def test_sample_weight_and_class_weight_change_the_loss():
    x, y = blobs(60)
    model = classifier()
    base = model.evaluate(x, y, verbose=0)[0]
    weights = np.where(y == 0, 2.0, 0.0)
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0)[0]
    assert weighted != pytest.approx(base)
    model.fit(x, y, class_weight={0: 1.0, 1: 1.0, 2: 5.0}, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="no entry for classes"):
        model.fit(x, y, class_weight={0: 1.0}, verbose=0)


def _class_weighted_fit(data, **kwargs):
    set_seed(3)
    model = classifier()
    model.fit(*data, class_weight={0: 1.0, 1: 0.2, 2: 4.0}, epochs=2, verbose=0, **kwargs)
    return [w.data.copy() for w in model.weights]


@pytest.mark.parametrize("kind", ["dataset", "generator", "dataset with sample weights"])
def test_class_weight_on_batched_data_equals_it_on_arrays(kind):
    import dlpath as tf

    x, y = blobs(48)
    sample = np.linspace(0.5, 1.5, len(y)).astype(np.float32)
    with_sample = kind.endswith("weights")
    expected = _class_weighted_fit((x, y), batch_size=16, shuffle=False,
                                   sample_weight=sample if with_sample else None)
    columns = (x, y, sample) if with_sample else (x, y)
    if kind == "generator":
        data = [tuple(c[i:i + 16] for c in columns) for i in range(0, 48, 16)]
    else:
        data = tf.data.Dataset.from_tensor_slices(columns).batch(16)
    for got, want in zip(_class_weighted_fit((data,)), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_class_weight_must_be_a_dict():
    x, y = blobs(20)
    with pytest.raises(TypeError, match="class_weight must be a dict"):
        classifier().fit(x, y, class_weight=[1.0, 2.0, 3.0], verbose=0)


def test_predict_batches_and_on_batch_methods():
    x, y = blobs(70)
    model = classifier()
    out = model.predict(x, batch_size=32, verbose=0)
    assert out.shape == (70, 3)
    np.testing.assert_allclose(out.sum(-1), 1, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], rtol=1e-5)
    loss, acc = model.train_on_batch(x[:8], y[:8])
    assert np.isfinite(loss) and 0 <= acc <= 1
    logs = model.test_on_batch(x[:8], y[:8], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}


def test_callbacks_stop_training_and_record():
    x, y = blobs()
    model = classifier()
    stopper = callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    history = model.fit(x, y, epochs=10, callbacks=[stopper], verbose=0)
    assert len(history.history["loss"]) == 2


def test_errors_are_clear():
    model = Sequential([Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.ones((4, 2)), np.ones(4))
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"same number of samples.*x \(4, 2\).*y \(3,\)"):
        model.fit(np.ones((4, 2)), np.ones(3), verbose=0)
    with pytest.raises(TypeError, match="unknown keyword"):
        model.fit(np.ones((4, 2)), np.ones(4), epoch=3)


def test_verbose_two_prints_one_line_per_epoch(capsys):
    x, y = blobs(32)
    classifier().fit(x, y, epochs=2, verbose=2)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert "loss:" in lines[1] and "accuracy:" in lines[1] and "\r" not in lines[1]
