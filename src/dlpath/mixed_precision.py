"""``keras.mixed_precision``: dtype policies, accepted and run in full precision.

tf.keras 2 trains in ``"mixed_float16"`` (float16 compute, float32 variables) on GPUs and
``"mixed_bfloat16"`` on TPUs. dlpath runs on the CPU with NumPy, where half precision is
slower, not faster, and bfloat16 does not exist; so a mixed or half-precision policy is
accepted, computes in float32, and says so once with a `MixedPrecisionWarning`. Code
written for mixed precision therefore runs unchanged, and its results are those of
float32 training.

- `Policy(name)`: ``name``, ``compute_dtype`` and ``variable_dtype`` as tf.keras reports
  them; passed as a layer's ``dtype=`` it gives the layer the dtype dlpath computes in
  (``Policy.dtype``: float32, or float64 for ``Policy("float64")``).
- `set_global_policy` / `global_policy`: the policy in force (default ``"float32"``).
  Layers compute in float32 whatever the global policy, so only policies that compute in
  float32 here may be set globally; give a layer ``dtype="float64"`` for double precision.
- `LossScaleOptimizer(optimizer)`: loss scaling guards float16 gradients against
  underflow; float32 needs none, so it returns ``optimizer`` itself, with the methods of
  tf.keras' loss-scale optimizer (``get_scaled_loss``, ``get_unscaled_gradients``) as
  identities and ``loss_scale`` 1.
"""

from __future__ import annotations

import warnings

import numpy as np

_REDUCED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32"),
            "float16": ("float16", "float16"), "bfloat16": ("bfloat16", "bfloat16")}
_FULL = ("float32", "float64")
_warned = False


class MixedPrecisionWarning(UserWarning):
    """A half-precision policy was asked for; dlpath computes in float32."""


def _warn_once(name: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"mixed precision policy {name!r}: dlpath computes in float32 on the "
                      f"CPU (NumPy has no fast half precision), so this policy is accepted "
                      f"and layers compute and keep their weights in float32",
                      MixedPrecisionWarning, stacklevel=3)


class Policy:
    """A dtype policy (tf.keras ``mixed_precision.Policy``).

    Args:
        name: ``"float32"``, ``"float64"``, ``"mixed_float16"``, ``"mixed_bfloat16"``,
            ``"float16"`` or ``"bfloat16"``.
    """

    def __init__(self, name):
        if isinstance(name, Policy):
            name = name.name
        if not isinstance(name, str):
            raise TypeError(f"Policy: name must be a string, got {type(name).__name__}")
        if name not in _REDUCED and name not in _FULL:
            raise ValueError(f"Policy: unknown policy name {name!r}; expected one of "
                             f"{sorted(_FULL + tuple(_REDUCED))}")
        self._name = name
        if name in _REDUCED:
            _warn_once(name)

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype tf.keras would compute in (dlpath computes in `dtype`)."""
        return _REDUCED[self._name][0] if self._name in _REDUCED else self._name

    @property
    def variable_dtype(self) -> str:
        """The dtype tf.keras would keep variables in (dlpath keeps them in `dtype`)."""
        return _REDUCED[self._name][1] if self._name in _REDUCED else self._name

    @property
    def dtype(self) -> np.dtype:
        """The dtype dlpath computes and stores in: float32, or float64."""
        return np.dtype("float64" if self._name == "float64" else "float32")

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __eq__(self, other) -> bool:
        return isinstance(other, Policy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<Policy "{self._name}">'


_global_policy = None


def set_global_policy(policy) -> None:
    """Set the policy in force: a `Policy`, a name, or None for ``"float32"``."""
    global _global_policy
    if policy is None:
        _global_policy = None
        return
    policy = Policy(policy)
    if policy.dtype != np.float32:
        raise ValueError(f"set_global_policy: {policy.name!r} cannot be set globally in "
                         f"dlpath, whose layers compute in float32 by default; pass "
                         f"dtype={policy.name!r} to the layers that need it")
    _global_policy = policy


def global_policy() -> Policy:
    """The policy in force (``Policy("float32")`` unless `set_global_policy` set one)."""
    return _global_policy if _global_policy is not None else Policy("float32")


def LossScaleOptimizer(inner_optimizer, dynamic=True, initial_scale=None,  # noqa: N802
                       dynamic_growth_steps=None):
    """tf.keras' loss-scale optimizer: ``inner_optimizer`` itself here (float32 gradients
    do not underflow), given ``get_scaled_loss`` and ``get_unscaled_gradients`` (both
    identities), ``inner_optimizer``, ``dynamic`` and ``loss_scale`` (1.0)."""
    from dlpath.optimizers import Optimizer

    if not isinstance(inner_optimizer, Optimizer):
        raise TypeError(f"LossScaleOptimizer: inner_optimizer must be an Optimizer, got "
                        f"{type(inner_optimizer).__name__}")
    if not isinstance(dynamic, bool):
        raise TypeError(f"LossScaleOptimizer: dynamic must be a bool, got {dynamic!r}")
    inner_optimizer.inner_optimizer = inner_optimizer
    inner_optimizer.dynamic = dynamic
    inner_optimizer.loss_scale = 1.0
    inner_optimizer.get_scaled_loss = lambda loss: loss
    inner_optimizer.get_unscaled_gradients = lambda grads: list(grads)
    return inner_optimizer


__all__ = ["Policy", "set_global_policy", "global_policy", "LossScaleOptimizer",
           "MixedPrecisionWarning"]
