"""fit / evaluate / predict on a Dataset, a PyDataset (Sequence) and a generator equal arrays."""

import time
import warnings

import numpy as np
import pytest

from dlpath.data import Dataset, PyDataset, Sequence
from dlpath.keras import Sequential, callbacks
from dlpath.keras.layers import Dense, Input
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.random import set_seed


def data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5], np.float32))[:, None]
    return x, y


def model():
    set_seed(1)
    net = Sequential([Input((3,)), Dense(4, activation="tanh"), Dense(1)])
    net.compile("sgd", "mse", metrics=["mae"])
    return net


class Batches(PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0
        self.epochs_begun = 0

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]

    def on_epoch_begin(self):
        self.epochs_begun += 1

    def on_epoch_end(self):
        self.epochs_ended += 1


def reference(x, y, epochs=3):
    net = model()
    history = net.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0)
    return net, history.history


def test_fit_evaluate_predict_on_a_dataset_equal_arrays():
    x, y = data()
    net_a, hist_a = reference(x, y)
    net_d = model()
    ds = Dataset.from_tensor_slices((x, y)).batch(8)
    hist_d = net_d.fit(ds, epochs=3, verbose=0).history
    np.testing.assert_allclose(hist_d["loss"], hist_a["loss"], rtol=1e-5)
    np.testing.assert_allclose(net_d.evaluate(ds, verbose=0), net_a.evaluate(x, y, verbose=0),
                               rtol=1e-5)
    np.testing.assert_allclose(net_d.predict(Dataset.from_tensor_slices(x).batch(5),
                                             verbose=0),
                               net_a.predict(x, verbose=0), rtol=1e-5)


def test_a_repeated_dataset_needs_steps_per_epoch_and_honours_it():
    x, y = data()
    ds = Dataset.from_tensor_slices((x, y)).batch(8).repeat()
    with pytest.raises(InvalidArgumentError, match="steps_per_epoch"):
        model().fit(ds, epochs=1, verbose=0)
    with pytest.raises(InvalidArgumentError, match="steps=N"):
        model().evaluate(ds, verbose=0)
    seen = []
    net = model()
    net.fit(ds.map(lambda a, b: (a, b)), epochs=2, steps_per_epoch=4, verbose=0,
            callbacks=[_StepCounter(seen)])
    assert seen == [4, 4]
    # epochs continue one iterator: 2 epochs of 3 steps equal 6 batches of arrays
    net_a, hist_a = reference(x, y, epochs=1)
    net_b = model()
    net_b.fit(ds, epochs=2, steps_per_epoch=3, verbose=0)
    np.testing.assert_allclose(net_b.predict(x, verbose=0), net_a.predict(x, verbose=0),
                               rtol=1e-5)


def test_steps_per_epoch_beyond_the_data_warns():
    x, y = data(16)
    ds = Dataset.from_tensor_slices((x, y)).batch(8)
    with pytest.warns(UserWarning, match="ran out of data"):
        model().fit(ds, epochs=1, steps_per_epoch=5, verbose=0)


class _StepCounter(callbacks.Callback):
    def __init__(self, seen):
        super().__init__()
        self.seen, self.count = seen, 0

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(self.count)
        self.count = 0


def test_validation_data_as_dataset_or_sequence():
    x, y = data()
    val_x, val_y = data(16, seed=1)
    net_a = model()
    hist_a = net_a.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                       validation_data=(val_x, val_y)).history
    for validation in (Dataset.from_tensor_slices((val_x, val_y)).batch(4),
                       Batches(val_x, val_y, 4)):
        hist = model().fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                           validation_data=validation).history
        np.testing.assert_allclose(hist["val_loss"], hist_a["val_loss"], rtol=1e-5)


def test_sequence_equals_arrays_and_calls_on_epoch_end():
    x, y = data()
    _, hist_a = reference(x, y)
    seq = Batches(x, y, 8)
    hist = model().fit(seq, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(hist["loss"], hist_a["loss"], rtol=1e-5)
    assert seq.epochs_ended == 3 and seq.epochs_begun == 3
    assert Sequence is PyDataset


def test_sequence_shuffle_changes_the_batch_order_only():
    x, y = data()
    seen = []

    class Recording(Batches):
        def __getitem__(self, index):
            seen.append(index)
            return super().__getitem__(index)

    model().fit(Recording(x, y, 8), epochs=2, shuffle=True, verbose=0)
    assert sorted(seen[:6]) == list(range(6)) and sorted(seen[6:]) == list(range(6))
    assert seen != list(range(6)) * 2


def test_sequence_workers_read_ahead_in_order_and_faster_for_waiting_loads():
    x, y = data(64)

    class Slow(Batches):
        def __getitem__(self, index):
            time.sleep(0.02)
            return super().__getitem__(index)

    timings, predictions = {}, {}
    for workers in (1, 4):
        seq = Slow(x, y, 8, workers=workers, max_queue_size=8)
        net = model()
        start = time.perf_counter()
        predictions[workers] = net.predict(seq, verbose=0)
        timings[workers] = time.perf_counter() - start
    np.testing.assert_allclose(predictions[4], predictions[1])
    assert timings[4] < timings[1]


def test_use_multiprocessing_warns_once_and_bad_workers_are_refused():
    x, y = data(16)
    with pytest.raises(ValueError, match="workers must be a positive int"):
        Batches(x, y, 8, workers=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model().fit(Batches(x, y, 8, use_multiprocessing=True, workers=2), verbose=0)
        model().fit(Batches(x, y, 8, use_multiprocessing=True, workers=2), verbose=0)
    assert sum("use_multiprocessing" in str(w.message) for w in caught) <= 1


def test_tf_keras_2_sequence_without_super_init_and_without_length():
    x, y = data(16)

    class Plain(Sequence):
        def __init__(self):
            self.x, self.y = x, y

        def __len__(self):
            return 2

        def __getitem__(self, index):
            return self.x[index * 8:(index + 1) * 8], self.y[index * 8:(index + 1) * 8]

    assert model().evaluate(Plain(), verbose=0)[0] > 0

    class Endless(PyDataset):
        def __getitem__(self, index):
            return x[:8], y[:8]

    with pytest.raises(InvalidArgumentError, match="num_batches"):
        model().fit(Endless(), verbose=0)
    assert len(model().fit(Endless(), steps_per_epoch=2, epochs=2, verbose=0)
               .history["loss"]) == 2


def test_generator_equals_arrays():
    x, y = data()
    _, hist_a = reference(x, y, epochs=1)

    def batches():
        for i in range(0, len(x), 8):
            yield x[i:i + 8], y[i:i + 8]

    hist = model().fit(batches(), epochs=1, verbose=0).history
    np.testing.assert_allclose(hist["loss"], hist_a["loss"], rtol=1e-5)


def test_dataset_with_y_or_sample_weight_is_refused():
    x, y = data(16)
    ds = Dataset.from_tensor_slices(x).batch(8)
    with pytest.raises(ValueError, match="y must not be given"):
        model().fit(ds, y, verbose=0)
    with pytest.raises(ValueError, match="sample_weight must not be given"):
        model().fit(ds, sample_weight=np.ones(16), verbose=0)


def test_dataset_of_x_y_sample_weight_batches():
    x, y = data(16)
    weights = np.zeros(16, np.float32)
    ds = Dataset.from_tensor_slices((x, y, weights)).batch(8)
    assert model().evaluate(ds, verbose=0)[0] == pytest.approx(0.0)
