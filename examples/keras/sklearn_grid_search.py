"""A grid search over Keras models with scikit-learn (the Keras 2
``mnist_sklearn_wrapper.py`` example).

``KerasClassifier`` wraps a function that builds and compiles a model; ``GridSearchCV``
cross-validates every combination of the builder's arguments (layer size) and of fit's
(epochs), and the best estimator is scored on the test set. The data are 8x8 digits
made by shrinking MNIST images, flattened to 64 features.
"""

import os

import numpy as np
from sklearn.model_selection import GridSearchCV

from dlpath import keras
from dlpath.keras.layers import Dense, Dropout
from dlpath.keras.models import Sequential
from dlpath.keras.wrappers.scikit_learn import KerasClassifier

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 6))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
num_classes = 10

# 1. Data: MNIST shrunk to 8x8 by averaging blocks (28 -> 24 -> 8), scaled to [0, 1].
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, y_train = x_train[:LIMIT or 12000], y_train[:LIMIT or 12000]
x_test, y_test = x_test[:LIMIT or 10000], y_test[:LIMIT or 10000]


def shrink(images):
    blocks = images[:, 2:26, 2:26].reshape(len(images), 8, 3, 8, 3).mean(axis=(2, 4))
    return blocks.reshape(len(images), 64).astype("float32") / 255


x_train, x_test = shrink(x_train), shrink(x_test)


# 2. A model-building function whose arguments are searched.
def make_model(dense_layer_sizes=(32,), dropout=0.25):
    model = Sequential()
    model.add(Dense(dense_layer_sizes[0], activation="relu", input_shape=(64,)))
    for layer_size in dense_layer_sizes[1:]:
        model.add(Dense(layer_size, activation="relu"))
    model.add(Dropout(dropout))
    model.add(Dense(num_classes, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam",
                  metrics=["accuracy"])
    return model


# 3. The search.
my_classifier = KerasClassifier(make_model, batch_size=32, verbose=0)
validator = GridSearchCV(
    my_classifier,
    param_grid={"dense_layer_sizes": [(32,), (64, 32)], "epochs": [max(1, EPOCHS // 2),
                                                                  EPOCHS]},
    scoring="neg_log_loss",
    cv=3,
)
validator.fit(x_train, y_train)
print("The parameters of the best model are:")
print(validator.best_params_)

# 4. The best model, refitted on all the training data, on the test set.
best_model = validator.best_estimator_.model
metric_names = best_model.metrics_names
metric_values = best_model.evaluate(x_test, y_test, verbose=0)
for metric, value in zip(metric_names, metric_values):
    print(metric, ": ", value)
print(f"test accuracy: {validator.best_estimator_.score(x_test, y_test):.4f}")
