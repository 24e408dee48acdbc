"""Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), Keras 3's form."""

from __future__ import annotations

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Adadelta(Optimizer):
    r"""Adadelta: steps scaled by the ratio of RMS past updates to RMS gradients (Alg. 1).

    .. math::
        E[g^2] &\leftarrow \rho E[g^2] + (1 - \rho) g^2 \\
        \Delta &= -\frac{\sqrt{E[\Delta^2] + \epsilon}}{\sqrt{E[g^2] + \epsilon}}\, g \\
        E[\Delta^2] &\leftarrow \rho E[\Delta^2] + (1 - \rho) \Delta^2 \\
        \theta &\leftarrow \theta + \eta \Delta

    This is exactly PyTorch's ``torch.optim.Adadelta`` (same :math:`\rho`, ``eps`` and
    ``lr``); only the defaults differ: Keras 3 uses ``learning_rate=0.001, epsilon=1e-7``,
    PyTorch ``lr=1.0, eps=1e-6`` (the paper's :math:`\eta = 1`).

    Args:
        learning_rate: :math:`\eta` (default 0.001).
        rho: decay :math:`\rho` (default 0.95).
        epsilon: :math:`\epsilon` (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), rho=0.95, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adadelta", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.rho = check_hyperparameter(owner, "rho", rho, low=0.0, high=1.0)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)

    def build(self, variables) -> None:
        super().build(variables)
        self._grad_averages = self.add_optimizer_variables(self._variables, "accumulated_grad")
        self._delta_averages = self.add_optimizer_variables(
            self._variables, "accumulated_delta_var")
        self._work2 = [np.empty_like(v.data) for v in self._variables]

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        grad_avg, delta_avg = self._grad_averages[i], self._delta_averages[i]
        work, work2 = self._work[i], self._work2[i]
        rho, eps = self.rho, self.epsilon
        grad_avg *= rho                                   # E[g^2] = rho E[g^2] + (1-rho) g^2
        np.square(gradient, out=work)
        work *= 1.0 - rho
        grad_avg += work
        np.add(delta_avg, eps, out=work)                  # -Delta = sqrt(E[D^2] + eps) g
        np.sqrt(work, out=work)                           #          / sqrt(E[g^2] + eps)
        work *= gradient
        np.add(grad_avg, eps, out=work2)
        np.sqrt(work2, out=work2)
        work /= work2
        delta_avg *= rho                                  # E[D^2] = rho E[D^2] + (1-rho) D^2
        np.square(work, out=work2)
        work2 *= 1.0 - rho
        delta_avg += work2
        work *= learning_rate                             # theta += eta Delta
        variable.data -= work

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
