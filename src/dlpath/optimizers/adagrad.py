"""Adagrad (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for Online Learning
and Stochastic Optimization"), Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Adagrad(Optimizer):
    r"""Adagrad: per-parameter rates shrinking with the accumulated squared gradients.

    .. math::
        a &\leftarrow a + g^2 \qquad (a_0 = \text{initial\_accumulator\_value}) \\
        \theta &\leftarrow \theta - \eta\, g / \sqrt{a + \epsilon}

    Keras puts :math:`\epsilon` inside the square root and starts the accumulator at 0.1;
    PyTorch's ``torch.optim.Adagrad`` adds ``eps`` outside, :math:`g / (\sqrt{a} + \epsilon)`,
    and starts at ``initial_accumulator_value=0``. With the same start value they coincide as
    :math:`\epsilon \to 0` (PyTorch's ``lr_decay=0``).

    Args:
        learning_rate: :math:`\eta` (default 0.001; the paper's form uses 1.0).
        initial_accumulator_value: :math:`a_0 \ge 0` (default 0.1).
        epsilon: :math:`\epsilon` (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), initial_accumulator_value=0.1,
                 epsilon=1e-7, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adagrad", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.initial_accumulator_value = check_hyperparameter(
            owner, "initial_accumulator_value", initial_accumulator_value, low=0.0)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)

    def build(self, variables) -> None:
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            self._variables, "accumulator", self.initial_accumulator_value)

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        a, work = self._accumulators[i], self._work[i]
        np.square(gradient, out=work)                     # a += g^2
        a += work
        np.add(a, self.epsilon, out=work)                 # theta -= eta g / sqrt(a + eps)
        np.sqrt(work, out=work)
        np.divide(gradient, work, out=work)
        work *= learning_rate
        variable.data -= work

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
