"""``tf.keras.optimizers.legacy`` (tf.keras 2.11+): the same classes under their old home.

tf.keras 2.11 moved the optimizers of tf.keras <= 2.10 here and gave the new ones the plain
names. dlpath has one implementation of each, Keras 3's, so ``legacy.Adam`` *is*
``optimizers.Adam``. The legacy spellings it needs are accepted by every dlpath optimizer:
``lr=`` (the learning rate) and ``decay=`` (time-based decay,
:math:`\\eta_t = \\eta / (1 + \\text{decay} \\cdot t)`), each with a one-time warning that
names the current spelling. Updates follow Keras 3's formulas, which for these optimizers
are those of tf.keras 2's legacy classes (Keras 3 dropped only their ``amsgrad`` quirks of
sparse updates and ``epsilon`` placement of tf.keras 1).
"""

from __future__ import annotations

from dlpath.optimizers.adadelta import Adadelta
from dlpath.optimizers.adagrad import Adagrad
from dlpath.optimizers.adam import Adam
from dlpath.optimizers.adamax import Adamax
from dlpath.optimizers.ftrl import Ftrl
from dlpath.optimizers.nadam import Nadam
from dlpath.optimizers.optimizer import Optimizer
from dlpath.optimizers.rmsprop import RMSprop
from dlpath.optimizers.sgd import SGD

__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop",
           "SGD"]
