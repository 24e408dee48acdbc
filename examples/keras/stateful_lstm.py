"""A stateful LSTM learning a long-range dependency across batches (after the Keras 2
``lstm_stateful.py`` example).

The target is the moving average of the last ``tsteps`` values of a generated noisy
signal. With ``stateful=True`` and a fixed ``batch_input_shape``, the state left by one
batch is the initial state of the next; ``shuffle=False`` keeps the order and
``reset_states()`` is called between epochs. The last line is the test MSE.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras.layers import LSTM, Dense
from dlpath.keras.models import Sequential

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 10))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
input_len = LIMIT or 1000
tsteps = 2  # the moving average spans this many inputs
lahead = 1  # each input sample is one step
batch_size = 1

# 1. Generated data: x_t is noise, y_t the mean of x_{t-1}, x_t.
rng = np.random.default_rng(3)
to_drop = max(tsteps - 1, lahead - 1)
data_input = rng.uniform(-0.1, 0.1, size=(input_len + to_drop, 1)).astype("float32")
expected_output = np.convolve(data_input[:, 0], np.ones(tsteps) / tsteps, mode="valid")
expected_output = expected_output.reshape(-1, 1)
data_input = data_input[to_drop:].reshape(-1, lahead, 1)
split = int(len(data_input) * 0.8)
x_train, y_train = data_input[:split], expected_output[:split]
x_test, y_test = data_input[split:], expected_output[split:]

# 2. A stateful model: batch_input_shape fixes the batch.
model = Sequential()
model.add(LSTM(20, batch_input_shape=(batch_size, lahead, 1), return_sequences=False,
               stateful=True))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")

# 3. Train epoch by epoch, in order, resetting the state in between.
for i in range(EPOCHS):
    print("Epoch", i + 1, "/", EPOCHS)
    model.fit(x_train, y_train, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    model.reset_states()

# 4. Evaluate in order too; compare with predicting zero.
predicted = model.predict(x_test, batch_size=batch_size, verbose=0)
print("baseline (zeros) mse:", float(np.mean(y_test ** 2)))
test_loss = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print(f"test loss: {test_loss:.6f}")
