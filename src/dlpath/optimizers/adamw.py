"""AdamW (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization")."""

from __future__ import annotations

from dlpath.optimizers.adam import Adam
from dlpath.optimizers.optimizer import DefaultLearningRate


class AdamW(Adam):
    r"""Adam with decoupled weight decay (default :math:`\lambda` = 0.004, as Keras 3).

    Before each Adam update (see `Adam`), every variable not excluded with
    ``exclude_from_weight_decay`` shrinks:

    .. math::
        \theta \leftarrow \theta - \eta_t \lambda \theta

    which is PyTorch's ``torch.optim.AdamW`` decay step (``weight_decay`` = :math:`\lambda`,
    PyTorch's default 0.01); the Adam step differs from PyTorch's only in where epsilon sits
    (see `Adam`).
    """

    def __init__(self, learning_rate=DefaultLearningRate(0.001), weight_decay=0.004,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="adamw", **legacy):
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a number >= 0, got None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **legacy)
