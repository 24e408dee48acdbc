r"""`DistributedOptimizer`: an optimizer whose updates use the gradient averaged over ranks.

``DistributedOptimizer(Adam(1e-3))`` is an ``Adam`` (same class name, config and state, so a
model saved with it loads as a plain ``Adam`` and resumes under any number of workers)
whose `apply` first all-reduces the gradients in buckets (`buckets`):

.. math:: \bar g = \frac{\sum_r w_r g_r}{\sum_r w_r}, \qquad
          \theta \leftarrow \mathrm{update}(\theta, \bar g)

with :math:`w_r` the number of samples of rank r in the step (1 each outside ``fit``).
Every rank applies the same :math:`\bar g` to the same weights, so the weights stay equal
on every rank without being sent again. Clipping, weight decay and schedules act on
:math:`\bar g`, as in one process on the global batch.

A model compiled with it trains data-parallel in ``fit`` (see `data_parallel.DataParallel`):
``batch_size`` is the GLOBAL batch, split across the ranks.
"""

from __future__ import annotations

from dlpath.distributed.buckets import DEFAULT_BUCKET_BYTES
from dlpath.distributed.context import init
from dlpath.distributed.data_parallel import DataParallel

_CLASSES: dict = {}


class _DataParallelUpdates:
    """Mixed in before an optimizer's class: `apply` averages the gradients first."""

    data_parallel: DataParallel

    def apply(self, grads, variables=None) -> None:
        grads = list(grads)
        targets = list(variables) if variables is not None else getattr(self, "_variables",
                                                                        None)
        if targets is None:
            return super().apply(grads, variables)  # the base class's error for this case
        grads = self.data_parallel.average_gradients(grads, targets)
        return super().apply(grads, variables)


def _data_parallel_class(cls: type) -> type:
    """``cls`` with `_DataParallelUpdates` mixed in, named as ``cls`` (one per class)."""
    if cls not in _CLASSES:
        _CLASSES[cls] = type(cls.__name__, (_DataParallelUpdates, cls),
                             {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                              "__doc__": cls.__doc__})
    return _CLASSES[cls]


def is_distributed_optimizer(optimizer) -> bool:
    return isinstance(optimizer, _DataParallelUpdates)


def DistributedOptimizer(optimizer, bucket_bytes: int = DEFAULT_BUCKET_BYTES,
                         context=None):
    """``optimizer`` (an `Optimizer` or a name) averaging its gradients over the ranks.

    Args:
        optimizer: an optimizer instance (its state, if built, is kept) or a name.
        bucket_bytes: the largest buffer of one all-reduce (16 MiB by default).
        context: the `Context` (default: `init()`).

    Returns:
        a new optimizer object of the same class name sharing ``optimizer``'s settings and
        state arrays; use it instead of ``optimizer``. Under one process it behaves exactly
        as ``optimizer``.
    """
    from dlpath import optimizers

    if isinstance(bucket_bytes, bool) or not isinstance(bucket_bytes, int) or bucket_bytes < 1:
        raise ValueError(f"DistributedOptimizer: bucket_bytes must be a positive integer "
                         f"(bytes), got {bucket_bytes!r}")
    optimizer = optimizers.get(optimizer)
    if is_distributed_optimizer(optimizer):
        return optimizer
    wrapped = object.__new__(_data_parallel_class(type(optimizer)))
    wrapped.__dict__.update(optimizer.__dict__)
    wrapped.data_parallel = DataParallel(context or init(), bucket_bytes)
    return wrapped
