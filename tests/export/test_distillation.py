"""Knowledge distillation: the loss against its formula, T^2, the Distiller, the recipe."""

import json

import numpy as np
import pytest

from dlpath import keras
from dlpath.engine import Tensor, gradcheck
from dlpath.export.distillation import (Distiller, StudentCallback, distillation_loss,
                                        logits_of, soft_target_loss)
from dlpath.random import set_seed


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _numpy_loss(y, z_s, z_t, alpha, t):
    """alpha CE(y, softmax z_s) + (1 - alpha) T^2 KL(softmax(z_t/T) || softmax(z_s/T))."""
    ce = -np.log(_softmax(z_s)[np.arange(len(y)), y]).mean()
    p, q = _softmax(z_t / t), _softmax(z_s / t)
    kl = (p * (np.log(p) - np.log(q))).sum(axis=-1).mean()
    return alpha * ce + (1 - alpha) * t * t * kl, ce, t * t * kl


def _logits(seed, shape=(6, 5)):
    return np.random.default_rng(seed).standard_normal(shape) * 3


def test_loss_values_match_the_numpy_formula():
    y = np.array([0, 4, 2, 1, 3, 2])
    z_s, z_t = _logits(0), _logits(1)
    for alpha, t in ((0.1, 3.0), (0.5, 1.0), (0.0, 10.0), (1.0, 2.0)):
        total, ce, soft = distillation_loss(y, Tensor(z_s, dtype="float64"),
                                            Tensor(z_t, dtype="float64"), alpha, t)
        expected = _numpy_loss(y, z_s, z_t, alpha, t)
        np.testing.assert_allclose([float(total.data), float(ce.data), float(soft.data)],
                                   expected, rtol=1e-10)


def test_loss_gradient_by_finite_differences():
    y = np.array([0, 4, 2, 1, 3, 2])
    gradcheck(lambda z_s, z_t: distillation_loss(y, z_s, z_t, 0.3, 4.0)[0],
              _logits(2), _logits(3))


def test_soft_gradient_is_t_times_the_probability_gap_and_t2_keeps_its_scale():
    z_s, z_t = _logits(4), _logits(5)
    z_s, z_t = z_s - z_s.mean(-1, keepdims=True), z_t - z_t.mean(-1, keepdims=True)
    batch, classes = z_s.shape
    gradients = {}
    for t in (1.0, 5.0, 50.0, 500.0):
        student = Tensor(z_s, requires_grad=True, dtype="float64")
        soft_target_loss(student, Tensor(z_t, dtype="float64"), t).backward()
        # d/dz_s of T^2 KL = T (softmax(z_s/T) - softmax(z_t/T)), per sample / batch.
        expected = t * (_softmax(z_s / t) - _softmax(z_t / t)) / batch
        np.testing.assert_allclose(student.grad, expected, rtol=1e-8, atol=1e-14)
        gradients[t] = student.grad
    # At high temperature it tends to (z_s - z_t) / (classes * batch) (Hinton et al.,
    # section 2.1): the T^2 factor keeps the soft term's gradient the same size.
    limit = (z_s - z_t) / (classes * batch)
    np.testing.assert_allclose(gradients[500.0], limit, rtol=0, atol=1e-3)
    assert np.abs(gradients[50.0]).sum() == pytest.approx(np.abs(limit).sum(), rel=0.1)


def test_logits_are_recovered_from_softmax_outputs():
    z = Tensor(_logits(6), requires_grad=True, dtype="float64")
    p = z.softmax(axis=-1)
    assert logits_of(p, from_logits=False) is z  # the softmax op's own input, in training
    # Without the graph: log p, the logits up to a constant per row.
    recovered = logits_of(Tensor(p.data, dtype="float64"), from_logits=False).data
    shift = recovered - z.data
    np.testing.assert_allclose(shift, shift[:, :1].repeat(shift.shape[1], 1), atol=1e-10)


def _digits():
    from dlpath.datasets import digits

    (x, y), (x_test, y_test) = digits.load_data(seed=0)
    return (x.astype("float32") / 16, y), (x_test.astype("float32") / 16, y_test)


def _mlp(units, name):
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")], name=name)
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy",
                  ["accuracy"])
    return model


def test_a_short_distillation_on_digits_lowers_the_students_loss():
    set_seed(0)
    (x, y), (x_test, y_test) = _digits()
    teacher = _mlp(32, "teacher")
    teacher.fit(x, y, epochs=4, verbose=0)
    teacher_before = [w.copy() for w in teacher.get_weights()]
    student = _mlp(8, "student")
    distiller = Distiller(student, teacher)
    distiller.compile(keras.optimizers.Adam(1e-2), metrics=["accuracy"], alpha=0.1,
                      temperature=4.0, student_from_logits=False, teacher_from_logits=False)
    stops = []

    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            stops.append(self.model)
            self.model.stop_training = epoch == 2

    history = distiller.fit(x, y, epochs=5, batch_size=32, verbose=0,
                            validation_data=(x_test, y_test),
                            callbacks=[StudentCallback(Stop())])
    logs = history.history
    assert set(logs) >= {"loss", "student_loss", "distillation_loss", "accuracy",
                         "val_loss", "val_distillation_loss", "val_accuracy"}
    assert len(logs["loss"]) == 3  # the student's callback stopped the distiller
    assert all(model is student for model in stops)
    assert logs["loss"][-1] < 0.7 * logs["loss"][0]
    assert logs["student_loss"][-1] < logs["student_loss"][0]
    assert logs["val_accuracy"][-1] > 0.5
    for old, new in zip(teacher_before, teacher.get_weights()):
        np.testing.assert_array_equal(old, new)  # the teacher is not trained
    np.testing.assert_allclose(distiller.predict(x_test[:3], verbose=0),
                               student.predict(x_test[:3], verbose=0))


def test_compile_checks_alpha_and_temperature():
    distiller = Distiller(_mlp(4, "s"), _mlp(4, "t"))
    with pytest.raises(ValueError, match="alpha must lie in"):
        distiller.compile("adam", alpha=1.5)
    with pytest.raises(ValueError, match="temperature must be positive"):
        distiller.compile("adam", temperature=0)
    with pytest.raises(TypeError, match="student and teacher must be models"):
        Distiller("student", _mlp(4, "t2"))


# ---------------------------------------------------------------- the recipe
def _teacher_run(parent):
    """A finished mnist-cnn run folder whose model is briefly trained (not a good one)."""
    from dlpath.recipes.mnist_cnn import convnet
    from dlpath.workflow import files
    from dlpath.workflow.run import RunFolder

    folder = RunFolder.create(parent, "mnist-cnn")
    files.write_json(folder.config, {"recipe": "mnist-cnn", "config": {}})
    model = convnet((28, 28, 1), 1e-3)
    rng = np.random.default_rng(0)
    model.fit(rng.random((64, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 64),
              epochs=1, verbose=0)
    model.save(folder.model)
    return folder


TINY = {"epochs": 1, "train_limit": 256, "eval_limit": 64, "student_filters": 2}


def test_recipe_distils_and_records_both_students(tmp_path):
    from dlpath.workflow.run import train

    _teacher_run(tmp_path)
    folder = train("mnist-cnn-distilled", TINY, parent=tmp_path, verbose=0,
                   log=lambda *_: None)
    extra = json.loads((folder.path / "extra_metrics.json").read_text())
    for key in ("distilled_test_accuracy", "alone_test_accuracy", "teacher_test_accuracy"):
        assert 0.0 <= extra[key] <= 1.0
    assert extra["student_weights"] < extra["teacher_weights"] / 10
    rows = json.loads(folder.metrics_json.read_text())
    assert rows[0]["distillation_loss"] > 0 and "val_accuracy" in rows[0]
    # The run's model (and its checkpoint) is the student.
    student = keras.models.load_model(folder.model)
    assert student.count_params() == extra["student_weights"]
    assert keras.models.load_model(folder.checkpoint).count_params() == student.count_params()
    test = json.loads(folder.test_metrics.read_text())
    assert test["accuracy"] == pytest.approx(extra["distilled_test_accuracy"])


def test_recipe_without_a_teacher_says_what_to_do(tmp_path):
    from dlpath.workflow.errors import WorkflowError
    from dlpath.workflow.run import train

    with pytest.raises(WorkflowError, match="no teacher run.*dlpath train mnist-cnn"):
        train("mnist-cnn-distilled", TINY, parent=tmp_path, verbose=0, log=lambda *_: None)
