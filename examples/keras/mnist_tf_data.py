"""MNIST through a tf.data input pipeline (the TensorFlow "Training a neural network on
MNIST with Keras" tutorial pattern).

``from_tensor_slices`` -> ``map`` (normalize) -> ``cache`` -> ``shuffle`` -> ``batch`` ->
``prefetch(tf.data.AUTOTUNE)``, with the dataset passed straight to ``fit`` and
``evaluate``. The tutorial reports about 0.97-0.98 test accuracy after 6 epochs.
"""

import os

import dlpath as tf

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 6))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))

# 1. Data.
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]


def normalize_img(image, label):
    """uint8 -> float32 in [0, 1]."""
    return tf.cast(image, tf.float32) / 255.0, label


ds_train = tf.data.Dataset.from_tensor_slices((x_train, y_train))
ds_train = ds_train.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
ds_train = ds_train.cache()
ds_train = ds_train.shuffle(len(x_train))
ds_train = ds_train.batch(128)
ds_train = ds_train.prefetch(tf.data.AUTOTUNE)

ds_test = tf.data.Dataset.from_tensor_slices((x_test, y_test))
ds_test = ds_test.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
ds_test = ds_test.batch(128).cache().prefetch(tf.data.AUTOTUNE)

# 2. Model.
model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10),
])
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.001),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
)

# 3. Train and evaluate on the datasets.
model.fit(ds_train, epochs=EPOCHS, validation_data=ds_test, verbose=2)
loss, accuracy = model.evaluate(ds_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
