"""`Batcher`: dynamic batching — concurrent requests run together through one predictor.

Requests wait in a bounded asyncio queue (`QueueFull` when it holds ``max_queue``). One
collector task takes the oldest request, then gathers more until the batch has
``max_batch_size`` rows or ``max_latency`` seconds have passed since that request came, and
runs the batch in one worker thread; meanwhile the next requests queue up. A request is a
tuple of arrays, one per model input, all with its N rows; a batch concatenates each input
separately, and each of the model's outputs is split back, so each request gets its own
rows of every output. A request larger than ``max_batch_size`` runs in chunks of that
size. When a batch fails, its requests are run one by one, so one bad input fails only its
own request. `stop` lets every queued request finish first.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np


class QueueFull(RuntimeError):
    """The queue holds ``max_queue`` requests: the client should retry later."""


class PredictFailed(RuntimeError):
    """The model raised on this request's inputs."""


@dataclass
class _Item:
    xs: tuple                  # one (N, ...) array per model input
    future: asyncio.Future
    arrived: float = field(default_factory=time.monotonic)

    @property
    def rows(self) -> int:
        return len(self.xs[0])


class Batcher:
    """``await submit(xs)`` -> the predictor's outputs (a tuple, one array per output) for
    the rows of ``xs`` (a tuple, one array per input, each with the same rows)."""

    def __init__(self, predict, max_batch_size: int = 32, max_latency: float = 0.005,
                 max_queue: int = 256, on_batch=None, on_queue=None):
        for name, value in (("max_batch_size", max_batch_size), ("max_queue", max_queue)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Batcher: {name} must be an integer >= 1, got {value!r}")
        if not max_latency >= 0:
            raise ValueError(f"Batcher: max_latency must be >= 0 seconds, got {max_latency}")
        self.predict, self.max_batch_size = predict, max_batch_size
        self.max_latency, self.max_queue = float(max_latency), max_queue
        self.on_batch = on_batch or (lambda rows: None)
        self.on_queue = on_queue or (lambda depth: None)
        self._queue: asyncio.Queue | None = None
        self._task: asyncio.Task | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dlpath-batch")

    @property
    def depth(self) -> int:
        """Requests waiting (not yet taken into a batch)."""
        return self._queue.qsize() if self._queue is not None else 0

    def start(self) -> None:
        """Start the collector on the running event loop."""
        self._queue = asyncio.Queue(maxsize=self.max_queue)
        self._task = asyncio.get_running_loop().create_task(self._collect())

    async def submit(self, xs: tuple) -> tuple:
        if self._queue is None or self._task is None or self._task.done():
            raise RuntimeError("Batcher: not running (call start() on the event loop)")
        xs = tuple(xs)
        if not xs or len({len(x) for x in xs}) != 1:
            raise ValueError(f"Batcher: expected one array per input, all with the same "
                             f"rows, got {[len(x) for x in xs]} rows")
        item = _Item(xs, asyncio.get_running_loop().create_future())
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            raise QueueFull(f"the queue is full ({self.max_queue} requests)") from None
        self.on_queue(self.depth)
        return await item.future

    async def stop(self) -> None:
        """Finish every queued request, then stop the collector and the worker thread."""
        if self._task is not None:
            await self._queue.join()
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._executor.shutdown(wait=True)

    # ------------------------------------------------------------ the collector
    async def _collect(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            rows = batch[0].rows
            deadline = batch[0].arrived + self.max_latency
            while rows < self.max_batch_size:
                try:
                    item = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    wait = deadline - time.monotonic()
                    if wait <= 0:
                        break
                    try:
                        item = await asyncio.wait_for(self._queue.get(), wait)
                    except asyncio.TimeoutError:
                        break
                batch.append(item)
                rows += item.rows
            self.on_queue(self.depth)
            try:
                await loop.run_in_executor(self._executor, self._run, batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _run(self, batch: list) -> None:
        """In the worker thread: predict the batch and hand each request its rows."""
        live = [item for item in batch if not item.future.done()]  # not cancelled
        if not live:
            return
        xs = tuple(np.concatenate(parts) for parts in zip(*[item.xs for item in live]))
        try:
            outputs = self._predict_rows(xs)
        except Exception:  # noqa: BLE001 - retried one by one below to find the bad one
            for item in live:
                self._answer(item, *self._alone(item))
            return
        start = 0
        for item in live:
            stop = start + item.rows
            self._answer(item, tuple(output[start:stop] for output in outputs), None)
            start = stop

    def _alone(self, item: _Item) -> tuple:
        try:
            return self._predict_rows(item.xs), None
        except Exception as error:  # noqa: BLE001 - the model's error, for this request
            return None, PredictFailed(f"the model failed on this input: "
                                       f"{type(error).__name__}: {error}")

    def _predict_rows(self, xs: tuple) -> tuple:
        """The outputs for the rows of ``xs``, in model calls of at most max_batch_size."""
        parts = []
        for start in range(0, len(xs[0]), self.max_batch_size):
            chunk = tuple(x[start:start + self.max_batch_size] for x in xs)
            parts.append(tuple(self.predict(chunk)))
            self.on_batch(len(chunk[0]))
        return tuple(np.concatenate(pieces) for pieces in zip(*parts))

    def _answer(self, item: _Item, outputs, error) -> None:
        loop = item.future.get_loop()
        loop.call_soon_threadsafe(_settle, item.future, outputs, error)


def _settle(future: asyncio.Future, outputs, error) -> None:
    if future.done():  # the client went away
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(outputs)
