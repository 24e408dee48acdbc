"""A training loop written from scratch with GradientTape and tf.data (keras.io "Writing
a training loop from scratch").

No ``fit``: batches come from ``tf.data.Dataset.from_tensor_slices(...).shuffle().batch()``,
gradients from ``tape.gradient``, updates from ``optimizer.apply_gradients``; metrics are
updated, read and reset by hand each epoch, and validation runs after each epoch.
"""

import os
import time

import numpy as np

import dlpath as tf
from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 3))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
batch_size = 64

# 1. Model, optimizer, loss and metrics.
inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
optimizer = keras.optimizers.SGD(learning_rate=1e-2, momentum=0.9)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()

# 2. Data pipelines.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = np.reshape(x_train, (-1, 784)).astype("float32") / 255
x_test = np.reshape(x_test, (-1, 784)).astype("float32") / 255
x_val, y_val = x_train[-len(x_train) // 6:], y_train[-len(x_train) // 6:]
x_train, y_train = x_train[:-len(x_train) // 6], y_train[:-len(x_train) // 6]
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size)
val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(batch_size)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


@tf.function
def test_step(x, y, metric):
    metric.update_state(y, model(x, training=False))


# 3. The loop.
for epoch in range(EPOCHS):
    print(f"Start of epoch {epoch}")
    start_time = time.time()
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        loss_value = train_step(x_batch_train, y_batch_train)
        if step % 200 == 0:
            print(f"Training loss (for one batch) at step {step}: {float(loss_value):.4f}")
    train_acc = train_acc_metric.result()
    print(f"Training acc over epoch: {float(train_acc):.4f}")
    train_acc_metric.reset_state()
    for x_batch_val, y_batch_val in val_dataset:
        test_step(x_batch_val, y_batch_val, val_acc_metric)
    print(f"Validation acc: {float(val_acc_metric.result()):.4f}")
    val_acc_metric.reset_state()
    print(f"Time taken: {time.time() - start_time:.2f}s")

# 4. Test.
test_acc_metric = keras.metrics.SparseCategoricalAccuracy()
for x_batch, y_batch in test_dataset:
    test_step(x_batch, y_batch, test_acc_metric)
print(f"test accuracy: {float(test_acc_metric.result()):.4f}")
