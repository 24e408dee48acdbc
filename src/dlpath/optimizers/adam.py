"""Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), Keras 3's form."""

from __future__ import annotations

import math

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


class Adam(Optimizer):
    r"""Adam, with the AMSGrad variant (Reddi et al., 2018, "On the Convergence of Adam").

    At step :math:`t = \text{iterations} + 1`, for gradient :math:`g`:

    .. math::
        m &\leftarrow m + (1 - \beta_1)(g - m) \\
        v &\leftarrow v + (1 - \beta_2)(g^2 - v) \\
        \hat v &\leftarrow \max(\hat v, v) \quad \text{(amsgrad; then } v := \hat v) \\
        \alpha_t &= \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \\
        \theta &\leftarrow \theta - \alpha_t\, m / (\sqrt{v} + \hat\epsilon)

    Keras folds both bias corrections into the step size :math:`\alpha_t` and adds
    :math:`\hat\epsilon` to :math:`\sqrt{v}` — the "epsilon hat" of Kingma & Ba, sec. 2 (just
    before sec. 2.1). PyTorch's ``torch.optim.Adam`` bias-corrects first and adds its
    :math:`\epsilon` after: :math:`\theta \leftarrow \theta - \eta \hat m / (\sqrt{\hat v} +
    \epsilon)`. The two agree when :math:`\hat\epsilon = \epsilon \sqrt{1 - \beta_2^t}`, so
    they coincide as :math:`\epsilon \to 0`; Keras' default ``epsilon=1e-7`` weighs a little
    more than PyTorch's ``eps=1e-7`` early in training. ``beta_1, beta_2`` are PyTorch's
    ``betas``.

    Args:
        learning_rate: :math:`\eta`, a float, schedule or callable (default 0.001).
        beta_1: decay of the first moment :math:`m` (default 0.9).
        beta_2: decay of the second moment :math:`v` (default 0.999).
        epsilon: :math:`\hat\epsilon` (default 1e-7).
        amsgrad: use the running maximum :math:`\hat v` of :math:`v` (default False).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="adam", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.beta_1 = check_hyperparameter(owner, "beta_1", beta_1, low=0.0, high=1.0,
                                           high_open=True)
        self.beta_2 = check_hyperparameter(owner, "beta_2", beta_2, low=0.0, high=1.0,
                                           high_open=True)
        self.epsilon = check_hyperparameter(owner, "epsilon", epsilon, low=0.0)
        self.amsgrad = bool(amsgrad)

    def build(self, variables) -> None:
        super().build(variables)
        self._m = self.add_optimizer_variables(self._variables, "m")
        self._v = self.add_optimizer_variables(self._variables, "v")
        self._v_hat = []
        if self.amsgrad:
            self._v_hat = self.add_optimizer_variables(self._variables, "v_hat")

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        m, v, work = self._m[i], self._v[i], self._work[i]
        t = self.iterations + 1
        alpha = learning_rate * math.sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)

        np.subtract(gradient, m, out=work)            # m += (1 - b1) (g - m)
        work *= 1.0 - self.beta_1
        m += work
        np.square(gradient, out=work)                 # v += (1 - b2) (g^2 - v)
        work -= v
        work *= 1.0 - self.beta_2
        v += work
        if self.amsgrad:
            v = np.maximum(self._v_hat[i], v, out=self._v_hat[i])
        np.sqrt(v, out=work)                          # theta -= alpha m / (sqrt(v) + eps)
        work += self.epsilon
        np.divide(m, work, out=work)
        work *= alpha
        variable.data -= work

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon, "amsgrad": self.amsgrad})
        return config
