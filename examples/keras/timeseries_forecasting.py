"""Forecasting a generated signal with ``timeseries_dataset_from_array`` (the pattern of
keras.io "Timeseries forecasting for weather prediction").

Two daily-periodic, noisy features are sampled hourly; windows of the past 72 hours
(one sample every 2 hours) predict the first feature 12 hours after the window ends.
The features are standardized with training statistics, the windows come from
``keras.utils.timeseries_dataset_from_array``, and an LSTM regressor is trained with
``ModelCheckpoint`` (the best model, as a ``.keras`` file) and ``EarlyStopping``. The last line is the test MSE (standardized
units); predicting the mean would give about 1.0.
"""

import os
import tempfile

import numpy as np

from dlpath import keras

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 10))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
past = 72
future = 12
step = 2
sequence_length = past // step
batch_size = 64

# 1. A generated hourly series with a daily period.
hours = np.arange(LIMIT or 20000)
rng = np.random.default_rng(0)
temperature = np.sin(2 * np.pi * hours / 24) + 0.3 * np.sin(2 * np.pi * hours / (24 * 30))
temperature += 0.1 * rng.normal(size=hours.shape)
pressure = np.cos(2 * np.pi * hours / 24) + 0.1 * rng.normal(size=hours.shape)
features = np.stack([temperature, pressure], axis=1).astype("float32")
train_split = int(0.7 * len(features))
mean = features[:train_split].mean(axis=0)
std = features[:train_split].std(axis=0)
features = (features - mean) / std
train_data, val_data = features[:train_split], features[train_split:]

# 2. Windowed datasets: x = past hours, y = the temperature `future` hours after them.
start = past + future
x_train = train_data[: len(train_data) - start]
y_train = features[start:train_split, 0]
dataset_train = keras.utils.timeseries_dataset_from_array(
    x_train, y_train, sequence_length=sequence_length, sampling_rate=step,
    batch_size=batch_size)
x_val = val_data[: len(val_data) - start]
y_val = features[train_split + start:, 0]
dataset_val = keras.utils.timeseries_dataset_from_array(
    x_val, y_val, sequence_length=sequence_length, sampling_rate=step,
    batch_size=batch_size)
for batch in dataset_train.take(1):
    inputs, targets = batch
print("Input shape:", inputs.numpy().shape)
print("Target shape:", targets.numpy().shape)

# 3. Model.
inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
lstm_out = keras.layers.LSTM(32)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
model.summary()

# 4. Train with a checkpoint of the best weights and early stopping.
path_checkpoint = os.path.join(tempfile.mkdtemp(), "model_checkpoint.keras")
es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=5)
modelckpt_callback = keras.callbacks.ModelCheckpoint(
    monitor="val_loss", filepath=path_checkpoint, verbose=1, save_best_only=True)
model.fit(dataset_train, epochs=EPOCHS, validation_data=dataset_val,
          callbacks=[es_callback, modelckpt_callback], verbose=2)
model = keras.models.load_model(path_checkpoint)
test_loss = model.evaluate(dataset_val, verbose=0)
print(f"test loss: {test_loss:.4f}")
