"""`TensorBoard`: write event files that TensorBoard reads, laid out as tf.keras does.

- ``<log_dir>/train``: ``epoch_<metric>`` scalars at each epoch (step = the epoch, from
  0), ``batch_<metric>`` scalars every ``update_freq`` batches when it is ``"batch"`` or a
  number (step = the batch count since training began), weight histograms (one per
  weight, named as the weight) and, with ``write_images``, images of 2-D kernels, every
  ``histogram_freq`` epochs; and once, the model's architecture as JSON text (tag
  ``model_config``).
- ``<log_dir>/validation``: the ``val_`` metrics of each epoch as ``epoch_<metric>``.

The files are written by tensorboardX (an optional dependency: ``pip install
tensorboardX``), imported only when the callback starts. TensorFlow's profiler and
projector have no dlpath equivalent: ``profile_batch`` and ``embeddings_freq`` are
accepted and ignored, and the graph TensorBoard shows is the architecture text, not a
TensorFlow graph.
"""

from __future__ import annotations

import numbers
import os

import numpy as np

from dlpath.callbacks.callback import Callback, check_number


def _summary_writer():
    try:
        from tensorboardX import SummaryWriter
    except ImportError as error:
        raise ImportError("TensorBoard: writing TensorBoard event files needs the "
                          "tensorboardX package: pip install tensorboardX") from error
    return SummaryWriter


def _scalars(logs) -> dict:
    result = {}
    for key, value in (logs or {}).items():
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        if isinstance(value, (numbers.Real, np.number)) and not isinstance(value, bool):
            result[key] = float(value)
    return result


def _kernel_image(array: np.ndarray):
    """A 2-D weight scaled to [0, 1] as an ``HW`` image (tf.keras 2 shows kernels so)."""
    low, high = float(array.min()), float(array.max())
    return (array - low) / (high - low) if high > low else np.zeros_like(array)


class TensorBoard(Callback):
    """Log scalars, histograms and images of training for TensorBoard.

    Args:
        log_dir: the folder of the event files (``train/`` and ``validation/`` inside).
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model's architecture (as JSON text).
        write_images: write 2-D kernels as images (with the histograms).
        write_steps_per_second: also log ``epoch_steps_per_second``.
        update_freq: ``"epoch"``, ``"batch"`` or a number of batches between batch
            scalars.
        profile_batch, embeddings_freq, embeddings_metadata: accepted (tf.keras
            arguments for TensorFlow's profiler and projector), ignored.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None, **kwargs):
        super().__init__()
        unknown = sorted(set(kwargs) - {"embeddings_layer_names", "embeddings_data"})
        if unknown:
            raise TypeError(f"TensorBoard: unexpected keyword argument(s) {unknown}")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = check_number("TensorBoard", "histogram_freq", histogram_freq,
                                           low=0, integer=True)
        if isinstance(update_freq, str) and update_freq not in ("epoch", "batch"):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch', 'batch' or a "
                             f"positive integer, got {update_freq!r}")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch":
            update_freq = check_number("TensorBoard", "update_freq", update_freq, low=1,
                                       integer=True)
        self.update_freq = update_freq
        self.write_graph = bool(write_graph)
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        self.profile_batch = profile_batch
        self.embeddings_freq = check_number("TensorBoard", "embeddings_freq",
                                            embeddings_freq, low=0, integer=True)
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._train_step = 0
        self._epoch_start = None

    def _writer(self, name: str):
        if name not in self._writers:
            self._writers[name] = _summary_writer()(os.path.join(self.log_dir, name))
        return self._writers[name]

    def on_train_begin(self, logs=None):
        _summary_writer()  # fail early, with the package to install
        self._train_step = 0
        if self.write_graph:
            self._write_architecture()

    def _write_architecture(self) -> None:
        try:
            text = self.model.to_json(indent=2)
        except (TypeError, ValueError):  # a model that cannot be serialized
            return
        self._writer("train").add_text("model_config", f"```\n{text}\n```", 0)

    def on_epoch_begin(self, epoch, logs=None):
        import time

        self._epoch_start = (time.perf_counter(), self._train_step)

    def on_train_batch_end(self, batch, logs=None):
        self._train_step += 1
        if self.update_freq == "epoch" or self._train_step % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in _scalars(logs).items():
            writer.add_scalar(f"batch_{name}", value, self._train_step)

    def on_epoch_end(self, epoch, logs=None):
        values = _scalars(logs)
        train = {k: v for k, v in values.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in values.items() if k.startswith("val_")}
        if self.write_steps_per_second and self._epoch_start is not None:
            import time

            start, steps = self._epoch_start
            elapsed = max(time.perf_counter() - start, 1e-9)
            train["steps_per_second"] = (self._train_step - steps) / elapsed
        for name, group in (("train", train), ("validation", validation)):
            if group:
                writer = self._writer(name)
                for key, value in group.items():
                    writer.add_scalar(f"epoch_{key}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_weights(epoch)
        for writer in self._writers.values():
            writer.flush()

    def _write_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for weight in self.model.weights:
            name = weight.name.replace(":", "_")
            data = np.asarray(weight.data)
            writer.add_histogram(name, data, epoch)
            if self.write_images and data.ndim == 2:
                writer.add_image(f"{name}/image", _kernel_image(data), epoch,
                                 dataformats="HW")

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
