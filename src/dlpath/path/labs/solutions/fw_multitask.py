import numpy as np

from dlpath import keras


def make_targets(y):
    """The targets of the two heads for digit labels y (N,) of any integer dtype.

    Returns {"digit": y as int64 (N,), "parity": (N, 1) float32, 1.0 for an odd digit and
    0.0 for an even one}.
    """
    y = np.asarray(y)
    return {"digit": y.astype(np.int64),
            "parity": (y % 2).astype(np.float32).reshape(-1, 1)}


def build_multitask_model():
    """A compiled functional model with two heads on a shared trunk.

    keras.Input((8, 8)) -> Flatten -> Dense(64, relu), then two outputs:
        "digit":  Dense(10, softmax)  (N, 10) probabilities of the digits 0-9
        "parity": Dense(1, sigmoid)   (N, 1) probability that the digit is odd
    model = keras.Model(inputs, [digit, parity]), compiled with Adam(0.01), a loss per output
    (sparse_categorical_crossentropy, binary_crossentropy), loss_weights digit 1.0 and
    parity 0.5, so loss = digit_loss + 0.5 * parity_loss, and an accuracy per output.
    """
    inputs = keras.Input((8, 8), name="image")
    features = keras.layers.Flatten()(inputs)                             # (N, 64)
    features = keras.layers.Dense(64, activation="relu")(features)        # (N, 64)
    digit = keras.layers.Dense(10, activation="softmax", name="digit")(features)
    parity = keras.layers.Dense(1, activation="sigmoid", name="parity")(features)
    model = keras.Model(inputs, [digit, parity])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss={"digit": "sparse_categorical_crossentropy",
                        "parity": "binary_crossentropy"},
                  loss_weights={"digit": 1.0, "parity": 0.5},
                  metrics={"digit": ["accuracy"], "parity": ["accuracy"]})
    return model
