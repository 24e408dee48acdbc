"""``tf.keras.optimizers.experimental`` (tf.keras 2.9-2.15): where the optimizers that are
now plain ``tf.keras.optimizers`` names first appeared. The same classes, re-exported."""

from __future__ import annotations

from dlpath.optimizers.adadelta import Adadelta
from dlpath.optimizers.adafactor import Adafactor
from dlpath.optimizers.adagrad import Adagrad
from dlpath.optimizers.adam import Adam
from dlpath.optimizers.adamax import Adamax
from dlpath.optimizers.adamw import AdamW
from dlpath.optimizers.ftrl import Ftrl
from dlpath.optimizers.lion import Lion
from dlpath.optimizers.nadam import Nadam
from dlpath.optimizers.optimizer import Optimizer
from dlpath.optimizers.rmsprop import RMSprop
from dlpath.optimizers.sgd import SGD

__all__ = ["Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "Ftrl", "Lion",
           "Nadam", "Optimizer", "RMSprop", "SGD"]
