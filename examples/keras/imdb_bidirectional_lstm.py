"""IMDb sentiment with a Bidirectional LSTM (keras.io "Bidirectional LSTM on IMDB").

Two stacked Bidirectional(LSTM(64)) layers, the first returning sequences, over 128-wide
embeddings of the 20000 most frequent words, reviews padded to 200 words. keras.io
reports about 0.85-0.87 validation accuracy after 2 epochs.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 2))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
max_features = 20000  # only consider the top 20k words
maxlen = 200  # only consider the first 200 words of each movie review

# 1. Model: variable-length int sequences in, a probability out.
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(max_features, 128)(inputs)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()

# 2. Data.
(x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_val, y_val = x_val[:LIMIT], y_val[:LIMIT]
print(len(x_train), "Training sequences")
print(len(x_val), "Validation sequences")
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)

# 3. Train and evaluate.
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=EPOCHS, validation_data=(x_val, y_val),
          verbose=2)
loss, accuracy = model.evaluate(x_val, y_val, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
