"""Adamax (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization", sec. 7.1),
Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Adamax(Optimizer):
    r"""Adamax: Adam with the infinity norm in place of the second moment.

    At step :math:`t = \text{iterations} + 1`, for gradient :math:`g`:

    .. math::
        m &\leftarrow m + (1 - \beta_1)(g - m) \\
        u &\leftarrow \max(\beta_2 u, |g|) \\
        \theta &\leftarrow \theta - \frac{\eta}{1 - \beta_1^t} \frac{m}{u + \epsilon}

    PyTorch's ``torch.optim.Adamax`` puts its ``eps`` inside the maximum,
    :math:`u \leftarrow \max(\beta_2 u, |g| + \epsilon)`, and divides by :math:`u` alone;
    the two coincide as :math:`\epsilon \to 0`.

    Args:
        learning_rate: :math:`\eta`, a float, schedule or callable (default 0.001).
        beta_1: decay of the first moment :math:`m` (default 0.9).
        beta_2: decay of the infinity norm :math:`u` (default 0.999).
        epsilon: :math:`\epsilon` (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adamax", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.beta_1 = check_hyperparameter(owner, "beta_1", beta_1, low=0.0, high=1.0,
                                           high_open=True)
        self.beta_2 = check_hyperparameter(owner, "beta_2", beta_2, low=0.0, high=1.0)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)

    def build(self, variables) -> None:
        super().build(variables)
        self._m = self.add_optimizer_variables(self._variables, "momentum")
        self._u = self.add_optimizer_variables(self._variables, "norm")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        m, u, work = self._m[i], self._u[i], self._work[i]
        t = self.iterations + 1
        step = learning_rate / (1.0 - self.beta_1 ** t)

        np.subtract(gradient, m, out=work)            # m += (1 - b1) (g - m)
        work *= 1.0 - self.beta_1
        m += work
        u *= self.beta_2                              # u = max(b2 u, |g|)
        np.abs(gradient, out=work)
        np.maximum(u, work, out=u)
        np.add(u, self.epsilon, out=work)             # theta -= step m / (u + eps)
        np.divide(m, work, out=work)
        work *= step
        variable.data -= work

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
