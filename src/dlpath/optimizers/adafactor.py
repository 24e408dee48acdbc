"""Adafactor (Shazeer & Stern, 2018, "Adafactor: Adaptive Learning Rates with Sublinear
Memory Cost"), Keras 3's form."""

from __future__ import annotations

import math

import numpy as np

from dlpath.optimizers.optimizer import DefaultLearningRate, Optimizer, check_hyperparameter


def _rms(x: np.ndarray) -> float:
    return math.sqrt(float(np.mean(np.square(x))))


class Adafactor(Optimizer):
    r"""Adafactor: a factored second moment (row and column means) for matrices.

    At step :math:`t = \text{iterations} + 1`, with :math:`\hat\beta_{2,t} = 1 - t^{d}`
    (:math:`d` = ``beta_2_decay``), :math:`G = g^2 + \epsilon_1`,
    :math:`\rho_t = \min(\eta, 1/\sqrt t)` and
    :math:`\alpha_t = \max(\epsilon_2, \operatorname{RMS}(\theta))\, \rho_t`:

    .. math::
        \text{rank} \ge 2:\quad
        R &\leftarrow \hat\beta_{2,t} R + (1 - \hat\beta_{2,t}) \operatorname{mean}_{-1} G,
        \quad
        C \leftarrow \hat\beta_{2,t} C + (1 - \hat\beta_{2,t}) \operatorname{mean}_{-2} G, \\
        v &= \frac{R}{\operatorname{mean}_{-1} R} \otimes C
        \quad \text{(over the last two axes)} \\
        \text{rank} < 2:\quad
        v &\leftarrow \hat\beta_{2,t} v + (1 - \hat\beta_{2,t}) G \\
        u &= g / \sqrt v, \quad
        \theta \leftarrow \theta - \alpha_t\, u / \max(1, \operatorname{RMS}(u) / c)

    with :math:`c` = ``clip_threshold``. Keras applies :math:`\rho_t` whether or not
    ``relative_step`` is set; ``relative_step`` only decides whether a constant
    :math:`\eta` is first capped at :math:`1/\sqrt t` (which :math:`\rho_t` does again), so
    it changes nothing — kept for configuration compatibility.

    Args:
        learning_rate: :math:`\eta`, a float, schedule or callable (default 0.001).
        beta_2_decay: :math:`d` (default -0.8).
        epsilon_1: :math:`\epsilon_1`, added to :math:`g^2` (default 1e-30).
        epsilon_2: :math:`\epsilon_2`, the least parameter scale (default 1e-3).
        clip_threshold: :math:`c`, the update clipping threshold (default 1.0), independent
            of ``clipnorm``, ``clipvalue`` and ``global_clipnorm``.
        relative_step: see above (default True).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name, **legacy: see `Optimizer`.
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), beta_2_decay=-0.8,
                 epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0, relative_step=True,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adafactor", **legacy):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
        owner = type(self).__name__
        self.beta_2_decay = check_hyperparameter(owner, "beta_2_decay", beta_2_decay,
                                                 high=0.0)
        self.epsilon_1 = check_hyperparameter(owner, "epsilon_1", epsilon_1, low=0.0)
        self.epsilon_2 = check_hyperparameter(owner, "epsilon_2", epsilon_2, low=0.0)
        self.clip_threshold = check_hyperparameter(owner, "clip_threshold", clip_threshold,
                                                   low=0.0, low_open=True)
        self.relative_step = bool(relative_step)

    def build(self, variables) -> None:
        super().build(variables)
        self._r = self._factor_slot("row", lambda shape: shape[:-1])
        self._c = self._factor_slot("column", lambda shape: shape[:-2] + shape[-1:])
        self._v = self.add_optimizer_variables(self._variables, "velocity")

    def _factor_slot(self, name: str, factored_shape) -> list:
        """A slot of row or column means for each variable of rank >= 2 (None otherwise)."""
        slot = self._slots.setdefault(name, [None] * len(self._variables))
        for i, variable in enumerate(self._variables):
            shape = variable.data.shape
            if len(shape) >= 2:
                slot[i] = np.zeros(factored_shape(shape), dtype=variable.data.dtype)
        return slot

    def update_step(self, gradient, variable, learning_rate) -> None:
        i = self._get_variable_index(variable)
        v, theta = self._v[i], variable.data
        t = self.iterations + 1
        rho = min(learning_rate, 1.0 / math.sqrt(t))
        alpha = max(self.epsilon_2, _rms(theta)) * rho
        squared = np.square(gradient) + self.epsilon_1           # G = g^2 + eps_1
        beta_2 = 1.0 - t ** self.beta_2_decay
        if theta.ndim >= 2:
            r, c = self._r[i], self._c[i]
            r *= beta_2
            r += (1.0 - beta_2) * squared.mean(axis=-1)          # (..., rows)
            c *= beta_2
            c += (1.0 - beta_2) * squared.mean(axis=-2)          # (..., columns)
            row_share = r / r.mean(axis=-1, keepdims=True)
            np.multiply(row_share[..., :, None], c[..., None, :], out=v)
        else:
            v *= beta_2
            v += (1.0 - beta_2) * squared
        u = gradient / np.sqrt(v)
        u /= max(1.0, _rms(u) / self.clip_threshold)
        u *= alpha
        theta -= u

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config
