"""`Trainer`: compile, fit, evaluate and predict — one training loop for every model.

fit is: batches -> ``train_step`` (forward, loss, backward, optimizer step, metrics) ->
callbacks; each epoch may end with a validation pass (``test_step``). ``train_step`` is the
one place to override for a custom step.

Each step receives ``data`` packed as Keras packs it (`dlpath.models.packing`): ``x``,
``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; a step returns a dict of logs. Array data
is checked once per call before batching (`dlpath.models.data_checks`): string targets, NaN
or infinity (``check_finite=False`` skips that pass), binary cross-entropy targets outside
[0, 1]. The positional order of every method is tf.keras 2's.
"""

from __future__ import annotations

import numpy as np

from dlpath import callbacks as callbacks_module
from dlpath import metrics as metrics_module
from dlpath import optimizers
from dlpath.engine import Tensor, no_grad
from dlpath.engine import threads as blas_threads
from dlpath.engine.memory import retain_freed_memory
from dlpath.layers.input_layer import _flatten
from dlpath.layers import arguments
from dlpath.models import data_adapter as adapters
from dlpath.models import data_checks
from dlpath.models.compile_utils import (
    CompiledLoss, CompiledMetrics, check_loss_identifiers, check_metric_identifiers,
    match_outputs, sort_metrics_and_loss_weights,
)
from dlpath.models.custom_training import (
    CompiledLossView, CompiledMetricsView, python_value, pythonify_logs,
)
from dlpath.models.packing import pack_x_y_sample_weight, unpack_x_y_sample_weight


def _as_list(outputs) -> list:
    """A model's outputs as a list: a dict of outputs (``Model(x, {"a": ..., "b": ...})``)
    in its keys' order, which is the order of ``output_names``."""
    if isinstance(outputs, dict):
        return list(outputs.values())
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def _as_outputs(model, arrays):
    """predict's result: one array, a list, or a dict keyed as the model's outputs are."""
    structure = getattr(getattr(model, "_graph", None), "outputs", None)
    if isinstance(structure, dict):
        return dict(zip(structure, arrays if isinstance(arrays, list) else [arrays]))
    return arrays


def _numpy(value):
    return value.data if isinstance(value, Tensor) else value


def _plus(total, terms: list):
    """total + sum(terms) (Tensors), total itself when there are no terms."""
    if not terms:
        return total
    return total + sum(terms[1:], terms[0])


def _merge_predictions(outputs: list, last_x):
    """The per-batch outputs of predict joined along the batch axis (one array per output).

    A single batch is returned as it is, unless it may share memory with the input (a model
    that reshapes or passes its input through): predict always returns arrays of its own.
    """
    if not outputs:
        raise ValueError("predict: the input produced no batches")
    single = len(outputs) == 1 and all(
        isinstance(o, np.ndarray) and o.ndim and o.flags.c_contiguous for o in outputs[0])
    if single:
        inputs = [a for a in _flatten(last_x) if isinstance(a, np.ndarray)]
        merged = [o.copy() if any(np.may_share_memory(o, a) for a in inputs) else o
                  for o in outputs[0]]
    else:
        merged = [np.concatenate(parts) for parts in zip(*outputs)]
    return merged[0] if len(merged) == 1 else merged


def _step_data(batch):
    """An adapter's batch as a step receives it: x, (x,), (x, y) or (x, y, sample_weight)."""
    return pack_x_y_sample_weight(*unpack_x_y_sample_weight(batch))


def _check_queue_arguments(owner: str, max_queue_size, workers, use_multiprocessing) -> None:
    """tf.keras 2's loader arguments: accepted and checked; batches are read in this thread."""
    arguments.positive_int(max_queue_size, "max_queue_size", owner)
    arguments.non_negative_int(workers, "workers", owner)
    if not isinstance(use_multiprocessing, (bool, np.bool_)):
        raise arguments.ArgumentTypeError(
            f"{owner}: use_multiprocessing must be True or False, got "
            f"{arguments.describe(use_multiprocessing)}")


class Trainer:
    """The training API of `Model`."""

    def __init__(self):
        self.optimizer = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._compiled_loss = None
        self._compiled_metrics = None
        self._loss_tracker = None
        self._compile_config = None

    # ------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=1,
                jit_compile=None, **kwargs):
        """Choose the optimizer, the loss (per output) and the metrics to report.

        The positional order is tf.keras 2's: (optimizer, loss, metrics, loss_weights,
        weighted_metrics, run_eagerly, steps_per_execution, jit_compile). Keras 3 swaps the
        third and fourth places (loss_weights, metrics); the values decide which is which
        (loss weights are numbers, metrics never are: see
        `compile_utils.sort_metrics_and_loss_weights`). Loss and metric names are checked
        here, so a misspelt name fails now with the closest known names.
        """
        unknown = sorted(set(kwargs) - {"auto_scale_loss", "sample_weight_mode"})
        if unknown:
            raise TypeError(f"compile: unknown keyword argument(s) {unknown}")
        metrics, loss_weights = sort_metrics_and_loss_weights(metrics, loss_weights)
        check_loss_identifiers(loss)
        check_metric_identifiers(metrics, "metrics")
        check_metric_identifiers(weighted_metrics, "weighted_metrics")
        self.optimizer = optimizers.get(optimizer)
        self._compile_config = {"loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics}
        self._compiled_loss = None  # built on the first batch, when the outputs are known
        self._compiled_metrics = None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.compiled = True

    def _ensure_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"You must compile your model before {what}: call "
                               f"model.compile(optimizer, loss, metrics)")

    def _build_compiled(self, y_pred: list) -> None:
        if self._compiled_loss is not None:
            return
        names = self.output_names if len(y_pred) > 1 else self.output_names[:1]
        if len(names) != len(y_pred):
            names = [f"output_{i + 1}" for i in range(len(y_pred))]
        self._output_names_used = names
        config = self._compile_config
        if config["loss"] is not None:
            self._compiled_loss = CompiledLoss(config["loss"], config["loss_weights"], names)
            losses = self._compiled_loss.losses
        else:
            self._compiled_loss = False
            losses = [None] * len(names)
        self._compiled_metrics = CompiledMetrics(config["metrics"],
                                                 config["weighted_metrics"], names, losses)
        self._output_loss_trackers = ([metrics_module.Mean(name=f"{n}_loss") for n in names]
                                      if len(names) > 1 else [])

    # ------------------------------------------------------------ one step
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of the outputs plus the layers' regularization penalties
        (``self.losses``, `add_loss` terms included): Keras 3's ``compute_loss``."""
        return _plus(self._outputs_loss(y, y_pred, sample_weight), self.losses)

    def _outputs_loss(self, y, y_pred, sample_weight):
        """The weighted sum of the compiled losses of the outputs (a scalar Tensor)."""
        self._ensure_compiled("computing its loss")
        y_pred = _as_list(y_pred)
        self._build_compiled(y_pred)
        if not self._compiled_loss:
            raise RuntimeError("compile() was called without a loss; pass loss=... to train")
        y_true = match_outputs(y, self._output_names_used)
        total, per_output = self._compiled_loss(y_true, y_pred, sample_weight)
        for tracker, value in zip(self._output_loss_trackers, per_output):
            if value is not None:
                tracker.update_state(float(value.data), sample_weight=len(_numpy(y_pred[0])))
        return total

    def _compiled_loss_value(self, y, y_pred, sample_weight, regularization_losses):
        """``self.compiled_loss(...)``: the outputs' loss plus ``regularization_losses``;
        updates the "loss" tracker with the total, weighted by the batch size."""
        total = _plus(self._outputs_loss(y, y_pred, sample_weight),
                      list(regularization_losses or []))
        batch = len(_numpy(_as_list(y_pred)[0]))
        self._loss_tracker.update_state(float(_numpy(total)), sample_weight=batch)
        return total

    def _update_compiled_metrics(self, y, y_pred, sample_weight) -> None:
        """``self.compiled_metrics.update_state(...)``."""
        self._ensure_compiled("updating its metrics")
        y_pred = _as_list(y_pred)
        self._build_compiled(y_pred)
        outputs = [_numpy(p) for p in y_pred]
        self._compiled_metrics.update_state(match_outputs(y, self._output_names_used),
                                            outputs, sample_weight)

    @property
    def compiled_loss(self) -> CompiledLossView:
        """tf.keras 2's loss container, for a custom ``train_step`` (see `CompiledLossView`)."""
        return CompiledLossView(self)

    @property
    def compiled_metrics(self) -> CompiledMetricsView:
        """tf.keras 2's metrics container, for a custom ``train_step``."""
        if getattr(self, "_compiled_metrics_view", None) is None:
            self._compiled_metrics_view = CompiledMetricsView(self)
        return self._compiled_metrics_view

    def train_step(self, data) -> dict:
        """Forward, loss, backward and one optimizer update on a batch; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        variables = self.trainable_weights
        loss.backward()
        self.optimizer.apply([v.grad for v in variables], variables)
        self.optimizer.zero_grad(variables)
        return self._update_metrics(loss, y, y_pred, sample_weight, x)

    def test_step(self, data) -> dict:
        """Forward and loss without a graph; updates and returns the metrics."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with no_grad():
            y_pred = self(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        return self._update_metrics(loss, y, y_pred, sample_weight, x)

    def predict_step(self, data):
        """The outputs for a batch, computed without a graph."""
        x, _, _ = unpack_x_y_sample_weight(data)
        with no_grad():
            return self(x, training=False)

    def _update_metrics(self, loss, y, y_pred, sample_weight, x) -> dict:
        batch = len(_flatten(x)[0]) if isinstance(x, (list, tuple, dict)) else len(x)
        self._loss_tracker.update_state(float(loss.data), sample_weight=batch)
        outputs = [_numpy(p) for p in _as_list(y_pred)]
        self._compiled_metrics.update_state(match_outputs(y, self._output_names_used),
                                            outputs, sample_weight)
        return self.get_metrics_result()

    # ------------------------------------------------------------ metrics
    @property
    def metrics(self) -> list:
        """The loss tracker, the per-output losses, then the compiled metrics.

        Until the first batch builds the compiled metrics, `compiled_metrics` stands in for
        them (when compile was given any), so a step that updates ``self.metrics`` updates
        them from the first batch on.
        """
        if self._loss_tracker is None:
            return []
        result = [self._loss_tracker]
        if self._compiled_metrics is not None:
            result += self._output_loss_trackers
        if self._compiled_metrics is not None and self._compiled_metrics.metrics is not None:
            result += self._compiled_metrics.objects()
        elif self._compile_config["metrics"] or self._compile_config["weighted_metrics"]:
            result.append(self.compiled_metrics)
        return result

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def get_metrics_result(self) -> dict:
        """``{name: value}`` of `metrics` (a metric whose result is a dict is merged in)."""
        logs = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                logs.update(pythonify_logs(value))
            else:
                logs[metric.name] = python_value(value)
        return logs

    def _metrics_result_or_logs(self, logs: dict) -> dict:
        """The metrics' values when the step's logs name them (Keras 3's rule), else the
        last step's own logs (a step that returns values it does not track)."""
        metric_logs = self.get_metrics_result()
        if not logs or set(logs) == set(metric_logs):
            return metric_logs
        return logs

    def _check_arrays(self, owner: str, x, y, sample_weight, check_finite: bool,
                      prefix: str = "") -> None:
        """`data_checks` on array data (a generator's batches are not checked)."""
        if x is None or not adapters.is_array_structure(x):
            return
        data_checks.check_targets_are_numbers(owner, {f"{prefix}y": y})
        if check_finite:
            data_checks.check_finite(owner, {f"{prefix}x": x, f"{prefix}y": y,
                                             f"{prefix}sample_weight": sample_weight})
        loss = (self._compile_config or {}).get("loss")
        data_checks.check_binary_targets(owner, loss, y, f"{prefix}y")

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    # ------------------------------------------------------------ loops
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None,
            validation_steps=None, validation_batch_size=None, validation_freq=1,
            max_queue_size=10, workers=1, use_multiprocessing=False, *, check_finite=True,
            **kwargs):
        """Train for ``epochs`` epochs; returns a `History` of the logged values.

        The arguments are tf.keras 2's, in its positional order; ``max_queue_size``,
        ``workers`` and ``use_multiprocessing`` are checked and otherwise unused (batches are
        read in the calling thread). ``check_finite=False`` skips the NaN/infinity pass over
        array data (`data_checks.check_finite`; about 10 ms on MNIST's 60000 float images).

        Training asks glibc to keep freed memory for reuse (`retain_freed_memory`), as the
        caching allocators of deep-learning frameworks do: every step allocates the same
        large arrays again, and returning them to the kernel costs a page fault per page.

        Compiled with a `dlpath.distributed.DistributedOptimizer` under mpiexec, ``fit``
        trains data-parallel: ``batch_size`` is the global batch, each rank steps on its
        shard (`dlpath.distributed.data_parallel`).
        """
        if kwargs:
            raise TypeError(f"fit: unknown keyword argument(s) {sorted(kwargs)}")
        adapters.check_arguments(
            "fit", batch_size=batch_size, epochs=epochs, initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch, validation_split=validation_split,
            validation_steps=validation_steps, validation_batch_size=validation_batch_size,
            validation_freq=validation_freq)
        verbose = adapters.check_verbose(verbose, "fit")
        _check_queue_arguments("fit", max_queue_size, workers, use_multiprocessing)
        self._ensure_compiled("training it")
        retain_freed_memory()
        if x is None:
            raise ValueError("fit: no training data (x is None)")
        self._check_arrays("fit", x, y, sample_weight, check_finite)
        if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
            self._check_arrays("fit", *adapters.unpack_batch(validation_data), check_finite,
                               prefix="validation_data's ")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = adapters.split_validation(
                x, y, sample_weight, validation_split)
        weighted_batches = class_weight is not None and not adapters.is_array_structure(x)
        if class_weight is not None and not weighted_batches:
            weights = adapters.class_weights_to_sample_weights(adapters.as_arrays(y),
                                                               class_weight)
            sample_weight = weights if sample_weight is None else (
                np.asarray(sample_weight) * weights)
        train = adapters.make_adapter(x, y, sample_weight, batch_size, shuffle,
                                      steps_per_epoch, owner="fit")
        if weighted_batches:  # a Dataset or generator: weighted batch by batch
            train = adapters.ClassWeightedAdapter(train, class_weight)
        validation = self._validation_adapter(validation_data, validation_batch_size or
                                              batch_size, validation_steps)
        train_step = self.train_step
        # Data parallelism (dlpath.distributed): this rank's shard of each global batch.
        parallel = getattr(self.optimizer, "data_parallel", None)
        if parallel is not None:
            train, verbose, train_step = parallel.prepare_fit(self, train, verbose, train_step)
        callback_list = callbacks_module.CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=epochs, steps=train.steps)
        self.stop_training = False
        callback_list.on_train_begin()
        # A callback that restored a backup (BackupAndRestore) sets the epoch to resume at.
        initial_epoch = max(initial_epoch, getattr(self, "_initial_epoch", None) or 0)
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, batch in enumerate(train.epoch()):
                blas_threads.tick()  # BLAS threads follow the machine's load
                callback_list.on_train_batch_begin(step)
                logs = pythonify_logs(train_step(_step_data(batch)))
                callback_list.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(self._metrics_result_or_logs(logs))
            if validation is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_loop(validation, callback_list)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self.stop_training or getattr(train, "exhausted", False):
                break
        callback_list.on_train_end(logs)
        return self.history

    def _validation_adapter(self, validation_data, batch_size, steps):
        if validation_data is None:
            return None
        if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
            x, y, sample_weight = adapters.unpack_batch(validation_data)
            return adapters.make_adapter(x, y, sample_weight, batch_size, False, steps,
                                         owner="fit (validation_data)")
        return adapters.make_adapter(validation_data, None, None, batch_size, False, steps,
                                     owner="fit (validation_data)")

    def _evaluate_loop(self, adapter, callback_list) -> dict:
        self.reset_metrics()
        callback_list.on_test_begin()
        logs = {}
        for step, batch in enumerate(adapter.epoch()):
            blas_threads.tick()  # BLAS threads follow the machine's load
            callback_list.on_test_batch_begin(step)
            logs = pythonify_logs(self.test_step(_step_data(batch)))
            callback_list.on_test_batch_end(step, logs)
        logs = self._metrics_result_or_logs(logs)
        callback_list.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, max_queue_size=10, workers=1,
                 use_multiprocessing=False, return_dict=False, *, check_finite=True,
                 **kwargs):
        """The loss and metrics on the data: a float, a list [loss, metrics...] or a dict.

        tf.keras 2's positional order (``return_dict`` after the three loader arguments,
        which are checked and otherwise unused); ``check_finite`` as in `fit`.
        """
        if kwargs:
            raise TypeError(f"evaluate: unknown keyword argument(s) {sorted(kwargs)}")
        adapters.check_arguments("evaluate", batch_size=batch_size, steps=steps)
        verbose = adapters.check_verbose(verbose, "evaluate")
        _check_queue_arguments("evaluate", max_queue_size, workers, use_multiprocessing)
        self._ensure_compiled("evaluating it")
        retain_freed_memory()
        self._check_arrays("evaluate", x, y, sample_weight, check_finite)
        adapter = adapters.make_adapter(x, y, sample_weight, batch_size, False, steps,
                                        owner="evaluate")
        callback_list = callbacks_module.CallbackList(
            callbacks, add_history=False, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=1, steps=adapter.steps)
        logs = self._evaluate_loop(adapter, callback_list)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None,
                max_queue_size=10, workers=1, use_multiprocessing=False, *,
                check_finite=True):
        """The model's outputs as NumPy arrays, computed in batches without a graph.

        tf.keras 2's positional order; ``check_finite`` checks ``x`` as in `fit`.
        """
        adapters.check_arguments("predict", batch_size=batch_size, steps=steps)
        verbose = adapters.check_verbose(verbose, "predict")
        _check_queue_arguments("predict", max_queue_size, workers, use_multiprocessing)
        if check_finite and x is not None and adapters.is_array_structure(x):
            data_checks.check_finite("predict", {"x": x})
        retain_freed_memory()  # as in fit: each batch allocates the same large arrays
        adapter = adapters.make_adapter(x, None, None, batch_size, False, steps,
                                        owner="predict")
        if (verbose == 0 and not callbacks and adapter.steps == 1
                and isinstance(adapter, adapters.ArrayDataAdapter)):
            # One batch, nothing to report to: the step alone (a model server's call).
            blas_threads.tick()
            batch = next(iter(adapter.epoch()))
            outputs = [[_numpy(o) for o in _as_list(self.predict_step(_step_data(batch)))]]
            return _as_outputs(self, _merge_predictions(outputs, batch[0]))
        callback_list = callbacks_module.CallbackList(
            callbacks, add_history=False, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=1, steps=adapter.steps)
        callback_list.on_predict_begin()
        outputs = []
        for step, batch in enumerate(adapter.epoch()):
            blas_threads.tick()  # BLAS threads follow the machine's load
            callback_list.on_predict_batch_begin(step)
            result = self.predict_step(_step_data(batch))
            outputs.append([_numpy(o) for o in _as_list(result)])
            callback_list.on_predict_batch_end(step, {"outputs": result})
        callback_list.on_predict_end()
        return _as_outputs(self, _merge_predictions(outputs, batch[0] if outputs else None))

    # tf.keras 2's generator spellings: the generator (or Sequence) is ``fit``'s ``x``.
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, **kwargs):
        """``fit(generator, ...)``, tf.keras 2's deprecated spelling."""
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs, **kwargs)

    def evaluate_generator(self, generator, steps=None, **kwargs):
        """``evaluate(generator, ...)``, tf.keras 2's deprecated spelling."""
        return self.evaluate(generator, steps=steps, **kwargs)

    def predict_generator(self, generator, steps=None, **kwargs):
        """``predict(generator, ...)``, tf.keras 2's deprecated spelling."""
        return self.predict(generator, steps=steps, **kwargs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True, return_dict=False):
        """One gradient update on one batch; returns the batch's loss and metrics.

        ``reset_metrics=False`` (tf.keras 2) accumulates the metrics over successive calls.
        """
        self._ensure_compiled("training it")
        adapters.num_samples(adapters.as_arrays(x), adapters.as_arrays(y),
                             adapters.as_arrays(sample_weight), owner="train_on_batch")
        self._check_arrays("train_on_batch", x, y, sample_weight, True)
        if reset_metrics:
            self.reset_metrics()
        if class_weight is not None:
            weights = adapters.class_weights_to_sample_weights(adapters.as_arrays(y),
                                                               class_weight)
            sample_weight = weights if sample_weight is None else sample_weight * weights
        logs = self.train_step(pack_x_y_sample_weight(
            adapters.as_arrays(x), adapters.as_arrays(y), adapters.as_arrays(sample_weight)))
        logs = self._metrics_result_or_logs(pythonify_logs(logs))
        return self._batch_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                      return_dict=False):
        """The loss and metrics of one batch (tf.keras 2's positional order)."""
        self._ensure_compiled("evaluating it")
        adapters.num_samples(adapters.as_arrays(x), adapters.as_arrays(y),
                             adapters.as_arrays(sample_weight), owner="test_on_batch")
        self._check_arrays("test_on_batch", x, y, sample_weight, True)
        if reset_metrics:
            self.reset_metrics()
        logs = self.test_step(pack_x_y_sample_weight(
            adapters.as_arrays(x), adapters.as_arrays(y), adapters.as_arrays(sample_weight)))
        logs = self._metrics_result_or_logs(pythonify_logs(logs))
        return self._batch_result(logs, return_dict)

    def predict_on_batch(self, x):
        x = adapters.as_arrays(x)
        adapters.num_samples(x, owner="predict_on_batch")
        retain_freed_memory()
        blas_threads.tick()  # BLAS threads follow the machine's load
        result = self.predict_step(pack_x_y_sample_weight(x))
        outputs = [_numpy(o) for o in _as_list(result)]
        return _as_outputs(self, outputs[0] if len(outputs) == 1 else outputs)

    @staticmethod
    def _batch_result(logs: dict, return_dict: bool):
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values
