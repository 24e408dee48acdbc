"""Nadam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Nadam(Optimizer):
    r"""Nadam: Adam with Nesterov momentum and Dozat's momentum schedule.

    At step :math:`t = \text{iterations} + 1`, with the schedule
    :math:`\mu_t = \beta_1 (1 - \tfrac12\, 0.96^{t})` and its running product
    :math:`\Pi_t = \prod_{s \le t} \mu_s`:

    .. math::
        m &\leftarrow m + (1 - \beta_1)(g - m) \\
        v &\leftarrow v + (1 - \beta_2)(g^2 - v) \\
        \hat m &= \frac{\mu_{t+1}\, m}{1 - \Pi_t \mu_{t+1}} + \frac{(1 - \mu_t)\, g}{1 - \Pi_t}
        \\
        \theta &\leftarrow \theta - \eta\, \hat m / (\sqrt{v / (1 - \beta_2^t)} + \epsilon)

    This is PyTorch's ``torch.optim.NAdam`` with ``momentum_decay=1`` (PyTorch's schedule
    is :math:`0.96^{t \psi}` with :math:`\psi` = ``momentum_decay``, default 0.004; Keras'
    is :math:`0.96^t`). :math:`\Pi_t` is a function of ``iterations``, so it needs no state
    of its own.

    Args:
        learning_rate: :math:`\eta`, a float, schedule or callable (default 0.001).
        beta_1: :math:`\beta_1` (default 0.9).
        beta_2: decay of the second moment :math:`v` (default 0.999).
        epsilon: :math:`\epsilon` (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="nadam", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.beta_1 = check_hyperparameter(owner, "beta_1", beta_1, low=0.0, high=1.0,
                                           high_open=True)
        self.beta_2 = check_hyperparameter(owner, "beta_2", beta_2, low=0.0, high=1.0,
                                           high_open=True)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)
        self._product = (0, 1.0)                      # (t, Pi_t), extended one step at a time

    def _mu(self, t: int) -> float:
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** t)

    def _mu_product(self, t: int) -> float:
        """:math:`\\Pi_t = \\prod_{s=1}^t \\mu_s`."""
        known, value = self._product
        if known > t:
            known, value = 0, 1.0
        for s in range(known + 1, t + 1):
            value *= self._mu(s)
        self._product = (t, value)
        return value

    def build(self, variables) -> None:
        super().build(variables)
        self._m = self.add_optimizer_variables(self._variables, "momentum")
        self._v = self.add_optimizer_variables(self._variables, "velocity")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        m, v, work = self._m[i], self._v[i], self._work[i]
        t = self.iterations + 1
        mu_t, mu_next = self._mu(t), self._mu(t + 1)
        product = self._mu_product(t)
        momentum_weight = mu_next / (1.0 - product * mu_next)
        gradient_weight = (1.0 - mu_t) / (1.0 - product)

        np.subtract(gradient, m, out=work)            # m += (1 - b1) (g - m)
        work *= 1.0 - self.beta_1
        m += work
        np.square(gradient, out=work)                 # v += (1 - b2) (g^2 - v)
        work -= v
        work *= 1.0 - self.beta_2
        v += work
        np.multiply(v, 1.0 / (1.0 - self.beta_2 ** t), out=work)   # sqrt(v_hat) + eps
        np.sqrt(work, out=work)
        work += self.epsilon
        m_hat = momentum_weight * m + gradient_weight * gradient
        m_hat /= work
        m_hat *= learning_rate
        variable.data -= m_hat

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config

