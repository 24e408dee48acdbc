r"""`DataParallel`: what ``fit`` does differently on N ranks (Horovod's recipe).

Each step of ``fit`` on rank r of N:

1. The data adapter yields the GLOBAL batch of ``batch_size`` rows (every rank reads the
   same data in the same order); rank r keeps rows
   :math:`[\lfloor rn/N \rfloor, \lfloor (r+1)n/N \rfloor)` of a batch of n rows
   (`shard_rows`). The shuffles agree because rank 0's random generator state is broadcast
   at each epoch's start; after the epoch's order is drawn, ranks r > 0 jump their
   generator r times (PCG64 ``jumped``), so dropout masks differ between ranks.
2. Forward and backward on the shard; `DistributedOptimizer.apply` all-reduces the
   gradients, weighted by the shard sizes :math:`w_r`:
   :math:`\bar g = \sum_r w_r g_r / \sum_r w_r`, which is the gradient of the mean loss over
   the whole batch (regularisation terms, equal on every rank, pass through unchanged).
3. One more all-reduce (float64) carries the metrics' state changes and the non-trainable
   weights: every metric accumulator :math:`s` (sums and counts) becomes
   :math:`s + \sum_r \Delta s_r`, so the logs are those of the global batch, equal on every
   rank (callbacks such as EarlyStopping decide alike); each non-trainable float weight
   (BatchNormalization's moving statistics) becomes :math:`\sum_r w_r m_r / \sum_r w_r`.

Before the first step the weights (trainable and not) are broadcast from rank 0. Only rank
0 shows the progress bar (``verbose`` is 0 elsewhere); writing files is the caller's
choice (``dlpath train`` checkpoints and reports on rank 0 only).

BatchNormalization uses LOCAL statistics: in training each rank normalises its shard with
the shard's mean and variance (as Horovod and tf.distribute do without SyncBatchNorm). The
result is exactly "ghost batch normalisation" with ghost batches of the shard size: the
gradient is the weighted average of the per-shard gradients. It is NOT the same as one
process normalising the whole global batch. The moving mean after the averaging of step 3
is exactly the moving mean of the global batch (the average of the shard means is the
batch mean); the moving variance is the average of the shard variances, which lacks the
spread between the shard means (smaller by :math:`\frac{1}{N}\sum_r(\mu_r - \mu)^2`).
Without BatchNormalization, N ranks with shards of B rows compute what one process
computes on batches of N B rows, up to floating-point rounding.

Cost per step: the gradient buckets (4 bytes per float32 parameter, all-reduced in
:math:`\lceil P \cdot 4 / \text{bucket} \rceil` calls) plus one small call for the metrics;
with the ring algorithm a rank sends :math:`2 (N-1)/N` times the bucket bytes. `stats`
counts the calls, bytes and seconds spent in them.

Not covered: validation is run on the whole validation set by every rank (identical
results, no communication); every rank must produce the same global batches (arrays
shuffled by dlpath, or a generator seeded alike on every rank).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from dlpath.distributed import collectives
from dlpath.distributed.buckets import DEFAULT_BUCKET_BYTES, Buckets


@dataclass
class Stats:
    """Communication counters since the start of training."""

    steps: int = 0
    calls: int = 0
    bytes: int = 0
    seconds: float = 0.0


def shard_rows(size: int, rank: int, count: int) -> slice:
    """Rank ``rank``'s rows of a batch of ``count`` rows split over ``size`` ranks."""
    return slice(rank * count // size, (rank + 1) * count // size)


def _leaves(structure) -> list:
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _leaves(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _leaves(item)]
    return [] if structure is None else [structure]


def _take(structure, rows: slice):
    """``structure`` (arrays, lists/tuples/dicts of arrays, None) with the rows ``rows``."""
    if structure is None:
        return None
    if isinstance(structure, dict):
        return {key: _take(value, rows) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_take(item, rows) for item in structure)
    return structure[rows]


def _num_rows(batch) -> int:
    leaves = _leaves(batch)
    if not leaves:
        raise ValueError("data parallelism: a batch without arrays cannot be split")
    return len(leaves[0])


def _as_array(value) -> np.ndarray:
    return np.asarray(getattr(value, "data", value))


class ShardedAdapter:
    """A data adapter yielding this rank's shard of each of ``inner``'s global batches."""

    def __init__(self, inner, parallel: "DataParallel", model):
        self.inner, self.parallel, self.model = inner, parallel, model
        self.steps = inner.steps

    @property
    def exhausted(self):
        return getattr(self.inner, "exhausted", False)

    def epoch(self):
        context = self.parallel.context
        self.parallel.sync_generator()
        for step, batch in enumerate(self.inner.epoch()):
            if step == 0:
                self.parallel.separate_generators()
            count = _num_rows(batch)
            rows = shard_rows(context.size, context.rank, count)
            self.parallel.local_samples = rows.stop - rows.start
            shard = _take(batch, rows)
            if not self.parallel.weights_synced:
                self.parallel.broadcast_weights(self.model, shard)
            yield shard


class DataParallel:
    """The collective steps of data-parallel training for one optimizer (see the module)."""

    def __init__(self, context, bucket_bytes: int = DEFAULT_BUCKET_BYTES):
        self.context = context
        self.bucket_bytes = bucket_bytes
        self.local_samples = None  # this rank's rows in the current step (set by fit)
        self.weights_synced = False
        self.stats = Stats()
        self._buckets = None

    # -------------------------------------------------------------- collective helpers
    def _allreduce(self, buffer: np.ndarray, what: str) -> None:
        started = time.perf_counter()
        collectives.allreduce_sum(self.context, buffer, what)
        self.stats.seconds += time.perf_counter() - started
        self.stats.calls += 1
        self.stats.bytes += buffer.nbytes

    def average_gradients(self, grads: list, variables: list) -> list:
        """:math:`\\sum_r w_r g_r / \\sum_r w_r` for each gradient (None stays None)."""
        if not self.context.distributed:
            return grads
        present = [i for i, g in enumerate(grads) if g is not None]
        arrays = [_as_array(grads[i]) for i in present]
        layout = [(a.shape, a.dtype if a.dtype.kind == "f" else np.float32) for a in arrays]
        key = tuple((tuple(s), np.dtype(d).str) for s, d in layout)
        if self._buckets is None or self._buckets.key != key:
            self._check_same_layout(key)
            self._buckets = Buckets(layout, self.bucket_bytes)
        weight = 1.0 if self.local_samples is None else float(self.local_samples)
        self._buckets.pack(arrays, weight)
        step = self.stats.steps + 1
        for number, buffer in enumerate(self._buckets.buffers):
            self._allreduce(buffer, f"the gradients (bucket {number + 1} of "
                                    f"{len(self._buckets)}, step {step})")
        averaged = list(grads)
        for index, value in zip(present, self._buckets.unpack()):
            averaged[index] = value
        return averaged

    def _check_same_layout(self, key: tuple) -> None:
        """Every rank must all-reduce the same gradients (shapes, dtypes, order), else the
        sums would mix unrelated numbers: compare a checksum of the layout once."""
        import zlib

        checksum = float(zlib.crc32(repr(key).encode()))
        buffer = np.array([checksum, 1.0])
        self._allreduce(buffer, "the layout of the gradients")
        if buffer[0] != checksum * buffer[1]:
            raise RuntimeError(
                f"dlpath.distributed: rank {self.context.rank} has gradients for "
                f"{len(key)} variables with other shapes or dtypes than another rank "
                f"(a variable without a gradient on some ranks only?); every rank must "
                f"compute the gradients of the same variables")

    # -------------------------------------------------------------- random generator
    def sync_generator(self) -> None:
        """Every rank's dlpath generator in rank 0's state (the epoch's shuffle agrees)."""
        if not self.context.distributed:
            return
        from dlpath import random as dlrandom

        bit_generator = dlrandom.generator().bit_generator
        text = collectives.broadcast_text(self.context, json.dumps(bit_generator.state),
                                          "rank 0's random state at an epoch's start")
        bit_generator.state = json.loads(text)

    def separate_generators(self) -> None:
        """After the shuffle: rank r's generator jumped r times (its own dropout masks)."""
        if self.context.rank == 0:
            return
        from dlpath import random as dlrandom

        bit_generator = dlrandom.generator().bit_generator
        if hasattr(bit_generator, "jumped"):
            bit_generator.state = bit_generator.jumped(self.context.rank).state

    # -------------------------------------------------------------- weights
    def broadcast_weights(self, model, shard) -> None:
        """Rank 0's weights on every rank (the model is built on ``shard`` first if needed)."""
        if not getattr(model, "built", False) or not model.weights:
            from dlpath.engine import no_grad
            from dlpath.models.packing import unpack_x_y_sample_weight

            x, _, _ = unpack_x_y_sample_weight(shard)
            with no_grad():
                model(x, training=False)
        broadcast_weights(model, self.context)
        self.weights_synced = True

    # -------------------------------------------------------------- one step
    def wrap_step(self, model, train_step):
        """``train_step`` on this rank's shard, then the logs of the global batch."""

        def step(data):
            snapshot = {id(v): np.array(v.value) for v in _metric_variables(model)}
            if self.local_samples == 0:
                logs = self._empty_step(model)
            else:
                logs = train_step(data)
            self._merge_after_step(model, snapshot)
            self.stats.steps += 1
            self.local_samples = None
            metric_logs = model.get_metrics_result()
            if not isinstance(logs, dict) or set(logs) == set(metric_logs):
                return metric_logs
            return logs

        return step

    def _empty_step(self, model) -> dict:
        """No rows for this rank (a last batch smaller than N): join the all-reduce with
        weight 0 so the other ranks' update is applied here too."""
        variables = model.trainable_weights
        model.optimizer.apply([np.zeros_like(v.data) for v in variables], variables)
        return {}

    def _merge_after_step(self, model, snapshot: dict) -> None:
        """Metric accumulators <- snapshot + sum of the ranks' changes; non-trainable float
        weights <- their average weighted by the ranks' rows (one float64 all-reduce)."""
        metric_vars = _metric_variables(model)
        frozen = [w for w in model.non_trainable_weights if w.data.dtype.kind == "f"]
        weight = float(self.local_samples or 0)
        parts = [np.asarray(v.value - snapshot.get(id(v), _initial(v)), np.float64).ravel()
                 for v in metric_vars]
        parts += [w.data.astype(np.float64).ravel() * weight for w in frozen]
        parts.append(np.array([weight]))
        buffer = np.ascontiguousarray(np.concatenate(parts))
        self._allreduce(buffer, f"the metrics (step {self.stats.steps + 1})")
        offset = 0
        for variable in metric_vars:
            value = np.asarray(variable.value)
            change = buffer[offset:offset + value.size].reshape(value.shape)
            base = snapshot.get(id(variable), _initial(variable))
            variable.value = np.asarray(base + change, dtype=value.dtype)
            size = value.size
            offset += size
        total = buffer[-1]
        for variable in frozen:
            size = variable.data.size
            mean = buffer[offset:offset + size].reshape(variable.data.shape) / total
            variable.data[...] = mean.astype(variable.data.dtype)
            offset += size

    # -------------------------------------------------------------- fit
    def prepare_fit(self, model, adapter, verbose: int, train_step):
        """``(adapter, verbose, step)`` for ``fit``: sharded, quiet off rank 0, merged."""
        if not self.context.distributed:
            return adapter, verbose, train_step
        return (ShardedAdapter(adapter, self, model), verbose if self.context.is_root else 0,
                self.wrap_step(model, train_step))


def broadcast_weights(weights, context=None) -> None:
    """Rank 0's values of ``weights`` on every rank, in place: for a custom training loop.

    ``weights`` is a model or layer (its ``weights``, trainable or not) or a list of
    variables; a model must be built. ``fit`` with a `DistributedOptimizer` does this
    itself before its first step.
    """
    from dlpath.distributed.context import init

    context = context or init()
    variables = list(getattr(weights, "weights", weights))
    for index, variable in enumerate(variables):
        data = np.ascontiguousarray(variable.data)
        collectives.broadcast(context, data, f"rank 0's weights ({index} of "
                                             f"{len(variables)})")
        variable.data[...] = data


def _metric_variables(model) -> list:
    variables = []
    for metric in model.metrics:
        for variable in getattr(metric, "variables", []) or []:
            if hasattr(variable, "reset") and getattr(variable, "value", None) is not None:
                variables.append(variable)
    return variables


def _initial(variable) -> np.ndarray:
    """A metric variable's value after a reset (for accumulators created in this step)."""
    import copy

    fresh = copy.copy(variable)
    fresh.reset()
    return fresh.value
