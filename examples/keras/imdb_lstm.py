"""IMDb sentiment classification with an LSTM over learned word embeddings.

The Keras 2 ``imdb_lstm.py`` example: the 20000 most frequent words, reviews cut to 80
words, Embedding(128) -> LSTM(128, dropout=0.2, recurrent_dropout=0.2) -> sigmoid.
Keras 2 reports about 0.82 test accuracy after 15 epochs (it overfits after the first
few).
"""

import os

from dlpath import keras
from dlpath.keras.layers import LSTM, Dense, Embedding
from dlpath.keras.models import Sequential
from dlpath.keras.preprocessing import sequence

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 15))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
max_features = 20000
maxlen = 80  # cut texts after this number of words (among the max_features most common)
batch_size = 32

# 1. Data: lists of word ids, padded to one length.
print("Loading data...")
(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
print(len(x_train), "train sequences")
print(len(x_test), "test sequences")
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape)

# 2. Model.
model = Sequential()
model.add(Embedding(max_features, 128))
model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

# 3. Train.
model.fit(x_train, y_train, batch_size=batch_size, epochs=EPOCHS,
          validation_data=(x_test, y_test), verbose=2)

# 4. Evaluate.
score, acc = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print("Test score:", score)
print(f"test accuracy: {acc:.4f}")
