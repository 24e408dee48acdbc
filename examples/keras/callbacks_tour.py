"""The standard callbacks together on a CIFAR-10 convnet: TensorBoard, ModelCheckpoint,
EarlyStopping, ReduceLROnPlateau, CSVLogger, LearningRateScheduler and a LambdaCallback.

The TensorBoard log folder gets event files (scalars per epoch), the checkpoint keeps
the best model by validation accuracy as a ``.keras`` file (reloaded at the end), the
CSV log has one row per epoch, and the learning rate is warmed up by the scheduler and
cut by ReduceLROnPlateau when the validation loss stalls.
"""

import csv
import os
import tempfile

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 20))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
workdir = tempfile.mkdtemp()

# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255

# 2. Model.
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])


# 3. Callbacks.
def warmup(epoch, lr):
    return lr * 0.5 if epoch == 0 else min(lr * 2.0, 1e-3)


log_dir = os.path.join(workdir, "logs")
best_path = os.path.join(workdir, "best.keras")
csv_path = os.path.join(workdir, "training.csv")
callbacks = [
    keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1),
    keras.callbacks.ModelCheckpoint(best_path, monitor="val_accuracy", save_best_only=True),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=4),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=2,
                                      min_lr=1e-5),
    keras.callbacks.CSVLogger(csv_path),
    keras.callbacks.LearningRateScheduler(warmup),
    keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: print(f"epoch {epoch}: lr={logs['learning_rate']}")),
]
history = model.fit(x_train, y_train, batch_size=64, epochs=EPOCHS, validation_split=0.2,
                    callbacks=callbacks, verbose=2)

# 4. What the callbacks left behind, and the best model on the test set.
event_files = [name for _, _, names in os.walk(log_dir) for name in names]
print("tensorboard event files:", len(event_files))
with open(csv_path) as f:
    print("csv rows:", len(list(csv.DictReader(f))))
best = keras.models.load_model(best_path)
loss, accuracy = best.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
