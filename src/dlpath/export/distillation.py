"""Knowledge distillation (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a
Neural Network", arXiv:1503.02531): a small student learns from a trained teacher's
temperature-softened predictions as well as from the labels.

With student logits z_s, teacher logits z_t, labels y, temperature T and weight alpha:

.. math::

    L = \\alpha \\, \\mathrm{CE}(y, \\mathrm{softmax}(z_s))
        + (1 - \\alpha) \\, T^2 \\, \\mathrm{KL}\\big(\\mathrm{softmax}(z_t / T) \\,\\|\\,
          \\mathrm{softmax}(z_s / T)\\big)

averaged over the batch. The soft term's gradient with respect to z_s is
T (softmax(z_s/T) - softmax(z_t/T)): without the T^2 its size would shrink as 1/T^2, so
T^2 keeps the two terms' balance the same whatever the temperature (the paper's advice).
`Distiller` is the Keras "knowledge distillation" example's model: it trains the student
with this loss and evaluates it.

Models that end in a softmax give probabilities p; their logits are recovered exactly from
the softmax op that produced p when there is one (training), else as log p, which differs
from the logits by a constant per row, and softmax ignores such constants.
"""

from __future__ import annotations

import numbers

import numpy as np

from dlpath.callbacks import Callback
from dlpath.engine import Tensor, no_grad
from dlpath.engine.activations import Softmax
from dlpath.engine.losses import sparse_categorical_crossentropy
from dlpath.engine.ops import clip, log
from dlpath.engine.ops import sum as reduce_sum
from dlpath.metrics import Mean
from dlpath.models.model import Model
from dlpath.models.packing import unpack_x_y_sample_weight

TINY = 1e-30  # probabilities are clipped here before log p: log(0) would be -inf


def logits_of(outputs, from_logits: bool):
    """The logits behind ``outputs`` (themselves when ``from_logits``)."""
    if from_logits:
        return outputs
    op = outputs._op
    if isinstance(op, Softmax) and op.inputs and op.axis in (-1, outputs.ndim - 1):
        return op.inputs[0]
    return log(clip(outputs, TINY, 1.0))


def soft_target_loss(student_logits, teacher_logits, temperature: float):
    """T^2 mean_batch KL(softmax(z_t/T) || softmax(z_s/T)), the KL summed over classes:

        KL(p || q) = sum_c p_c (log p_c - log q_c)
    """
    log_p = (teacher_logits / temperature).log_softmax(axis=-1)  # (B, C)
    log_q = (student_logits / temperature).log_softmax(axis=-1)  # (B, C)
    kl = reduce_sum(log_p.exp() * (log_p - log_q), axis=-1)  # (B,)
    return kl.mean() * (temperature ** 2)


def distillation_loss(y_true, student_logits, teacher_logits, alpha: float = 0.1,
                      temperature: float = 3.0):
    """``(total, student_loss, soft_loss)``: the loss of the module docstring, its label
    term mean_batch CE(y, softmax(z_s)) and its soft term (`soft_target_loss`).

    ``y_true`` holds class indices.
    """
    student_loss = sparse_categorical_crossentropy(y_true, student_logits,
                                                   from_logits=True).mean()
    soft = soft_target_loss(student_logits, teacher_logits, temperature)
    return alpha * student_loss + (1.0 - alpha) * soft, student_loss, soft


def _check(alpha, temperature) -> tuple:
    for name, value in (("alpha", alpha), ("temperature", temperature)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"Distiller.compile: {name} must be a number, got "
                            f"{type(value).__name__}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"Distiller.compile: alpha must lie in [0, 1], got {alpha}")
    if temperature <= 0:
        raise ValueError(f"Distiller.compile: temperature must be positive, got "
                         f"{temperature}")
    return float(alpha), float(temperature)


class Distiller(Model):
    """Train ``student`` from ``teacher`` (which is not trained) and the labels.

    ``compile(optimizer, metrics, alpha=0.1, temperature=3.0, student_from_logits=True,
    teacher_from_logits=True)``: the flags say whether each model outputs logits (False:
    probabilities, e.g. a softmax layer last). The logs hold ``loss`` (the total),
    ``student_loss`` (the label term), ``distillation_loss`` (the soft term, T^2 included)
    and the metrics of the student's outputs. ``predict`` and ``call`` are the student's;
    save the student, not the distiller.
    """

    def __init__(self, student, teacher, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(student, Model) or not isinstance(teacher, Model):
            raise TypeError(f"Distiller: student and teacher must be models, got "
                            f"{type(student).__name__} and {type(teacher).__name__}")
        self.student, self.teacher = student, teacher
        self.alpha, self.temperature = 0.1, 3.0
        self.student_from_logits = self.teacher_from_logits = True
        self._student_loss_tracker = Mean(name="student_loss")
        self._distillation_loss_tracker = Mean(name="distillation_loss")

    def compile(self, optimizer="adam", metrics=None, alpha: float = 0.1,
                temperature: float = 3.0, student_from_logits: bool = True,
                teacher_from_logits: bool = True, **kwargs):
        """The optimizer (of the student's weights), the student's metrics and the loss's
        alpha and temperature."""
        self.alpha, self.temperature = _check(alpha, temperature)
        self.student_from_logits = bool(student_from_logits)
        self.teacher_from_logits = bool(teacher_from_logits)
        super().compile(optimizer=optimizer, metrics=metrics, **kwargs)

    def call(self, inputs, training=False):
        return self.student(inputs, training=training)

    @property
    def metrics(self) -> list:
        trackers = super().metrics
        if not trackers:
            return []
        return (trackers[:1] + [self._student_loss_tracker, self._distillation_loss_tracker]
                + trackers[1:])

    def _losses(self, x, y, training: bool):
        """The student's outputs and the three losses on the batch ``(x, y)``."""
        with no_grad():
            teacher = self.teacher(x, training=False)
        teacher_logits = Tensor(logits_of(teacher, self.teacher_from_logits).data)
        outputs = self.student(x, training=training)
        student_logits = logits_of(outputs, self.student_from_logits)
        losses = distillation_loss(y, student_logits, teacher_logits, self.alpha,
                                   self.temperature)
        return outputs, losses

    def _logs(self, losses, y, outputs, batch: int) -> dict:
        total, student_loss, soft = losses
        for tracker, value in ((self._loss_tracker, total),
                               (self._student_loss_tracker, student_loss),
                               (self._distillation_loss_tracker, soft)):
            tracker.update_state(float(value.data), sample_weight=batch)
        self.compiled_metrics.update_state(y, np.asarray(outputs.data))
        return self.get_metrics_result()

    def train_step(self, data) -> dict:
        """Teacher forward (no graph), student forward, the loss, one optimizer step."""
        x, y, _ = unpack_x_y_sample_weight(data)
        outputs, losses = self._losses(x, y, training=True)
        total = losses[0]
        for penalty in self.student.losses:  # the student's regularizers, if any
            total = total + penalty
        variables = self.student.trainable_weights
        total.backward()
        self.optimizer.apply([v.grad for v in variables], variables)
        self.optimizer.zero_grad(variables)
        return self._logs(losses, y, outputs, len(outputs.data))

    def test_step(self, data) -> dict:
        x, y, _ = unpack_x_y_sample_weight(data)
        with no_grad():
            outputs, losses = self._losses(x, y, training=False)
        return self._logs(losses, y, outputs, len(outputs.data))


class StudentCallback(Callback):
    """Runs ``callback`` in a `Distiller`'s ``fit`` as if the student were trained alone:
    its model is the student (a checkpoint saves the student), and a stop that it asks for
    (``stop_training``) stops the distiller."""

    def __init__(self, callback):
        super().__init__()
        self.callback = callback

    def set_model(self, model):
        super().set_model(model)
        self.callback.set_model(model.student if isinstance(model, Distiller) else model)

    def set_params(self, params):
        super().set_params(params)
        self.callback.set_params(params)

    def _run(self, hook: str, *args) -> None:
        getattr(self.callback, hook)(*args)
        watched = self.callback.model
        if watched is not self.model and getattr(watched, "stop_training", False):
            self.model.stop_training = True

    def on_train_begin(self, logs=None):
        self._run("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._run("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._run("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._run("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._run("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._run("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._run("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._run("on_test_end", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._run("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._run("on_test_batch_end", batch, logs)


__all__ = ["Distiller", "StudentCallback", "distillation_loss", "soft_target_loss",
           "logits_of"]
