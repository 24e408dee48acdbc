"""mnist-cnn-distilled: a small CNN taught by a trained mnist-cnn (knowledge distillation).

1. Load the teacher: the finished run ``--set teacher=RUN`` (a run folder, a run's name,
   or a recipe's name for its newest finished run; default: the newest mnist-cnn run).
2. Build the student (about a tenth of the teacher's weights): two strided convolutions
   and a softmax layer; MNIST as mnist-cnn loads it.
3. Distil: train the student on alpha * CE(labels) + (1 - alpha) * T^2 * KL(teacher's
   softened predictions || the student's), with the run's callbacks watching it
   (`dlpath.export.distillation`).
4. Train the same student alone on the labels: same initial weights, seed, batches and
   epochs.
5. Compare both (and the teacher) on the test set: the run's extra metrics
   ``distilled_test_accuracy``, ``alone_test_accuracy`` and ``teacher_test_accuracy``.
   The run's model is the distilled student.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath import random as dlrandom
from dlpath.recipes._run_outputs import record_extra, run_folder
from dlpath.recipes.base import RecipeConfig
from dlpath.recipes.mnist_cnn import MnistCNN
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 5
    batch_size: int = 64
    learning_rate: float = 1e-3
    teacher: str = "mnist-cnn"        # run folder, run name or recipe name
    alpha: float = 0.1                # weight of the labels' term
    temperature: float = 10.0         # T of the softened predictions
    student_filters: int = 4          # filters of the student's first convolution


def build_student(config):
    """Conv2D(f, stride 2)-Conv2D(2f, stride 2)-Flatten-Dense(10, softmax), with Adam."""
    f = config.student_filters
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(f, 3, strides=2, activation="relu"),      # (N, 13, 13, f)
        keras.layers.Conv2D(2 * f, 3, strides=2, activation="relu"),  # (N, 6, 6, 2f)
        keras.layers.Flatten(),                                       # (N, 72 f)
        keras.layers.Dense(10, activation="softmax"),
    ], name="student")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def load_teacher(name: str, run):
    """The model of the finished teacher run ``name`` (looked for beside ``run``'s folder);
    a `WorkflowError` that says what to do when there is none."""
    from dlpath.workflow.errors import WorkflowError
    from dlpath.workflow.run import RunFolder, run_folders

    folder = run_folder(run)
    parent = folder.parent if folder is not None else None
    advice = ("train one first with 'dlpath train mnist-cnn', or name one with "
              "--set teacher=RUN")
    try:
        found = RunFolder.find(name, parent)
    except WorkflowError as error:
        raise WorkflowError(f"mnist-cnn-distilled: no teacher run: {error}; {advice}") from None
    if not found.model.is_file():  # a recipe's newest run may be unfinished
        finished = [r for r in run_folders(found.path.parent) if r.model.is_file()
                    and r.read_config().get("recipe") == name]
        if not finished:
            raise WorkflowError(f"mnist-cnn-distilled: the teacher run {found.path} is not "
                                f"finished (it has no model.keras); finish it with 'dlpath "
                                f"train --resume {found.path}', or {advice}")
        found = finished[-1]
    teacher = keras.models.load_model(found.model)
    try:  # an MNIST image in, 10 class probabilities out
        shape = teacher.predict(np.zeros((1, 28, 28, 1), "float32"), verbose=0).shape
    except ValueError as error:
        shape = f"none: it does not take (28, 28, 1) images ({error})"
    if shape != (1, 10):
        raise WorkflowError(f"mnist-cnn-distilled: the teacher {found.model} must map MNIST "
                            f"images to 10 class probabilities; its output shape is {shape}")
    print(f"teacher: {found.path}")
    return teacher


@register
class MnistCNNDistilled(MnistCNN):
    name = "mnist-cnn-distilled"
    description = "A small CNN distilled from a trained mnist-cnn, against the same alone"
    expected = {"accuracy": 0.97}
    Config = Config

    def build_model(self, config, data):
        # 2. The student, as trained by distillation (the run's model).
        return build_student(config)

    def train(self, run, config, data):
        from dlpath.export.distillation import Distiller, StudentCallback

        x, y = data.train
        fit = {"batch_size": config.batch_size, "epochs": config.epochs,
               "validation_data": data.validation, "verbose": run.verbose}
        # 1. The teacher.
        teacher = load_teacher(config.teacher, run)
        student, fresh = run.model, run.initial_epoch == 0
        initial = student.get_weights()

        # 3. Distil, with the run's callbacks watching the student (the distiller steps the
        # student's own optimizer, so its checkpoint holds the optimizer's state).
        print(f"[1/3] distilling the student (alpha {config.alpha}, T {config.temperature})")
        distiller = Distiller(student, teacher)
        distiller.compile(optimizer=student.optimizer, metrics=["accuracy"],
                          alpha=config.alpha, temperature=config.temperature,
                          student_from_logits=False, teacher_from_logits=False)
        if fresh:
            dlrandom.set_seed(config.seed)  # the same batches as the student alone
        history = distiller.fit(x, y, callbacks=[StudentCallback(c) for c in run.callbacks],
                                initial_epoch=run.initial_epoch, **fit)

        # 4. The same student alone: same initial weights (a resumed run: seeded ones).
        print("[2/3] the same student alone on the labels")
        dlrandom.set_seed(config.seed)
        alone = build_student(config)
        if fresh:
            alone.set_weights(initial)
        dlrandom.set_seed(config.seed)
        alone.fit(x, y, **fit)

        # 5. Compare on the test set.
        results = {}
        for label, model in (("distilled", student), ("alone", alone),
                             ("teacher", teacher)):
            logs = model.evaluate(*data.test, batch_size=256, verbose=0, return_dict=True)
            results[f"{label}_test_accuracy"] = logs["accuracy"]
        results["student_weights"] = student.count_params()
        results["teacher_weights"] = teacher.count_params()
        print(f"[3/3] test accuracy: distilled {results['distilled_test_accuracy']:.4f}, "
              f"alone {results['alone_test_accuracy']:.4f}, teacher "
              f"{results['teacher_test_accuracy']:.4f}")
        record_extra(run, results)
        return history
