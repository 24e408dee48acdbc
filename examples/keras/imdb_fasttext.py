"""IMDb with a fastText-style model: averaged embeddings of words and word bigrams.

The Keras 2 ``imdb_fasttext.py`` example (Joulin et al., 2016, "Bag of Tricks for
Efficient Text Classification"): every bigram seen in training gets its own id above
the word ids, the sequences are padded to 400 and the model is Embedding ->
GlobalAveragePooling1D -> sigmoid. Keras 2 reports about 0.90 test accuracy after 5
epochs with bigrams.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras.layers import Dense, Embedding, GlobalAveragePooling1D
from dlpath.keras.models import Sequential
from dlpath.keras.preprocessing import sequence

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 5))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
ngram_range = 2
max_features = 20000
maxlen = 400
batch_size = 32
embedding_dims = 50


def create_ngram_set(input_list, ngram_value=2):
    """{(1, 4), (4, 9)} from [1, 4, 9] with ngram_value=2."""
    return set(zip(*[input_list[i:] for i in range(ngram_value)]))


def add_ngram(sequences, token_indice, ngram_range=2):
    """Append the id of each known n-gram of each sequence to that sequence."""
    new_sequences = []
    for input_list in sequences:
        new_list = list(input_list)
        for ngram_value in range(2, ngram_range + 1):
            for i in range(len(new_list) - ngram_value + 1):
                ngram = tuple(new_list[i:i + ngram_value])
                if ngram in token_indice:
                    new_list.append(token_indice[ngram])
        new_sequences.append(new_list)
    return new_sequences


# 1. Data, and ids for the bigrams of the training set.
(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
print("Average train sequence length:", int(np.mean(list(map(len, x_train)))))
ngram_set = set()
for input_list in x_train:
    for i in range(2, ngram_range + 1):
        ngram_set.update(create_ngram_set(input_list, ngram_value=i))
start_index = max_features + 1
token_indice = {v: k + start_index for k, v in enumerate(ngram_set)}
max_features = np.max(list(token_indice.values())) + 1
x_train = add_ngram(x_train, token_indice, ngram_range)
x_test = add_ngram(x_test, token_indice, ngram_range)
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape, "features:", max_features)

# 2. Model: the average of the embeddings is the document vector.
model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen))
model.add(GlobalAveragePooling1D())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

# 3. Train and evaluate.
model.fit(x_train, y_train, batch_size=batch_size, epochs=EPOCHS,
          validation_data=(x_test, y_test), verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
