"""KerasClassifier / KerasRegressor behave as scikit-learn estimators."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import GridSearchCV, cross_val_score

from dlpath.keras import Input, layers, models, optimizers
from dlpath.keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor
from dlpath.random import set_seed


def make_classifier(units=8, n_classes=3, loss="sparse_categorical_crossentropy"):
    model = models.Sequential([Input((4,)), layers.Dense(units, activation="relu"),
                               layers.Dense(n_classes, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(0.05), loss=loss, metrics=["accuracy"])
    return model


def make_regressor(units=8):
    model = models.Sequential([Input((4,)), layers.Dense(units, activation="relu"),
                               layers.Dense(1)])
    model.compile(optimizer=optimizers.Adam(0.02), loss="mse")
    return model


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centers = np.array([[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0]], "float32")
    labels = rng.integers(0, 3, 90)
    x = (centers[labels] + 0.5 * rng.standard_normal((90, 4))).astype("float32")
    return x, np.array(["cat", "dog", "emu"])[labels]


def test_classifier_encodes_string_labels_and_predicts_them(blobs):
    set_seed(0)
    x, y = blobs
    clf = KerasClassifier(build_fn=make_classifier, epochs=30, batch_size=16, verbose=0)
    assert is_classifier(clf)
    clf.fit(x, y)
    assert list(clf.classes_) == ["cat", "dog", "emu"]
    proba = clf.predict_proba(x)
    assert proba.shape == (90, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(clf.predict(x)) <= {"cat", "dog", "emu"}
    assert clf.score(x, y) > 0.9


def test_params_clone_and_routing(blobs):
    clf = KerasClassifier(build_fn=make_classifier, units=5, epochs=2, verbose=0)
    params = clf.get_params()
    assert params["units"] == 5 and params["epochs"] == 2 and params["build_fn"] is \
        make_classifier
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == params
    copy.set_params(units=7)
    assert clf.get_params()["units"] == 5
    copy.fit(*blobs)
    assert copy.model_.layers[0].units == 7
    assert len(copy.history_.history["loss"]) == 2
    with pytest.raises(ValueError, match="not a legal parameter"):
        KerasClassifier(build_fn=make_classifier, no_such_thing=1)


def test_cross_val_score_and_grid_search_over_build_fn_params(blobs):
    set_seed(1)
    x, y = blobs
    clf = KerasClassifier(build_fn=make_classifier, epochs=10, batch_size=16, verbose=0)
    scores = cross_val_score(clf, x, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.6
    search = GridSearchCV(clf, {"units": [2, 6], "epochs": [3]}, cv=2)
    search.fit(x, y)
    assert search.best_params_["units"] in (2, 6)
    assert search.best_estimator_.model_.layers[0].units == search.best_params_["units"]


def test_one_hot_loss_and_binary_sigmoid(blobs):
    x, y = blobs
    clf = KerasClassifier(build_fn=make_classifier, loss="categorical_crossentropy",
                          epochs=1, verbose=0)
    clf.fit(x, y)
    assert clf.predict_proba(x).shape == (90, 3)

    def binary():
        model = models.Sequential([Input((4,)), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        return model

    binary_clf = KerasClassifier(model=binary, epochs=1, verbose=0)
    binary_clf.fit(x, y == "cat")
    proba = binary_clf.predict_proba(x)
    assert proba.shape == (90, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    assert binary_clf.predict(x).dtype == bool


def test_scikeras_model_argument_with_prefixed_params(blobs):
    x, y = blobs
    template = models.Sequential([Input((4,)), layers.Dense(3, activation="softmax")])
    clf = KerasClassifier(model=template, loss="sparse_categorical_crossentropy",
                          optimizer="adam", fit__epochs=2, verbose=0)
    clf.fit(x, y)
    assert clf.model_ is not template
    assert len(clf.history_.history["loss"]) == 2
    uncompiled = KerasClassifier(model=template)
    with pytest.raises(ValueError, match="not compiled"):
        uncompiled.fit(x, y)

    def builder(units):
        return make_classifier(units=units)

    routed = KerasClassifier(model=builder, model__units=4, epochs=1, verbose=0).fit(x, y)
    assert routed.model_.layers[0].units == 4


def test_regressor_score_is_r2(blobs):
    set_seed(2)
    x, _ = blobs
    target = x @ np.array([1.0, -2.0, 0.5, 0.0], "float32")
    reg = KerasRegressor(build_fn=make_regressor, units=16, epochs=60, batch_size=16,
                         verbose=0)
    assert is_regressor(reg)
    reg.fit(x, target)
    assert reg.predict(x).shape == (90,)
    assert reg.score(x, target) > 0.8
    assert cross_val_score(clone(reg).set_params(epochs=2), x, target, cv=2).shape == (2,)


def test_errors_before_fit_and_bad_builders(blobs):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        KerasRegressor(build_fn=make_regressor).predict(blobs[0])
    with pytest.raises(TypeError, match="expected a dlpath Model"):
        KerasRegressor(build_fn=lambda: "nope").fit(*blobs)
    with pytest.raises(ValueError, match="build_fn"):
        KerasRegressor().fit(*blobs)
    assert "KerasClassifier" in repr(KerasClassifier(build_fn=make_classifier, epochs=1))
