"""The tf.keras IMDb LSTM listing, with only the imports changed.

Run: ``DLPATH_DATA=../shared/data python examples/imdb_lstm.py [--epochs N] [--seed S]``.
"""

import argparse

from dlpath.keras.datasets import imdb
from dlpath.keras.layers import LSTM, Dense, Embedding
from dlpath.keras.models import Sequential
from dlpath.keras.preprocessing.sequence import pad_sequences
from dlpath.keras.utils import set_random_seed

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--seed", type=int, default=None,
                    help="seed weights, dropout and shuffling (Keras' set_random_seed)")
args = parser.parse_args()
if args.seed is not None:
    set_random_seed(args.seed)

max_features, maxlen = 10000, 500
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
x_train = pad_sequences(x_train, maxlen=maxlen)
x_test = pad_sequences(x_test, maxlen=maxlen)

model = Sequential()
model.add(Embedding(max_features, 128, input_length=maxlen))
model.add(LSTM(64))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=args.epochs, batch_size=64)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)
print(f"test accuracy: {test_accuracy:.4f}")
