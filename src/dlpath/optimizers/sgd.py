"""Stochastic gradient descent with (Nesterov) momentum, Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class SGD(Optimizer):
    r"""Gradient descent, with momentum (Polyak, 1964) or Nesterov momentum (Sutskever et al.,
    2013, "On the importance of initialization and momentum in deep learning").

    .. math::
        \text{plain:}\quad & \theta \leftarrow \theta - \eta g \\
        \text{momentum:}\quad & u \leftarrow \mu u - \eta g, \quad \theta \leftarrow \theta + u \\
        \text{Nesterov:}\quad & u \leftarrow \mu u - \eta g, \quad
            \theta \leftarrow \theta + \mu u - \eta g

    Keras' velocity :math:`u` includes the learning rate. PyTorch's ``torch.optim.SGD``
    (``dampening=0``) keeps :math:`b \leftarrow \mu b + g` and steps
    :math:`\theta \leftarrow \theta - \eta b` (Nesterov: :math:`- \eta (g + \mu b)`), so
    :math:`u = -\eta b` and both give the same iterates while :math:`\eta` is constant; when
    :math:`\eta` changes, Keras' velocity keeps the old rates' steps, PyTorch rescales them.

    Args:
        learning_rate: :math:`\eta` (default 0.01).
        momentum: :math:`\mu \in [0, 1]` (default 0.0, plain gradient descent).
        nesterov: use Nesterov momentum (default False).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.01), momentum=0.0, nesterov=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="SGD", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        self.momentum = check_hyperparameter("SGD", "momentum", momentum, low=0.0, high=1.0)
        self.nesterov = bool(nesterov)

    def build(self, variables) -> None:
        super().build(variables)
        self._velocities = []
        if self.momentum != 0:
            self._velocities = self.add_optimizer_variables(self._variables, "momentum")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        work = self._work[i]
        np.multiply(gradient, learning_rate, out=work)    # eta g
        if self.momentum == 0:
            variable.data -= work
            return
        u = self._velocities[i]
        u *= self.momentum                                # u = mu u - eta g
        u -= work
        if self.nesterov:                                 # theta += mu u - eta g
            variable.data -= work
            np.multiply(u, self.momentum, out=work)
            variable.data += work
        else:                                             # theta += u
            variable.data += u

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
