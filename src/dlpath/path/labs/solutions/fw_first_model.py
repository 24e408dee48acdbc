from dlpath import keras


def build_model():
    """A compiled Sequential MLP for the 8x8 digits.

    Layers: keras.Input((8, 8)) -> Flatten (64 values) -> Dense(32, relu) -> Dense(10, softmax),
    64*32 + 32 + 32*10 + 10 = 2,410 parameters. Compiled with Adam (learning rate 0.01), the
    loss sparse_categorical_crossentropy (integer labels) and metrics=["accuracy"].
    Returns the untrained model.
    """
    model = keras.Sequential([
        keras.Input((8, 8)),
        keras.layers.Flatten(),                                   # (N, 64)
        keras.layers.Dense(32, activation="relu"),                # (N, 32)
        keras.layers.Dense(10, activation="softmax"),             # (N, 10) probabilities
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, x, y):
    """Train ``model`` (from build_model) in place on the digits and return its History.

    x: (N, 8, 8) float32 pixels / 16, in [0, 1]; y: (N,) int64 labels 0..9.
    """
    return model.fit(x, y, epochs=40, batch_size=32, verbose=0)
