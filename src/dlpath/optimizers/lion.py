"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"), Keras 3's
form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Lion(Optimizer):
    r"""Lion ("EvoLved Sign Momentum"): the sign of an interpolated momentum.

    .. math::
        \theta &\leftarrow \theta - \eta \operatorname{sign}(\beta_1 m + (1 - \beta_1) g) \\
        m &\leftarrow \beta_2 m + (1 - \beta_2) g

    Every coordinate moves by exactly :math:`\eta` (or 0), so a good rate is typically
    3-10x smaller than AdamW's, and ``weight_decay`` 3-10x larger.

    Args:
        learning_rate: :math:`\eta`, a float, schedule or callable (default 0.001).
        beta_1: interpolation between momentum and gradient, in (0, 1] (default 0.9).
        beta_2: decay of the momentum :math:`m` (default 0.99).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), beta_1=0.9, beta_2=0.99,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="lion", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        # beta_1 = 0 would make Lion plain sign SGD, which Keras refuses too.
        self.beta_1 = check_hyperparameter(owner, "beta_1", beta_1, low=0.0, high=1.0,
                                           low_open=True)
        self.beta_2 = check_hyperparameter(owner, "beta_2", beta_2, low=0.0, high=1.0)

    def build(self, variables) -> None:
        super().build(variables)
        self._m = self.add_optimizer_variables(self._variables, "momentum")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        m, work = self._m[i], self._work[i]
        np.multiply(m, self.beta_1, out=work)         # theta -= eta sign(b1 m + (1 - b1) g)
        work += (1.0 - self.beta_1) * gradient
        np.sign(work, out=work)
        work *= learning_rate
        variable.data -= work
        m *= self.beta_2                              # m = b2 m + (1 - b2) g
        m += (1.0 - self.beta_2) * gradient

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
