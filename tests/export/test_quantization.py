"""int8 quantization in dlpath: the affine math, exact kernels, calibration, BN folding,
the quantized model (accuracy near float) and its file."""

from __future__ import annotations

import os

import numpy as np
import pytest

from dlpath import keras
from dlpath.export.quantization import (
    QuantizedModel, asymmetric_from_range, dequantize, load_quantized, quantize,
    quantize_dynamic, quantize_model, symmetric_per_channel,
)
from dlpath.export.quantization import kernels
from dlpath.export.quantization.affine import QuantParams
from dlpath.export.quantization.calibration import MinMaxObserver, PercentileObserver
from dlpath.export.quantization.dynamic_layers import dynamic_matmul
from dlpath.export.quantization.plan import plan_static
from dlpath.export.graph import model_graph


def randomize(model, seed=0, scale=0.3):
    rng = np.random.default_rng(seed)
    for v in model.weights:
        if "variance" in v.name:
            v.data[...] = rng.uniform(0.5, 1.5, v.data.shape)
        else:
            v.data[...] = rng.normal(0.0, scale, v.data.shape)


def cnn(bn=True):
    body = [keras.Input((10, 10, 3)), keras.layers.Conv2D(6, 3, padding="same", name="c1")]
    if bn:
        body += [keras.layers.BatchNormalization(name="bn"), keras.layers.Activation("relu")]
    body += [keras.layers.MaxPooling2D(2), keras.layers.Conv2D(8, 3, activation="relu"),
             keras.layers.Flatten(), keras.layers.Dropout(0.5),
             keras.layers.Dense(5, activation="softmax")]
    model = keras.Sequential(body)
    randomize(model)
    return model


# ---------------------------------------------------------------- the affine math
def test_round_trip_error_is_at_most_half_a_step_and_rounds_half_to_even():
    x = np.random.default_rng(0).normal(0, 2, 10000).astype(np.float32)
    params = asymmetric_from_range(x.min(), x.max())
    error = np.abs(dequantize(quantize(x, params), params) - x)
    assert error.max() <= params.scale / 2 * (1 + 1e-5)
    half = QuantParams(np.float32(1.0), np.asarray(0, np.int8), "int8")
    assert quantize(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 300.0]), half).tolist() == \
        [0, 2, 2, 0, -2, 127]


def test_activation_parameters_hold_zero_exactly():
    params = asymmetric_from_range(0.5, 4.0)  # widened to [0, 4]
    assert params.dtype == "uint8" and int(params.zero_point) == 0
    assert np.isclose(params.scale, 4.0 / 255)
    relu_free = asymmetric_from_range(-1.0, 3.0)
    assert dequantize(quantize(np.zeros(1), relu_free), relu_free)[0] == 0.0
    assert int(relu_free.zero_point) == round(1.0 / float(relu_free.scale))


def test_weights_get_one_symmetric_scale_per_output_channel():
    w = np.random.default_rng(1).normal(0, 1, (3, 3, 4, 5)).astype(np.float32)
    w[..., 2] *= 10
    params = symmetric_per_channel(w, axis=-1)
    assert params.axis == 3 and params.scale.shape == (5,)
    np.testing.assert_allclose(params.scale, np.abs(w).max(axis=(0, 1, 2)) / 127, rtol=1e-6)
    assert np.all(params.zero_point == 0)
    q = quantize(w, params)
    assert q.dtype == np.int8 and np.abs(q).max() == 127 and q.min() >= -127
    error = np.abs(dequantize(q, params) - w)
    assert np.all(error <= params.scale / 2 * (1 + 1e-5))
    # per channel is finer than per tensor for the small channels
    tensor_scale = np.abs(w).max() / 127
    assert params.scale[0] < tensor_scale / 5


def test_percentile_clips_outliers_that_minmax_keeps():
    x = np.random.default_rng(2).normal(0, 1, 200000).astype(np.float32)
    x[:3] = 1000.0
    lo_hi = MinMaxObserver(), PercentileObserver(99.99)
    for observer in lo_hi:
        for part in np.split(x, 4):
            observer.observe(part)
    assert lo_hi[0].range()[1] == 1000.0
    assert 3.0 < lo_hi[1].range()[1] < 6.0 and -6.0 < lo_hi[1].range()[0] < -3.0
    with pytest.raises(ValueError, match="percentile"):
        PercentileObserver(30)


# ---------------------------------------------------------------- exact kernels
def test_the_float_product_picks_a_type_that_is_exact():
    assert kernels.exact_float_dtype(518, 255, 127) == np.float32
    assert kernels.exact_float_dtype(519, 255, 127) == np.float64
    with pytest.raises(ValueError, match="overflow"):
        kernels.exact_float_dtype(10 ** 6, 255, 127)


@pytest.mark.parametrize("k", [300, 2000])  # float32 and float64 paths
def test_int8_dense_accumulator_equals_int32_reference_exactly(k):
    rng = np.random.default_rng(k)
    inputs = keras.Input((k,))
    layer = keras.layers.Dense(9)
    model = keras.Model(inputs, layer(inputs))
    randomize(model, scale=1.0)
    x = rng.normal(0, 3, (33, k)).astype(np.float32)
    q = quantize_model(model, x).layers[layer.name]
    assert q.compute_dtype == (np.float32 if k <= 518 else np.float64)
    acc = q.accumulate(x)
    assert acc.dtype == np.int32
    np.testing.assert_array_equal(acc, q.accumulate(x, reference=True))
    # the float64 reference of the same affine math, element by element
    q_x = quantize(x, q.input_params).astype(np.float64) - int(q.input_params.zero_point)
    expected = q_x @ q.q_kernel.astype(np.float64) + q.q_bias
    np.testing.assert_array_equal(acc, expected.astype(np.int64))


@pytest.mark.parametrize("padding,strides", [("same", 1), ("valid", 2)])
def test_int8_conv_accumulator_equals_reference_exactly(padding, strides):
    rng = np.random.default_rng(3)
    inputs = keras.Input((9, 9, 70))  # K = 630 > 518: the float64 path
    layer = keras.layers.Conv2D(4, 3, strides=strides, padding=padding)
    model = keras.Model(inputs, layer(inputs))
    randomize(model, scale=1.0)
    x = rng.normal(1, 2, (3, 9, 9, 70)).astype(np.float32)
    q = quantize_model(model, x).layers[layer.name]
    acc = q.accumulate(x)
    np.testing.assert_array_equal(acc, q.accumulate(x, reference=True))
    # direct loop over output positions, in float64, padding with real zeros
    q_x = quantize(x, q.input_params).astype(np.float64) - int(q.input_params.zero_point)
    pad = 1 if padding == "same" else 0
    q_x = np.pad(q_x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    w = q.q_kernel.astype(np.float64)
    for i in range(acc.shape[1]):
        for j in range(acc.shape[2]):
            window = q_x[:, i * strides:i * strides + 3, j * strides:j * strides + 3, :]
            expected = np.tensordot(window, w, axes=3) + q.q_bias
            np.testing.assert_array_equal(acc[:, i, j], expected)


def test_dequantized_output_is_the_accumulator_times_sx_sw():
    model = cnn(bn=False)
    x = np.random.default_rng(4).normal(0, 1, (4, 10, 10, 3)).astype(np.float32)
    q = quantize_model(model, x).layers["c1"]
    y = q(x)  # linear activation, no requantization (a ReLU-free path follows)
    scale = np.float32(q.input_params.scale) * q.kernel_params.scale
    expected = q.accumulate(x).astype(np.float32) * scale
    if q.output_params is not None:
        expected = dequantize(quantize(expected, q.output_params), q.output_params)
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_allclose(q.bias_params.scale, scale)


# ---------------------------------------------------------------- the model
def test_batch_norm_is_folded_into_the_conv_before_it():
    model = cnn(bn=True)
    kinds, folds = plan_static(model_graph(model))
    assert folds == {"bn": "c1"} and set(kinds) >= {"c1"}
    x = np.random.default_rng(5).normal(0, 1, (64, 10, 10, 3)).astype(np.float32)
    q = quantize_model(model, x[:32])
    c1 = q.layers["c1"]
    # the folded float kernel, rebuilt from the int8 one, gives the conv + BN output
    inputs = keras.Input((10, 10, 3))
    plain = keras.layers.Conv2D(6, 3, padding="same")
    twin = keras.Model(inputs, plain(inputs))
    plain.kernel.data[...] = c1.dequantized_kernel()
    plain.bias.data[...] = dequantize(c1.q_bias, c1.bias_params)
    from dlpath.engine import Tensor, no_grad

    with no_grad():
        expected = model.get_layer("bn")(model.get_layer("c1")(Tensor(x)), training=False)
    np.testing.assert_allclose(twin.predict(x, verbose=0), expected.data, atol=0.05)
    assert np.abs(twin.predict(x, verbose=0) - expected.data).max() > 0  # it is int8


def test_quantized_cnn_stays_close_to_float():
    model = cnn(bn=True)
    x = np.random.default_rng(6).normal(0, 1, (400, 10, 10, 3)).astype(np.float32)
    float_pred = model.predict(x, verbose=0)
    for method in ("minmax", "percentile"):
        q = quantize_model(model, x[:100], method=method)
        pred = q.predict(x, batch_size=64)
        assert pred.shape == float_pred.shape
        assert np.abs(pred - float_pred).max() < 0.1
        assert np.abs(pred - float_pred).mean() < 0.01
        assert (pred.argmax(1) == float_pred.argmax(1)).mean() >= 0.95


def test_int8_accuracy_of_a_small_trained_model_stays_near_float():
    from dlpath.datasets import digits

    (x, y), (x_test, y_test) = digits.load_data(seed=0)
    x, x_test = x.astype(np.float32) / 16, x_test.astype(np.float32) / 16
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=8, batch_size=64, verbose=0)
    float_acc = (model.predict(x_test, verbose=0).argmax(1) == y_test).mean()
    q = quantize_model(model, x[:200], method="percentile")
    int8_acc = (q.predict(x_test).argmax(1) == y_test).mean()
    assert float_acc > 0.9
    assert int8_acc >= float_acc - 0.01


def test_save_and_load_keeps_the_numbers_and_is_a_quarter_of_the_size(tmp_path):
    inputs = keras.Input((64,))
    hidden = keras.layers.Dense(256, activation="relu")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(10)(keras.layers.BatchNormalization()(
        keras.layers.Dense(64)(hidden))))
    randomize(model)
    x = np.random.default_rng(7).normal(0, 1, (50, 64)).astype(np.float32)
    q = quantize_model(model, x)
    q.save(tmp_path / "m.int8.zip")
    model.save(tmp_path / "m.keras")
    again = QuantizedModel.load(tmp_path / "m.int8.zip")
    np.testing.assert_array_equal(again.predict(x), q.predict(x))
    assert again.folded == q.folded and again.mode == "static"
    ratio = os.path.getsize(tmp_path / "m.int8.zip") / os.path.getsize(tmp_path / "m.keras")
    assert ratio < 0.3
    with pytest.raises(ValueError, match="not a dlpath int8 model"):
        load_quantized(tmp_path / "m.keras")


def test_dynamic_quantization_of_a_text_model(tmp_path):
    model = keras.Sequential([keras.Input((20,), dtype="int64"),
                              keras.layers.Embedding(300, 16), keras.layers.LSTM(12),
                              keras.layers.Dense(1, activation="sigmoid")])
    randomize(model, scale=0.4)
    x = np.random.default_rng(8).integers(0, 300, (40, 20))
    q = quantize_dynamic(model)
    assert {k.kind for k in q.layers.values()} == {"embedding", "dynamic_lstm",
                                                   "dynamic_dense"}
    pred, float_pred = q.predict(x, batch_size=16), model.predict(x, verbose=0)
    assert np.abs(pred - float_pred).max() < 0.02
    q.save(tmp_path / "t.zip")
    # the same batches give the same numbers (ranges are per batch)
    np.testing.assert_array_equal(load_quantized(tmp_path / "t.zip").predict(x, 16), pred)
    with pytest.raises(ValueError, match="token ids"):
        q.predict(np.full((2, 20), 300))


def test_dynamic_matmul_quantizes_the_batch_with_its_own_range():
    rng = np.random.default_rng(9)
    x = rng.normal(0, 1, (5, 30)).astype(np.float32)
    w = rng.normal(0, 1, (30, 4)).astype(np.float32)
    params = symmetric_per_channel(w, axis=1)
    y = dynamic_matmul(x, quantize(w, params), params)
    x_params = asymmetric_from_range(x.min(), x.max())
    expected = dequantize(quantize(x, x_params), x_params) @ dequantize(quantize(w, params),
                                                                          params)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_bad_arguments_are_named():
    model = cnn(bn=False)
    x = np.zeros((2, 10, 10, 3), np.float32)
    with pytest.raises(ValueError, match="method must be one of"):
        quantize_model(model, x, method="mean")
    with pytest.raises(ValueError, match="input 'input.*' expects shape"):
        quantize_model(model, np.zeros((2, 10, 3), np.float32))
    with pytest.raises(TypeError, match="expected a dlpath Model"):
        quantize_model("model", x)
    with pytest.raises(ValueError, match="batch_size"):
        quantize_model(model, x).predict(x, batch_size=0)
