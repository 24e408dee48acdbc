"""The classic tf.keras MNIST MLP listing, with only the imports changed.

Run: ``DLPATH_DATA=../shared/data python examples/mnist_mlp.py [--scaled] [--fashion]
[--epochs N] [--seed S]``.
"""

import argparse

import dlpath as tf

parser = argparse.ArgumentParser()
parser.add_argument("--scaled", action="store_true", help="divide the pixels by 255")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--fashion", action="store_true", help="train on Fashion-MNIST")
parser.add_argument("--seed", type=int, default=None,
                    help="seed weights, dropout and shuffling (Keras' set_random_seed)")
args = parser.parse_args()
if args.seed is not None:
    tf.keras.utils.set_random_seed(args.seed)

mnist = tf.keras.datasets.fashion_mnist if args.fashion else tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
if args.scaled:
    x_train, x_test = x_train / 255.0, x_test / 255.0

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=args.epochs)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)
print(f"test accuracy: {test_accuracy:.4f}")
