"""RMSprop (Hinton, 2012, Coursera "Neural Networks for Machine Learning", lecture 6e)."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class RMSprop(Optimizer):
    r"""RMSprop, optionally centered (Graves, 2013, "Generating Sequences With Recurrent
    Neural Networks", eq. 38-41) and with momentum. Keras 3's form:

    .. math::
        v &\leftarrow \rho v + (1 - \rho) g^2 \\
        \bar g &\leftarrow \rho \bar g + (1 - \rho) g \quad \text{(centered)} \\
        \Delta &= \eta\, g / \sqrt{v - \bar g^2 + \epsilon}
            \quad (\bar g = 0 \text{ unless centered}) \\
        u &\leftarrow \mu u + \Delta, \quad \theta \leftarrow \theta - u
            \quad (\text{or } \theta \leftarrow \theta - \Delta \text{ when } \mu = 0)

    Keras puts :math:`\epsilon` inside the square root; PyTorch's ``torch.optim.RMSprop``
    (``alpha`` = :math:`\rho`) adds it outside, :math:`g / (\sqrt{v - \bar g^2} + \epsilon)`,
    and keeps its momentum buffer without :math:`\eta` (:math:`u = \eta b`, the same iterates
    for a constant rate). The two coincide as :math:`\epsilon \to 0`.

    Args:
        learning_rate: :math:`\eta` (default 0.001).
        rho: decay :math:`\rho` of the moving averages (default 0.9).
        momentum: :math:`\mu` (default 0.0).
        epsilon: :math:`\epsilon` (default 1e-7).
        centered: normalise by the estimated variance instead of the second moment.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), rho=0.9, momentum=0.0,
                 epsilon=1e-7, centered=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="rmsprop", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.rho = check_hyperparameter(owner, "rho", rho, low=0.0, high=1.0)
        self.momentum = check_hyperparameter(owner, "momentum", momentum, low=0.0, high=1.0)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)
        self.centered = bool(centered)

    def build(self, variables) -> None:
        super().build(variables)
        self._velocities = self.add_optimizer_variables(self._variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(self._variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(
                self._variables, "average_gradient")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        v, work = self._velocities[i], self._work[i]
        rho = self.rho
        v *= rho                                          # v = rho v + (1 - rho) g^2
        np.square(gradient, out=work)
        work *= 1.0 - rho
        v += work
        if self.centered:
            average = self._average_gradients[i]          # g_bar = rho g_bar + (1 - rho) g
            average *= rho
            np.multiply(gradient, 1.0 - rho, out=work)
            average += work
            np.square(average, out=work)                  # v - g_bar^2 + eps
            np.subtract(v, work, out=work)
            work += self.epsilon
        else:
            np.add(v, self.epsilon, out=work)             # v + eps
        np.sqrt(work, out=work)                           # Delta = eta g / sqrt(...)
        np.divide(gradient, work, out=work)
        work *= learning_rate
        if self.momentum > 0:
            u = self._momentums[i]                        # u = mu u + Delta
            u *= self.momentum
            u += work
            variable.data -= u
        else:
            variable.data -= work

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
