"""tf.keras 2's ``fit_generator`` / ``evaluate_generator`` / ``predict_generator`` are
``fit`` / ``evaluate`` / ``predict`` on the generator."""

import numpy as np

from dlpath.keras.layers import Dense
from dlpath.keras.models import Sequential


def _batches(x, y, size):
    while True:
        for start in range(0, len(x), size):
            yield x[start:start + size], y[start:start + size]


def test_generator_methods_train_evaluate_and_predict():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit_generator(_batches(x, y, 16), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    after = model.evaluate_generator(_batches(x, y, 16), steps=4, verbose=0)
    assert after < before
    np.testing.assert_allclose(after, model.evaluate(x, y, verbose=0), rtol=1e-5)
    predicted = model.predict_generator(_batches(x, y, 16), steps=4, verbose=0)
    np.testing.assert_allclose(predicted, model.predict(x, verbose=0), rtol=1e-5)
