"""CIFAR-10 convnet trained on batches augmented by ImageDataGenerator.

The Keras 2 ``cifar10_cnn.py`` example: two Conv-Conv-Pool-Dropout blocks, a dense head,
RMSprop with a small learning rate, and real-time augmentation (shifts, horizontal flips)
from ``ImageDataGenerator.flow``. Keras 2 reports about 0.79 test accuracy after 50 epochs
with augmentation.
"""

import os

from dlpath import keras
from dlpath.keras.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from dlpath.keras.models import Sequential
from dlpath.keras.preprocessing.image import ImageDataGenerator

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 50))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
batch_size = 32
num_classes = 10

# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
print("x_train shape:", x_train.shape)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255

# 2. Model.
model = Sequential()
model.add(Conv2D(32, (3, 3), padding="same", input_shape=x_train.shape[1:]))
model.add(Activation("relu"))
model.add(Conv2D(32, (3, 3)))
model.add(Activation("relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Conv2D(64, (3, 3), padding="same"))
model.add(Activation("relu"))
model.add(Conv2D(64, (3, 3)))
model.add(Activation("relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(512))
model.add(Activation("relu"))
model.add(Dropout(0.5))
model.add(Dense(num_classes))
model.add(Activation("softmax"))

opt = keras.optimizers.RMSprop(learning_rate=0.0001, decay=1e-6)
model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])

# 3. Real-time data augmentation: random shifts and horizontal flips.
datagen = ImageDataGenerator(
    width_shift_range=0.1,
    height_shift_range=0.1,
    horizontal_flip=True,
    fill_mode="nearest",
)
datagen.fit(x_train)
model.fit(datagen.flow(x_train, y_train, batch_size=batch_size),
          steps_per_epoch=len(x_train) // batch_size,
          epochs=EPOCHS,
          validation_data=(x_test, y_test),
          verbose=2)

# 4. Evaluate.
scores = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", scores[0])
print(f"test accuracy: {scores[1]:.4f}")
