from dlpath import keras


def build_transfer_model(base, num_classes):
    """A new classifier on top of a pretrained, frozen base.

    base: a trained keras.Sequential taking (N, 8, 8) images to (N, features); it is frozen
    in place (base.trainable = False) and used as it is (the same object, not a copy).
    Returns keras.Sequential([keras.Input((8, 8)), base, Dense(num_classes, softmax)])
    compiled with Adam(0.01), sparse_categorical_crossentropy and metrics=["accuracy"].
    """
    base.trainable = False
    model = keras.Sequential([
        keras.Input((8, 8)),
        base,                                                   # (N, features), frozen
        keras.layers.Dense(num_classes, activation="softmax"),  # the new head, trained
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_head(model, x, y):
    """Train the model from build_transfer_model on x (N, 8, 8) in [0, 1] and labels y
    (N,) in 0..num_classes-1; only the head learns. Returns the History of fit."""
    return model.fit(x, y, epochs=30, batch_size=32, verbose=0)
