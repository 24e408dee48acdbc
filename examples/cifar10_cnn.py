"""The tf.keras CIFAR-10 CNN tutorial listing, with only the imports changed.

Run: ``DLPATH_DATA=../shared/data python examples/cifar10_cnn.py [--epochs N] [--seed S]``.
"""

import argparse

import dlpath as tf
from dlpath.keras import datasets, layers, models

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--seed", type=int, default=None,
                    help="seed weights, dropout and shuffling (Keras' set_random_seed)")
args = parser.parse_args()
if args.seed is not None:
    tf.keras.utils.set_random_seed(args.seed)

(train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
train_images, test_images = train_images / 255.0, test_images / 255.0

model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.Flatten())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dropout(0.5))
model.add(layers.Dense(10))

model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.001),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
history = model.fit(train_images, train_labels, epochs=args.epochs, batch_size=64,
                    validation_data=(test_images, test_labels))
test_loss, test_accuracy = model.evaluate(test_images, test_labels, verbose=2)
print(f"test accuracy: {test_accuracy:.4f}")
