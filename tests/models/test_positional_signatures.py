"""tf.keras 2's documented positional orders: each list binds to the same parameters here,
and values passed by position land where tf.keras 2 puts them."""

import inspect
import warnings

import numpy as np
import pytest

from dlpath import keras
from dlpath.keras import layers, optimizers
from dlpath.optimizers import optimizer as optimizer_module

# The positional parameters as tf.keras 2.15's reference documents them (in order).
TF_KERAS_2 = {
    "Model.compile": ["optimizer", "loss", "metrics", "loss_weights", "weighted_metrics",
                      "run_eagerly", "steps_per_execution", "jit_compile"],
    "Model.fit": ["x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split",
                  "validation_data", "shuffle", "class_weight", "sample_weight",
                  "initial_epoch", "steps_per_epoch", "validation_steps",
                  "validation_batch_size", "validation_freq", "max_queue_size", "workers",
                  "use_multiprocessing"],
    "Model.evaluate": ["x", "y", "batch_size", "verbose", "sample_weight", "steps",
                       "callbacks", "max_queue_size", "workers", "use_multiprocessing",
                       "return_dict"],
    "Model.predict": ["x", "batch_size", "verbose", "steps", "callbacks", "max_queue_size",
                      "workers", "use_multiprocessing"],
    "Model.train_on_batch": ["x", "y", "sample_weight", "class_weight", "reset_metrics",
                             "return_dict"],
    "Model.test_on_batch": ["x", "y", "sample_weight", "reset_metrics", "return_dict"],
    "Model.predict_on_batch": ["x"],
    "Dense": ["units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
              "kernel_regularizer", "bias_regularizer", "activity_regularizer"],
    "Conv2D": ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
               "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
               "kernel_regularizer", "bias_regularizer", "activity_regularizer"],
    "Conv1D": ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
               "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
               "kernel_regularizer", "bias_regularizer", "activity_regularizer"],
    "Conv2DTranspose": ["filters", "kernel_size", "strides", "padding", "output_padding",
                        "data_format", "dilation_rate", "activation", "use_bias",
                        "kernel_initializer", "bias_initializer", "kernel_regularizer",
                        "bias_regularizer", "activity_regularizer"],
    # tf.keras 2 and Keras 3 agree up to recurrent_dropout; after it Keras 3 (and dlpath)
    # have seed where tf.keras 2 has return_sequences, which programs pass by keyword.
    "LSTM": ["units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
             "recurrent_initializer", "bias_initializer", "unit_forget_bias",
             "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
             "activity_regularizer", "kernel_constraint", "recurrent_constraint",
             "bias_constraint", "dropout", "recurrent_dropout"],
    "GRU": ["units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
            "recurrent_initializer", "bias_initializer", "kernel_regularizer",
            "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
            "recurrent_dropout"],
    "SimpleRNN": ["units", "activation", "use_bias", "kernel_initializer",
                  "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                  "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                  "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                  "recurrent_dropout"],
    "Embedding": ["input_dim", "output_dim", "embeddings_initializer",
                  "embeddings_regularizer", "activity_regularizer", "embeddings_constraint",
                  "mask_zero", "input_length"],
    "SGD": ["learning_rate", "momentum", "nesterov", "weight_decay", "clipnorm", "clipvalue",
            "global_clipnorm"],
    "Adam": ["learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay",
             "clipnorm", "clipvalue", "global_clipnorm"],
    "AdamW": ["learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad",
              "clipnorm", "clipvalue", "global_clipnorm"],
    "RMSprop": ["learning_rate", "rho", "momentum", "epsilon", "centered", "weight_decay",
                "clipnorm", "clipvalue", "global_clipnorm"],
    "Adagrad": ["learning_rate", "initial_accumulator_value", "epsilon", "weight_decay",
                "clipnorm", "clipvalue", "global_clipnorm"],
    "Adadelta": ["learning_rate", "rho", "epsilon", "weight_decay", "clipnorm", "clipvalue",
                 "global_clipnorm"],
}


def _callable(name):
    if name.startswith("Model."):
        return getattr(keras.Model, name.split(".")[1]), True
    owner = layers if hasattr(layers, name) else optimizers
    return getattr(owner, name).__init__, True


@pytest.mark.parametrize("name", sorted(TF_KERAS_2))
def test_documented_positional_list_binds_to_the_same_parameters(name):
    function, has_self = _callable(name)
    positional = TF_KERAS_2[name]
    bound = inspect.signature(function).bind(*(["self"] if has_self else []), *positional)
    arguments = dict(bound.arguments)
    arguments.pop("self", None)
    assert arguments == {p: p for p in positional}


# --------------------------------------------------------------------------- values land
def test_compile_takes_metrics_third_as_tf_keras_2_does():
    x = np.random.default_rng(0).standard_normal((40, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(2, "softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    assert model._compile_config["metrics"] == ["accuracy"]
    assert model._compile_config["loss_weights"] is None
    history = model.fit(x, y, 8, 2, 0)  # x, y, batch_size, epochs, verbose
    assert list(history.history) == ["loss", "accuracy"] and len(history.epoch) == 2


def two_outputs():
    inputs = keras.Input(shape=(3,))
    return keras.Model(inputs, [layers.Dense(1, name="a")(inputs),
                                layers.Dense(1, name="b")(inputs)])


def test_compile_reads_numbers_in_third_place_as_keras_3_loss_weights():
    model = two_outputs()
    model.compile("sgd", ["mse", "mse"], [1.0, 0.5], ["mae"])  # Keras 3's order
    assert model._compile_config["loss_weights"] == [1.0, 0.5]
    assert model._compile_config["metrics"] == ["mae"]
    model.compile("sgd", "mse", {"a": 2.0, "b": 1.0})
    assert model._compile_config["loss_weights"] == {"a": 2.0, "b": 1.0}
    assert model._compile_config["metrics"] is None
    model.compile("sgd", "mse", {"a": ["mae"]}, [1.0, 3.0])  # tf.keras 2's order
    assert model._compile_config["metrics"] == {"a": ["mae"]}
    assert model._compile_config["loss_weights"] == [1.0, 3.0]
    x = np.ones((8, 3), np.float32)
    y = [np.zeros((8, 1), np.float32), np.ones((8, 1), np.float32)]
    model.compile("sgd", "mse", None, [0.0, 1.0])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["b_loss"], rel=1e-6)
    with pytest.raises(ValueError, match="both hold numbers"):
        model.compile("sgd", "mse", [1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="loss_weights=.*must be numbers"):
        model.compile("sgd", "mse", ["mae"], ["mse"])


def test_fit_evaluate_predict_take_tf_keras_2_positional_arguments():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((32, 3)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])
    model.compile("sgd", "mse", ["mae"])
    # x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data,
    # shuffle, class_weight, sample_weight, initial_epoch, steps_per_epoch, validation_steps,
    # validation_batch_size, validation_freq, max_queue_size, workers, use_multiprocessing
    history = model.fit(x, y, 8, 3, 0, None, 0.25, None, False, None, None, 1, None, None,
                        None, 1, 10, 1, False)
    assert history.epoch == [1, 2] and "val_mae" in history.history
    logs = model.evaluate(x, y, 8, 0, None, None, None, 10, 1, False, True)
    assert set(logs) == {"loss", "mae"}
    assert model.predict(x, 8, 0, None, None, 10, 1, False).shape == (32, 1)
    first = model.train_on_batch(x, y, None, None, True, True)
    assert set(first) == {"loss", "mae"}
    assert set(model.test_on_batch(x, y, None, True, True)) == {"loss", "mae"}
    with pytest.raises(ValueError, match="fit: workers"):
        model.fit(x, y, workers=-1, verbose=0)
    with pytest.raises(TypeError, match="evaluate: use_multiprocessing"):
        model.evaluate(x, y, 8, 0, None, None, None, 10, 1, "yes")


def test_layers_take_values_in_tf_keras_2_positions():
    dense = layers.Dense(3, "relu", False, "ones", "zeros", "l2", None, "l1")
    config = dense.get_config()
    assert (config["units"], config["activation"], config["use_bias"]) == (3, "relu", False)
    assert type(dense.kernel_initializer).__name__ == "Ones"
    assert dense.kernel_regularizer is not None and dense.activity_regularizer is not None

    conv = layers.Conv2D(4, 3, 2, "same", None, 1, 1, "relu", False, "ones")
    assert (conv.filters, conv.kernel_size, conv.strides, conv.padding) == (
        4, (3, 3), (2, 2), "same")
    assert conv.get_config()["activation"] == "relu" and conv.use_bias is False
    assert type(conv.kernel_initializer).__name__ == "Ones"
    conv1d = layers.Conv1D(4, 5, 1, "causal", None, 2, 1, "tanh")
    assert conv1d.padding == "causal" and conv1d.dilation_rate == (2,)
    assert conv1d.get_config()["activation"] == "tanh"
    transpose = layers.Conv2DTranspose(2, 3, 2, "same", None, None, 1, "sigmoid", False)
    assert transpose.get_config()["activation"] == "sigmoid" and not transpose.use_bias

    lstm = layers.LSTM(5, "relu", "tanh", False, "ones", "zeros", "zeros", False)
    config = lstm.get_config()
    assert (config["units"], config["activation"], config["recurrent_activation"],
            config["use_bias"], config["unit_forget_bias"]) == (5, "relu", "tanh", False,
                                                               False)
    lstm = layers.LSTM(5, "tanh", "sigmoid", True, "glorot_uniform", "orthogonal", "zeros",
                       True, None, None, None, None, None, None, None, 0.25, 0.5)
    assert (lstm.get_config()["dropout"], lstm.get_config()["recurrent_dropout"]) == (
        0.25, 0.5)

    embedding = layers.Embedding(10, 4, "ones", None, "l2", None, True)
    assert embedding.mask_zero is True and embedding.activity_regularizer is not None
    assert type(embedding.embeddings_initializer).__name__ == "Ones"
    constrained = layers.Embedding(10, 4, "uniform", None, None, "non_neg")
    assert type(constrained.embeddings_constraint).__name__ == "NonNeg"


def test_embedding_activity_regularizer_adds_a_loss():
    embedding = layers.Embedding(5, 2, "ones", None, keras.regularizers.l1(0.5))
    embedding(np.array([[1, 2, 3]]))
    assert len(embedding.losses) == 1
    assert float(embedding.losses[0].data) == pytest.approx(0.5 * 6)
    again = layers.Embedding.from_config(embedding.get_config())
    assert again.activity_regularizer is not None


def test_optimizers_take_values_in_tf_keras_2_positions():
    sgd = optimizers.SGD(0.1, 0.9, True)
    assert (sgd.learning_rate, sgd.momentum, sgd.nesterov) == (0.1, 0.9, True)
    adam = optimizers.Adam(0.01, 0.8, 0.99, 1e-5, True)
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (
        0.01, 0.8, 0.99, 1e-5, True)
    rms = optimizers.RMSprop(0.01, 0.8, 0.5, 1e-6, True)
    assert (rms.rho, rms.momentum, rms.epsilon, rms.centered) == (0.8, 0.5, 1e-6, True)
    adagrad = optimizers.Adagrad(0.02, 0.3, 1e-6)
    assert (adagrad.initial_accumulator_value, adagrad.epsilon) == (0.3, 1e-6)
    adadelta = optimizers.Adadelta(1.0, 0.9, 1e-6)
    assert (adadelta.learning_rate, adadelta.rho, adadelta.epsilon) == (1.0, 0.9, 1e-6)
    adamw = optimizers.AdamW(0.01, 0.1, 0.8)
    assert (adamw.weight_decay, adamw.beta_1) == (0.1, 0.8)


def test_tf_keras_2_lr_keyword_is_honoured_with_a_warning():
    optimizer_module._LEGACY_WARNED.discard("lr")
    with pytest.warns(UserWarning, match=r"lr=\.\.\.\) is the tf.keras 2 spelling"):
        adam = optimizers.Adam(lr=0.05)
    assert adam.learning_rate == 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert optimizers.SGD(lr=0.2, momentum=0.5).learning_rate == 0.2
        with pytest.raises(ValueError, match="got both lr="):
            optimizers.RMSprop(learning_rate=0.1, lr=0.2)
