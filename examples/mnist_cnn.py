"""The tf.keras MNIST convolutional network listing, with only the imports changed.

Run: ``DLPATH_DATA=../shared/data python examples/mnist_cnn.py [--fashion] [--epochs N]
[--seed S]``.
"""

import argparse

from dlpath.keras import datasets, layers, models, utils

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--fashion", action="store_true", help="train on Fashion-MNIST")
parser.add_argument("--seed", type=int, default=None,
                    help="seed weights, dropout and shuffling (Keras' set_random_seed)")
args = parser.parse_args()
if args.seed is not None:
    utils.set_random_seed(args.seed)

images = datasets.fashion_mnist if args.fashion else datasets.mnist
(x_train, y_train), (x_test, y_test) = images.load_data()
x_train = x_train.reshape((60000, 28, 28, 1)) / 255.0
x_test = x_test.reshape((10000, 28, 28, 1)) / 255.0

model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
model.summary()

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=args.epochs)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)
print(f"test accuracy: {test_accuracy:.4f}")
