"""Inference fast paths give what the plain (recorded, general) paths give.

Ops that are not recorded for backward (``no_grad``, or no input requires a gradient) skip
what only backward needs; layers check an input shape once; ``predict`` with one batch and
nothing to report to runs the step alone; ``predict``/``evaluate``/``predict_on_batch``
follow the machine's load (BLAS threads) as ``fit`` does.
"""

import numpy as np
import pytest

from dlpath.engine import Function, Tensor, conv, no_grad, pooling, recurrent
from dlpath.engine import threads as blas_threads
from dlpath.engine.memory import scratch
from dlpath.keras import Input, Sequential, layers, models


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _recorded(fn, *arrays):
    """``fn`` on Tensors that require a gradient (the op is recorded)."""
    out = fn(*[Tensor(a, requires_grad=True) for a in arrays])
    assert out.requires_grad
    return out.data


def _unrecorded(fn, *arrays):
    with no_grad():
        out = fn(*[Tensor(a, requires_grad=True) for a in arrays])
    assert not out.requires_grad and out._op is None
    return out.data


class _Probe(Function):
    def forward(self, a):
        self.seen.append(self.recording)
        return a * 2

    def backward(self, grad):
        return grad * 2


def test_forward_is_told_whether_the_op_is_recorded():
    _Probe.seen = []
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    _Probe.apply(x)
    with no_grad():
        _Probe.apply(x)
    _Probe.apply(Tensor(np.ones(3, np.float32)))  # no input requires a gradient
    assert _Probe.seen == [True, False, False]


@pytest.mark.parametrize("pool, strides, padding, shape", [
    (2, None, "valid", (3, 8, 8, 4)), (3, 2, "same", (2, 7, 9, 3)), (1, 1, "valid", (1, 4, 4, 2)),
    ((2, 3), (1, 2), "valid", (2, 6, 7, 5)),
])
def test_unrecorded_max_pool_equals_the_recorded_one(pool, strides, padding, shape):
    x = _rand(shape)
    x[0, 0, :2] = x[0, 0, 0]  # ties
    def fn(t):
        return pooling.max_pool2d(t, pool, strides, padding)
    np.testing.assert_array_equal(_unrecorded(fn, x), _recorded(fn, x))


def test_recorded_max_pool_after_an_unrecorded_one_still_has_its_gradient():
    x = _rand((2, 6, 6, 3))
    with no_grad():
        pooling.max_pool2d(Tensor(x, requires_grad=True), 2)
    t = Tensor(x, requires_grad=True)
    pooling.max_pool2d(t, 2).sum().backward()
    assert t.grad.sum() == pytest.approx(2 * 3 * 3 * 3)  # one 1 per window


@pytest.mark.parametrize("batch, relu, padding, strides", [
    (1, True, "valid", 1), (3, False, "same", 2), (64, True, "valid", 1), (64, False, "same", 1),
])
def test_unrecorded_conv2d_equals_the_recorded_one(batch, relu, padding, strides):
    x, k, b = _rand((batch, 13, 13, 8)), _rand((3, 3, 8, 16), 1), _rand((16,), 2)
    def fn(xt, kt, bt):
        return conv.conv2d(xt, kt, bt, strides=strides, padding=padding, relu=relu)
    ours, plain = _unrecorded(fn, x, k, b), _recorded(fn, x, k, b)
    assert ours.dtype == plain.dtype == np.float32 and ours.shape == plain.shape
    # Blocks of rows may be summed in another order by BLAS than one large product.
    np.testing.assert_allclose(ours, plain, rtol=1e-5, atol=1e-5)
    if batch == 1:  # one block: the same product
        np.testing.assert_array_equal(ours, plain)


def test_unrecorded_conv2d_runs_by_blocks_and_still_equals_the_recorded_one(monkeypatch):
    monkeypatch.setattr(conv, "INFERENCE_BLOCK_BYTES", 1)  # one image per block
    x, k = _rand((5, 6, 6, 2)), _rand((3, 3, 2, 4), 1)
    def fn(xt, kt):
        return conv.conv2d(xt, kt, relu=True)
    np.testing.assert_allclose(_unrecorded(fn, x, k), _recorded(fn, x, k), rtol=1e-5,
                               atol=1e-6)


def test_conv2d_checks_still_fail_after_a_call_cached_its_geometry():
    k = Tensor(_rand((3, 3, 2, 4)))
    with no_grad():
        conv.conv2d(Tensor(_rand((1, 6, 6, 2))), k)
        with pytest.raises(ValueError, match="smaller than the dilated kernel"):
            conv.conv2d(Tensor(_rand((1, 2, 6, 2))), k)
        with pytest.raises(ValueError, match="channels"):
            conv.conv2d(Tensor(_rand((1, 6, 6, 3))), k)
        listed = conv.conv2d(Tensor(_rand((1, 6, 6, 2))), k, padding=[[1, 1], [1, 1]])
    assert listed.shape == (1, 6, 6, 4)  # unhashable arguments are checked each time


@pytest.mark.parametrize("return_sequences, go_backwards, masked", [
    (False, False, False), (True, False, False), (True, True, True), (False, False, True),
])
def test_unrecorded_lstm_equals_the_recorded_one(return_sequences, go_backwards, masked):
    batch, steps, dim, units = 3, 7, 5, 4
    x, w = _rand((batch, steps, dim)), _rand((dim, 4 * units), 1)
    r, b = _rand((units, 4 * units), 2), _rand((4 * units,), 3)
    mask = np.random.default_rng(4).random((batch, steps)) > 0.3 if masked else None
    def fn(xt, wt, rt, bt):
        return recurrent.lstm_sequence(xt, wt, rt, bt, mask=mask, go_backwards=go_backwards,
                                       return_sequences=return_sequences)
    np.testing.assert_array_equal(_unrecorded(fn, x, w, r, b), _recorded(fn, x, w, r, b))


def test_scratch_reuses_one_buffer_and_grows_when_asked_for_more():
    small = scratch((4, 5), np.float32)
    again = scratch((2, 3), np.float32)
    assert np.shares_memory(small, again)
    big = scratch((1000, 100), np.float64)
    assert big.shape == (1000, 100) and big.dtype == np.float64


def test_scratch_keeps_no_buffer_larger_than_its_limit(monkeypatch):
    from dlpath.engine import memory

    monkeypatch.setattr(memory, "SCRATCH_LIMIT", 1000)
    kept = scratch((10, 10), np.float32)  # 400 bytes: from the shared buffer
    huge = scratch((100, 100), np.float32)  # 40000 bytes: an array of its own
    assert huge.shape == (100, 100) and not np.shares_memory(huge, kept)
    assert np.shares_memory(scratch((10, 10), np.float32), kept)


# ---------------------------------------------------------------------------------- layers
def test_a_layer_checks_each_new_input_shape_after_a_good_one():
    dense = layers.Dense(3)
    dense(Tensor(_rand((2, 4))))
    dense(Tensor(_rand((5, 4))))
    with pytest.raises(ValueError, match="dense.*axis -1.*size 4"):
        dense(Tensor(_rand((2, 6))))
    with pytest.raises(ValueError, match="dense"):
        dense(_rand((2, 6)))  # a NumPy array takes the same path


def _cnn():
    return Sequential([Input((12, 12, 1)), layers.Conv2D(4, 3, activation="relu"),
                       layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(3)])


# ---------------------------------------------------------------------------------- models
def test_predict_of_one_batch_equals_the_general_loop_and_the_call():
    model, x = _cnn(), _rand((6, 12, 12, 1))
    fast = model.predict(x, verbose=0)
    general = model.predict(x, verbose=0, callbacks=[models_callback()])
    called = model(x).data
    on_batch = model.predict_on_batch(x)
    np.testing.assert_array_equal(fast, general)
    np.testing.assert_array_equal(fast, on_batch)
    np.testing.assert_allclose(fast, called, rtol=1e-6, atol=1e-6)
    in_batches = model.predict(x, verbose=0, batch_size=4)  # two batches, concatenated
    np.testing.assert_allclose(in_batches, fast, rtol=1e-5, atol=1e-6)
    assert fast.dtype == np.float32 and fast.shape == (6, 3)


def models_callback():
    from dlpath.callbacks import Callback

    return Callback()


def test_predict_of_one_batch_never_returns_a_view_of_the_input():
    model = Sequential([Input((2, 3)), layers.Flatten()])
    x = _rand((4, 2, 3))
    out = model.predict(x, verbose=0)
    np.testing.assert_array_equal(out, x.reshape(4, 6))
    assert not np.shares_memory(out, x)


def test_inference_keeps_float32_end_to_end(monkeypatch):
    dtypes = []
    real = Tensor._from_op.__func__

    def recording(cls, data, op):
        tensor = real(cls, data, op)
        dtypes.append(tensor.dtype)
        return tensor

    monkeypatch.setattr(Tensor, "_from_op", classmethod(recording))
    model = _cnn()
    out = model.predict_on_batch(_rand((2, 12, 12, 1)).astype(np.float64))
    assert out.dtype == np.float32
    assert dtypes and set(dtypes) == {np.dtype(np.float32)}


def test_predict_evaluate_and_predict_on_batch_tick_the_thread_controller(monkeypatch):
    ticks = []
    monkeypatch.setattr(blas_threads, "tick", lambda work=None: ticks.append(work))
    model, x = _cnn(), _rand((10, 12, 12, 1))
    y = np.arange(10) % 3
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.predict(x, verbose=0, batch_size=4)
    assert len(ticks) == 3
    model.predict(x, verbose=0)
    assert len(ticks) == 4
    model.evaluate(x, y, verbose=0, batch_size=5)
    assert len(ticks) == 6
    model.predict_on_batch(x)
    assert len(ticks) == 7


def test_a_saved_and_loaded_model_predicts_the_same_through_the_fast_path(tmp_path):
    model, x = _cnn(), _rand((3, 12, 12, 1))
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
