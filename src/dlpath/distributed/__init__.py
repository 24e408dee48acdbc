"""Data-parallel training on MPI: ``mpiexec -n 4 python train.py`` (as Horovod is used).

::

    from dlpath import distributed, keras

    context = distributed.init()              # rank, size, local_rank (0, 1, 0 alone)
    model.compile(optimizer=distributed.DistributedOptimizer(keras.optimizers.Adam()),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=256)           # the GLOBAL batch: 256 / size rows per rank
    if context.is_root:
        model.save("model.keras")

In a custom loop: ``distributed.broadcast_weights(model)`` once, then each step
``optimizer.apply(grads, variables)`` with a DistributedOptimizer averages the gradients
(equally over the ranks: give each rank as many rows).

The same script runs as one process (``python train.py``): ``init()`` is then rank 0 of 1
and mpi4py is not imported. See `data_parallel` for what a step does and what is exact,
`buckets` and `collectives` for the communication and its cost, `launch` for how
``dlpath train --workers N`` starts mpiexec. mpi4py is imported only inside functions.
"""

from dlpath.distributed.buckets import DEFAULT_BUCKET_BYTES, Buckets
from dlpath.distributed.context import Context, init, under_launcher
from dlpath.distributed.data_parallel import DataParallel, broadcast_weights, shard_rows
from dlpath.distributed.optimizer import DistributedOptimizer, is_distributed_optimizer

__all__ = [
    "Context", "init", "under_launcher", "DistributedOptimizer", "is_distributed_optimizer",
    "broadcast_weights", "DataParallel", "Buckets", "DEFAULT_BUCKET_BYTES", "shard_rows",
]
