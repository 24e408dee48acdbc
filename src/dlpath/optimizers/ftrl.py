"""FTRL-Proximal (McMahan et al., 2013, "Ad Click Prediction: a View from the Trenches"),
Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Ftrl(Optimizer):
    r"""Follow The Regularized Leader, with online L1/L2 and L2 shrinkage regularization.

    With accumulator :math:`n` (starting at ``initial_accumulator_value``), linear term
    :math:`z` (starting at 0), :math:`p` = ``learning_rate_power`` :math:`\le 0`, L1
    :math:`\lambda_1`, L2 :math:`\lambda_2' = \lambda_2 + \beta / (2\eta)` and shrinkage
    :math:`\lambda_s`:

    .. math::
        \tilde g &= g + 2 \lambda_s \theta \\
        n' &= n + g^2 \\
        z &\leftarrow z + \tilde g - \frac{n'^{-p} - n^{-p}}{\eta}\, \theta \\
        \theta &\leftarrow \frac{\operatorname{clip}(z, -\lambda_1, \lambda_1) - z}
                                {n'^{-p} / \eta + 2 \lambda_2'} \\
        n &\leftarrow n'

    so :math:`\theta = 0` wherever :math:`|z| \le \lambda_1` (sparsity).

    Args:
        learning_rate: :math:`\eta > 0`, a float, schedule or callable (default 0.001).
        learning_rate_power: :math:`p \le 0` (default -0.5; 0 is a fixed rate).
        initial_accumulator_value: :math:`n_0 \ge 0` (default 0.1).
        l1_regularization_strength: :math:`\lambda_1 \ge 0` (default 0).
        l2_regularization_strength: :math:`\lambda_2 \ge 0` (default 0).
        l2_shrinkage_regularization_strength: :math:`\lambda_s \ge 0` (default 0).
        beta: :math:`\beta` of the paper (default 0).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="ftrl", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.learning_rate_power = check_hyperparameter(
            owner, "learning_rate_power", learning_rate_power, high=0.0)
        self.initial_accumulator_value = check_hyperparameter(
            owner, "initial_accumulator_value", initial_accumulator_value, low=0.0)
        self.l1_regularization_strength = check_hyperparameter(
            owner, "l1_regularization_strength", l1_regularization_strength, low=0.0)
        self.l2_regularization_strength = check_hyperparameter(
            owner, "l2_regularization_strength", l2_regularization_strength, low=0.0)
        self.l2_shrinkage_regularization_strength = check_hyperparameter(
            owner, "l2_shrinkage_regularization_strength",
            l2_shrinkage_regularization_strength, low=0.0)
        self.beta = check_hyperparameter(owner, "beta", beta, low=0.0)

    def build(self, variables) -> None:
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            self._variables, "accumulator", self.initial_accumulator_value)
        self._linears = self.add_optimizer_variables(self._variables, "linear")

    def update_step(self, gradient, variable, learning_rate) -> None:
        if learning_rate <= 0.0:
            raise ValueError(f"{type(self).__name__}: the learning rate must be > 0 (FTRL "
                             f"divides by it), got {learning_rate}")
        i = self._get_variable_index(variable)
        n, z, theta = self._accumulators[i], self._linears[i], variable.data
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)

        new_n = n + np.square(gradient)
        new_n_power = np.power(new_n, power)
        sigma = (new_n_power - np.power(n, power)) / learning_rate
        z += gradient + (2.0 * self.l2_shrinkage_regularization_strength) * theta - sigma * theta
        quadratic = new_n_power / learning_rate + 2.0 * l2
        np.divide(np.clip(z, -l1, l1) - z, quadratic, out=theta)
        np.copyto(n, new_n)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
