"""Lambda layers written with ``keras.backend`` functions (the Keras 2 idiom ``from
keras import backend as K``).

An MNIST classifier whose pieces are Lambda layers: a scaling of the raw pixels, an
L2 normalization with ``K.l2_normalize``, a "CReLU" activation (concatenating relu(x)
and relu(-x) with ``K.concatenate``, so the output shape doubles) and a custom loss
written with ``K.categorical_crossentropy`` and ``K.mean``.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import backend as K
from dlpath.keras.layers import Dense, Flatten, Input, Lambda
from dlpath.keras.models import Model

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 5))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))


def crelu(x):
    """relu(x) next to relu(-x) along the last axis."""
    return K.concatenate([K.relu(x), K.relu(-x)], axis=-1)


def crelu_output_shape(input_shape):
    shape = list(input_shape)
    shape[-1] *= 2
    return tuple(shape)


def smooth_crossentropy(y_true, y_pred):
    """Cross-entropy against labels smoothed by 0.1."""
    y_true = y_true * 0.9 + 0.1 / K.int_shape(y_pred)[-1]
    return K.mean(K.categorical_crossentropy(y_true, y_pred), axis=-1)


# 1. Data: raw pixels; scaling is the model's first Lambda.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train, x_test = x_train.astype(K.floatx()), x_test.astype(K.floatx())
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

# 2. Model.
inputs = Input(shape=(28, 28))
x = Lambda(lambda t: t / 255.0)(inputs)
x = Flatten()(x)
x = Dense(128)(x)
x = Lambda(crelu, output_shape=crelu_output_shape)(x)
x = Lambda(lambda t: K.l2_normalize(t, axis=1) * 10.0)(x)
outputs = Dense(10, activation="softmax")(x)
model = Model(inputs, outputs)
model.summary()
print("backend:", K.backend(), "epsilon:", K.epsilon(), "CReLU width:", K.int_shape(x))

# 3. Train with the custom loss.
model.compile(loss=smooth_crossentropy, optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=EPOCHS, verbose=2)

# 4. Evaluate.
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
