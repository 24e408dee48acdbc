"""IMDb sentiment with a 1D convnet: Conv1D then GlobalMaxPooling1D.

The Keras 2 ``imdb_cnn.py`` example: 5000 words, reviews padded to 400, Embedding(50),
Dropout, Conv1D(250, 3) and a max over time, one hidden Dense layer. Keras 2 reports
about 0.89 test accuracy after 2 epochs.
"""

import os

from dlpath import keras
from dlpath.keras.layers import (Activation, Conv1D, Dense, Dropout, Embedding,
                                 GlobalMaxPooling1D)
from dlpath.keras.models import Sequential
from dlpath.keras.preprocessing import sequence

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 2))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
max_features = 5000
maxlen = 400
batch_size = 32
embedding_dims = 50
filters = 250
kernel_size = 3
hidden_dims = 250

# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape)

# 2. Model: embeddings, n-gram detectors, max over time, a hidden layer.
model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen))
model.add(Dropout(0.2))
model.add(Conv1D(filters, kernel_size, padding="valid", activation="relu", strides=1))
model.add(GlobalMaxPooling1D())
model.add(Dense(hidden_dims))
model.add(Dropout(0.2))
model.add(Activation("relu"))
model.add(Dense(1))
model.add(Activation("sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

# 3. Train and evaluate.
model.fit(x_train, y_train, batch_size=batch_size, epochs=EPOCHS,
          validation_data=(x_test, y_test), verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
