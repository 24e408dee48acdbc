"""Run under ``mpiexec -n N``: train the data-parallel cases, rank 0 saves the weights.

    dp_worker.py OUT.npz cases       every case of dp_cases.CASES
    dp_worker.py OUT.npz fail MODE   MODE: raise | kill | hang, on rank 1 at the 3rd step;
                                     layout: rank 1 trains one layer fewer
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

import numpy as np

import dp_cases
from dlpath import distributed, keras


def run_cases(out: str) -> None:
    context = distributed.init()
    arrays, histories = {}, {}
    for kind, dtype, bn in dp_cases.CASES:
        name = dp_cases.case_name(kind, dtype, bn)
        # A seed per rank: the initial weights differ until rank 0's are broadcast.
        weights, history = dp_cases.train(kind, dtype, bn, seed=context.rank,
                                          wrap=distributed.DistributedOptimizer,
                                          verbose=2 if name == "mlp-float64" else 0)
        for i, w in enumerate(weights):
            arrays[f"{name}/{i}"] = w
        histories[name] = history
    for i, w in enumerate(dp_cases.custom_loop(seed=context.rank, context=context)):
        arrays[f"custom/{i}"] = w
    if context.is_root:
        arrays["histories"] = np.array(json.dumps(histories))
        np.savez(out, **arrays)


class Failing(keras.callbacks.Callback):
    def __init__(self, mode: str, rank: int):
        super().__init__()
        self.mode, self.rank = mode, rank

    def on_train_batch_begin(self, batch, logs=None):
        if self.rank != 1 or batch != 2:
            return
        print(f"rank 1 fails now: {self.mode}", flush=True)
        if self.mode == "raise":
            raise ValueError("a failure on rank 1")
        if self.mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.mode == "hang":
            time.sleep(120)


def run_failure(mode: str) -> None:
    context = distributed.init()
    model = dp_cases.build("mlp", "float32", False, 0)
    if mode == "layout" and context.rank == 1:
        model.layers[0].trainable = False
    dp_cases.compile_model(model, distributed.DistributedOptimizer("sgd"))
    x, y = dp_cases.data("mlp", "float32")
    model.fit(np.repeat(x, 10, axis=0), np.repeat(y, 10), batch_size=8, epochs=50,
              verbose=0, callbacks=[Failing(mode, context.rank)])


if __name__ == "__main__":
    if sys.argv[2] == "cases":
        run_cases(sys.argv[1])
    else:
        run_failure(sys.argv[3])
