"""Custom training as Keras programs write it: train_step/test_step/predict_step overrides,
compiled_loss/compiled_metrics, compute_loss, user metrics, GANs, VAEs and plain loops."""

import numpy as np
import pytest

import dlpath as tf
from dlpath import keras
from dlpath.keras import layers, ops
from dlpath.random import set_seed


def regression_data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], np.float32) + 0.1).astype(np.float32)
    return x, y


def functional_parts():
    inputs = keras.Input(shape=(4,))
    outputs = layers.Dense(1)(inputs)
    return inputs, outputs


# --------------------------------------------------------------------------- tf.keras 2 style
class Keras2Model(keras.Model):
    """keras.io "Customizing what happens in fit()", tf.keras 2 version."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_tf_keras_2_train_step_with_compiled_loss_and_metrics_learns_and_logs():
    set_seed(0)
    x, y = regression_data()
    model = Keras2Model(*functional_parts())
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=6, batch_size=32, verbose=0)
    assert list(history.history) == ["loss", "mae"]
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert all(isinstance(v, float) for v in losses)
    # compiled_loss fed the "loss" tracker: its epoch mean is the mean of the batch losses.
    assert model.metrics[0].name == "loss" and model.metrics[0].result() == losses[-1]
    # The default test_step evaluates with the same compiled loss.
    loss, mae = model.evaluate(x, y, verbose=0)
    mse = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
    assert loss == pytest.approx(mse, rel=1e-4) and mae > 0


def test_compiled_loss_adds_regularization_losses_to_the_tracked_loss():
    x, y = regression_data(32)
    inputs = keras.Input(shape=(4,))
    outputs = layers.Dense(1, kernel_regularizer=keras.regularizers.l2(10.0))(inputs)
    model = Keras2Model(inputs, outputs)
    model.compile("sgd", "mse")
    y_pred = model(x)
    plain = float(model.compiled_loss(y, y_pred).data)
    with_penalty = float(model.compiled_loss(y, y_pred, regularization_losses=model.losses).data)
    kernel = model.layers[-1].kernel.data
    assert with_penalty == pytest.approx(plain + 10.0 * float(np.sum(kernel ** 2)), rel=1e-5)


# --------------------------------------------------------------------------- Keras 3 style
class Keras3Model(keras.Model):
    """keras.io "Customizing what happens in fit()", Keras 3 version (compute_loss and a
    loop over self.metrics), with the sample-weight variant."""

    seen_lengths = []

    def train_step(self, data):
        self.seen_lengths.append(len(data))
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            sample_weight = None
            x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_keras_3_train_step_updates_compiled_metrics_from_the_first_batch():
    set_seed(0)
    x, y = regression_data()
    Keras3Model.seen_lengths = []
    model = Keras3Model(*functional_parts())
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    assert [m.name for m in model.metrics] == ["loss", "compile_metrics"]
    history = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    assert list(history.history) == ["loss", "mae"]
    assert Keras3Model.seen_lengths == [2] * 6
    assert model.metrics_names == ["loss", "mae"]
    mae = float(np.mean(np.abs(model.predict(x, verbose=0) - y)))
    assert history.history["mae"][-1] == pytest.approx(mae, rel=0.3)


def test_keras_3_train_step_receives_sample_weights_only_when_given():
    x, y = regression_data(64)
    weights = np.linspace(0.0, 2.0, 64).astype(np.float32)
    Keras3Model.seen_lengths = []
    model = Keras3Model(*functional_parts())
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(x, y, sample_weight=weights, epochs=1, batch_size=32, verbose=0)
    assert Keras3Model.seen_lengths == [3, 3]


def test_test_step_override_is_what_evaluate_and_validation_run():
    x, y = regression_data(64)
    model = Keras3Model(*functional_parts())
    model.compile(loss="mse", metrics=["mae"])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    prediction = model.predict(x, verbose=0)
    assert logs["loss"] == pytest.approx(float(np.mean((prediction - y) ** 2)), rel=1e-4)
    assert logs["mae"] == pytest.approx(float(np.mean(np.abs(prediction - y))), rel=1e-4)
    history = model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}


class TrackerModel(keras.Model):
    """The lower-level variant: no compiled loss, the user's own metrics."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def test_user_metrics_property_is_reset_each_epoch_and_logged():
    set_seed(0)
    x, y = regression_data()
    model = TrackerModel(*functional_parts())
    model.compile(optimizer=keras.optimizers.Adam(0.05))
    history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
    assert list(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    # Reset at each epoch: the tracker counts one epoch's samples, not four.
    assert float(model.loss_tracker.variables[1].value) == len(x)


class PredictModel(keras.Model):
    def predict_step(self, data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self(x, training=False) * 0.0 + 7.0


def test_predict_step_override_is_what_predict_runs():
    x, _ = regression_data(40)
    model = PredictModel(*functional_parts())
    assert np.all(model.predict(x, batch_size=16, verbose=0) == 7.0)
    assert np.all(model.predict_on_batch(x) == 7.0)


def test_a_step_returning_untracked_values_logs_the_last_batch_as_floats():
    class Untracked(keras.Model):
        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            return {"spread": ops.mean(ops.square(y_pred - y)), "count": len(x)}

    x, y = regression_data(40)
    model = Untracked(*functional_parts())
    model.compile("sgd")
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert history.history["count"] == [8.0]  # the last batch: 40 = 16 + 16 + 8
    assert isinstance(history.history["spread"][0], float)


def test_pack_and_unpack_follow_keras():
    x, y, w = np.zeros((2, 3)), np.zeros(2), np.ones(2)
    pack, unpack = keras.utils.pack_x_y_sample_weight, keras.utils.unpack_x_y_sample_weight
    assert pack(x) is x
    assert pack([x, x]) == ([x, x],)
    assert pack(x, y) == (x, y) and pack(x, y, w) == (x, y, w)
    assert unpack(x) == (x, None, None) and unpack((x,)) == (x, None, None)
    assert unpack([x, y]) == (x, y, None) and unpack((x, y, w)) == (x, y, w)
    with pytest.raises(ValueError, match="got a tuple of 4 items"):
        unpack((x, y, w, w))


def test_train_on_batch_can_accumulate_metrics_across_calls():
    x, y = regression_data(32)
    inputs, outputs = functional_parts()
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse", ["mae"])
    model.train_on_batch(x[:16], y[:16])
    model.train_on_batch(x[16:], y[16:], reset_metrics=False)
    assert float(model.metrics[0].variables[1].value) == 32
    model.train_on_batch(x[16:], y[16:])
    assert float(model.metrics[0].variables[1].value) == 16


# --------------------------------------------------------------------------- a GAN
class GAN(keras.Model):
    """keras.io "Customizing what happens in fit()": a GAN with two optimizers."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        batch_size = tf.shape(real_images)[0]
        random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
        generated_images = self.generator(random_latent_vectors)
        combined_images = tf.concat([generated_images, real_images], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        labels += 0.05 * tf.random.uniform(tf.shape(labels))  # labels up to 1.05: allowed
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
        misleading_labels = tf.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(random_latent_vectors))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_gan_trains_each_network_with_its_own_optimizer():
    set_seed(0)
    latent_dim = 3
    discriminator = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, "relu"),
                                      layers.Dense(1)])
    generator = keras.Sequential([keras.Input(shape=(latent_dim,)), layers.Dense(6)])
    gan = GAN(discriminator, generator, latent_dim)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.003),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.003),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    real = np.random.default_rng(0).standard_normal((64, 6)).astype(np.float32) + 2.0
    before = [w.copy() for w in generator.get_weights()]
    history = gan.fit(real, batch_size=16, epochs=2, verbose=0)
    assert list(history.history) == ["d_loss", "g_loss"]
    assert all(np.isfinite(history.history["d_loss"]))
    assert gan.d_optimizer.iterations == 8 and gan.g_optimizer.iterations == 8
    assert not any(np.allclose(a, b) for a, b in zip(before, generator.get_weights()))
    # Each optimizer holds state only for its own network's variables.
    assert len(gan.d_optimizer._variables) == len(discriminator.trainable_weights)
    assert all(w.grad is None for w in gan.trainable_weights)  # the tapes left no .grad


# --------------------------------------------------------------------------- VAEs
class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = tf.random.normal(shape=tf.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def vae_parts(features=8, latent=2):
    encoder_inputs = keras.Input(shape=(features,))
    h = layers.Dense(8, activation="relu")(encoder_inputs)
    z_mean = layers.Dense(latent)(h)
    z_log_var = layers.Dense(latent)(h)
    z = Sampling()([z_mean, z_log_var])
    encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z])
    latent_inputs = keras.Input(shape=(latent,))
    decoder = keras.Model(latent_inputs,
                          layers.Dense(features, activation="sigmoid")(latent_inputs))
    return encoder, decoder


def binary_images(n=64, features=8):
    return (np.random.default_rng(1).random((n, features)) > 0.5).astype(np.float32)


class VAE(keras.Model):
    """keras.io "Variational AutoEncoder": a train_step and no call()."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.kl_loss_tracker]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(
                keras.losses.binary_crossentropy(data, reconstruction)) * data.shape[1]
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {"total_loss": self.total_loss_tracker.result(),
                "kl_loss": self.kl_loss_tracker.result()}


def test_vae_with_its_own_train_step_lowers_its_loss():
    set_seed(0)
    vae = VAE(*vae_parts())
    vae.compile(optimizer=keras.optimizers.Adam(0.01))
    history = vae.fit(binary_images(), epochs=5, batch_size=16, verbose=0)
    assert list(history.history) == ["total_loss", "kl_loss"]
    assert history.history["total_loss"][-1] < history.history["total_loss"][0]


class AddLossVAE(keras.Model):
    """The tf.keras 2 form: call() adds the KL term with add_loss, fit(x, x) adds it in."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def call(self, inputs, training=False):
        z_mean, z_log_var, z = self.encoder(inputs)
        kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),
                                     axis=1))
        self.add_loss(kl)
        return self.decoder(z)


def test_add_loss_terms_join_the_compiled_loss():
    set_seed(0)
    x = binary_images()
    vae = AddLossVAE(*vae_parts())
    vae.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
    reconstruction = vae(x)
    assert len(vae.losses) == 1
    kl = float(vae.losses[0].data)
    total = float(vae.compute_loss(x, x, reconstruction).data)
    bce = float(keras.losses.BinaryCrossentropy()(x, reconstruction).data)
    assert kl > 0 and total == pytest.approx(bce + kl, rel=1e-5)
    history = vae.fit(x, x, epochs=4, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    with pytest.raises(TypeError, match="add_loss: expected a scalar Tensor"):
        vae.add_loss("kl")
    vae.add_loss(tf.constant([1.0, 2.0]))  # a tensor with axes is summed
    assert float(vae.losses[-1].data) == 3.0


# --------------------------------------------------------------------------- a plain loop
def test_plain_loop_with_gradient_tape_and_metric_objects():
    set_seed(0)
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 120)
    x = (rng.standard_normal((120, 2)) * 0.4 + np.eye(3)[labels][:, :2] * 3).astype(
        np.float32)
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(16, "relu"),
                              layers.Dense(3)])
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    accuracies = []
    for epoch in range(8):
        for start in range(0, 120, 30):
            x_batch, y_batch = x[start:start + 30], labels[start:start + 30]
            with tf.GradientTape() as tape:
                logits = model(x_batch, training=True)
                loss_value = loss_fn(y_batch, logits)
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            train_acc_metric.update_state(y_batch, logits)
        accuracies.append(float(train_acc_metric.result()))
        if epoch % 2:
            train_acc_metric.reset_state()
        else:
            train_acc_metric.reset_states()
        assert train_acc_metric.result() == 0.0
    assert accuracies[-1] > 0.9 and optimizer.iterations == 32


def test_apply_gradients_accepts_tf_keras_2_keywords_and_refuses_others():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    optimizer = keras.optimizers.SGD(learning_rate=1.0)
    x = np.ones((4, 2), np.float32)
    with tf.GradientTape() as tape:
        loss = ops.mean(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    bias_before = model.layers[0].bias.data.copy()
    step = optimizer.apply_gradients(zip(grads, model.trainable_variables), name="step",
                                     experimental_aggregate_gradients=False)
    assert step == 1
    np.testing.assert_allclose(model.layers[0].bias.data, bias_before - 1.0)
    with pytest.raises(TypeError, match="apply_gradients: unexpected keyword.*'clip'"):
        optimizer.apply_gradients(zip(grads, model.trainable_variables), clip=True)
