"""CIFAR-10 convnet with augmentation done by preprocessing layers inside the model.

RandomFlip, RandomRotation and RandomZoom run only while training; Rescaling maps the
uint8 pixels to [0, 1] so the model takes raw images (the pattern of keras.io's "Image
classification from scratch"). The convnet is a small BatchNormalization/SeparableConv2D
network ending in GlobalAveragePooling2D.
"""

import os

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 30))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))

# 1. Raw uint8 images: the model does its own scaling.
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]

data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.1),
    ],
    name="data_augmentation",
)


# 2. Model, functional API.
def make_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = layers.Rescaling(1.0 / 255)(x)
    x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    for size in [64, 128]:
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = make_model(input_shape=(32, 32, 3), num_classes=10)
model.summary()

# 3. Train.
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=EPOCHS, validation_split=0.1, verbose=2)

# 4. Evaluate: the augmentation layers are identities at inference.
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
