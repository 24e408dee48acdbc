"""Sequence to sequence learning for adding numbers given as strings (the Keras 2
``addition_rnn.py`` example; Zaremba and Sutskever, 2014, "Learning to Execute").

Questions like "535+61 " are one-hot encoded characters (reversed, which helps); an
LSTM encoder reads them, ``RepeatVector`` repeats its last state once per answer digit,
an LSTM decoder returns sequences and ``TimeDistributed(Dense)`` picks a character at
each step. The last line is the per-character accuracy on held-out questions (Keras 2
reaches about 0.99 with 50000 questions after some 30 epochs).
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 30))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
TRAINING_SIZE = LIMIT or 50000
DIGITS = 3
REVERSE = True
MAXLEN = DIGITS + 1 + DIGITS  # "123+456"


class CharacterTable:
    """Encode a string as one-hot rows, decode rows of probabilities back to a string."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = dict((c, i) for i, c in enumerate(self.chars))
        self.indices_char = dict((i, c) for i, c in enumerate(self.chars))

    def encode(self, C, num_rows):
        x = np.zeros((num_rows, len(self.chars)))
        for i, c in enumerate(C):
            x[i, self.char_indices[c]] = 1
        return x

    def decode(self, x, calc_argmax=True):
        if calc_argmax:
            x = x.argmax(axis=-1)
        return "".join(self.indices_char[x] for x in x)


# 1. Generated questions and answers.
chars = "0123456789+ "
ctable = CharacterTable(chars)
questions, expected, seen = [], [], set()
rng = np.random.default_rng(1)
print("Generating data...")
while len(questions) < TRAINING_SIZE:
    f = lambda: int("".join(rng.choice(list("0123456789"))
                            for i in range(rng.integers(1, DIGITS + 1))))
    a, b = f(), f()
    key = tuple(sorted((a, b)))
    if key in seen:
        continue
    seen.add(key)
    q = f"{a}+{b}"
    query = q + " " * (MAXLEN - len(q))
    ans = str(a + b)
    ans += " " * (DIGITS + 1 - len(ans))
    if REVERSE:
        query = query[::-1]
    questions.append(query)
    expected.append(ans)
print("Total questions:", len(questions))

x = np.zeros((len(questions), MAXLEN, len(chars)), dtype=bool)
y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype=bool)
for i, sentence in enumerate(questions):
    x[i] = ctable.encode(sentence, MAXLEN)
for i, sentence in enumerate(expected):
    y[i] = ctable.encode(sentence, DIGITS + 1)
indices = np.arange(len(y))
rng.shuffle(indices)
x, y = x[indices], y[indices]
split_at = len(x) - len(x) // 10
(x_train, x_val) = x[:split_at], x[split_at:]
(y_train, y_val) = y[:split_at], y[split_at:]

# 2. Encoder, repeated state, decoder.
num_layers = 1
model = keras.Sequential()
model.add(layers.LSTM(128, input_shape=(MAXLEN, len(chars))))
model.add(layers.RepeatVector(DIGITS + 1))
for _ in range(num_layers):
    model.add(layers.LSTM(128, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(len(chars), activation="softmax")))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()

# 3. Train, showing a few answers.
model.fit(x_train, y_train, batch_size=32, epochs=EPOCHS, validation_data=(x_val, y_val),
          verbose=2)
preds = np.argmax(model.predict(x_val[:5], verbose=0), axis=-1)
for i in range(5):
    q = ctable.decode(x_val[i])
    print("Q", q[::-1] if REVERSE else q, "T", ctable.decode(y_val[i]),
          "guess", ctable.decode(preds[i], calc_argmax=False))
loss, accuracy = model.evaluate(x_val, y_val, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
