"""A convolutional denoising autoencoder on MNIST (keras.io "Convolutional autoencoder
for image denoising").

Gaussian noise is added to the digits; a Conv2D/MaxPooling2D encoder and a
Conv2DTranspose decoder learn to map the noisy image to the clean one under binary
cross-entropy. The last line is the test loss on noisy -> clean pairs.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 50))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))


def preprocess(array):
    """Normalize to [0, 1] and reshape into (n, 28, 28, 1)."""
    array = array.astype("float32") / 255.0
    return np.reshape(array, (len(array), 28, 28, 1))


def noise(array, noise_factor=0.4):
    """Add Gaussian noise, clipped back into [0, 1]."""
    noisy_array = array + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy_array, 0.0, 1.0)


# 1. Clean and noisy images.
(train_data, _), (test_data, _) = keras.datasets.mnist.load_data()
if LIMIT:
    train_data, test_data = train_data[:LIMIT], test_data[:LIMIT]
train_data = preprocess(train_data)
test_data = preprocess(test_data)
noisy_train_data = noise(train_data)
noisy_test_data = noise(test_data)

# 2. The autoencoder.
input = layers.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
autoencoder = keras.Model(input, x)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()

# 3. Train to denoise.
autoencoder.fit(x=noisy_train_data, y=train_data, epochs=EPOCHS, batch_size=128,
                shuffle=True, validation_data=(noisy_test_data, test_data), verbose=2)

# 4. Evaluate, and check the outputs are images.
denoised = autoencoder.predict(noisy_test_data[:8], verbose=0)
print("denoised:", denoised.shape, float(denoised.min()) >= 0.0, float(denoised.max()) <= 1.0)
test_loss = autoencoder.evaluate(noisy_test_data, test_data, verbose=0)
print(f"test loss: {test_loss:.4f}")
