"""tf.keras 2's wrappers keep the fitted model in ``.model``; it stays out of the params,
so ``clone`` and ``GridSearchCV`` still build a fresh model from ``build_fn``."""

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from dlpath.keras.layers import Dense
from dlpath.keras.models import Sequential
from dlpath.keras.wrappers.scikit_learn import KerasClassifier


def make_model(units=4):
    model = Sequential([Dense(units, activation="relu", input_shape=(3,)),
                        Dense(2, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam",
                  metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 3)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64")


def test_fitted_model_is_reachable_as_model_and_not_a_parameter():
    x, y = _data()
    classifier = KerasClassifier(build_fn=make_model, epochs=1, verbose=0)
    assert classifier.model is None
    classifier.fit(x, y)
    assert classifier.model is classifier.model_
    assert classifier.model.metrics_names == ["loss", "accuracy"]
    assert len(classifier.model.evaluate(x, y, verbose=0)) == 2
    assert classifier.get_params()["model"] is None
    fresh = clone(classifier)
    assert fresh.model is None and fresh.build_fn is make_model


def test_grid_search_best_estimator_exposes_its_model():
    x, y = _data()
    search = GridSearchCV(KerasClassifier(make_model, epochs=1, verbose=0),
                          {"units": [2, 4]}, cv=2)
    search.fit(x, y)
    best = search.best_estimator_.model
    assert best.layers[0].units == search.best_params_["units"]
