"""What the checks of the project labs share: the learner's saved model found and loaded
safely, its input and output compared with the lab's data, and its predictions on the
official test set computed here (a number the learner reports is never used).

A project lab's check gets ``learner``, the path the learner handed in: a ``.keras`` file or
a folder (a run folder of ``dlpath train`` holds ``model.keras``). The models are read with
`dlpath.saving.load_model` (JSON and ``.npz``, never pickle). The message keys used here
(``no_model_file``, ``not_a_model``, ``no_input_shape``, ``several_inputs``,
``input_shape``, ``model_raised``, ``output_shape``, ``output_not_finite``, ``below_bar``,
``dataset_missing``) are defined in each project lab's definition file; the data a model
ran on reaches them as ``case`` (English) and ``case_zh``.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np

from dlpath.path.labs.checking import fail

RUN_FOLDER_MODEL = "model.keras"
BATCH_SIZE = 250  # rows per forward pass when predicting


# ---------------------------------------------------------------------- finding, loading
def model_path(learner: Path, name: str = RUN_FOLDER_MODEL) -> Path:
    """The model file: ``learner`` itself, or ``learner/name`` when it is a folder."""
    learner = Path(learner)
    if learner.is_dir():
        path = learner / name
        if not path.is_file():
            found = sorted(p.name for p in learner.iterdir() if p.suffix == ".keras")
            fail("no_model_file", path=str(learner), file=name,
                 found=", ".join(found) if found else "-")
        return path
    if not learner.is_file():
        fail("no_model_file", path=str(learner), file=name, found="-")
    return learner


def load(path: Path):
    """The model saved at ``path``, read without its compile settings; any problem with
    the file is a failure that quotes the loader's error. The checks of one lab share the
    model read once (keyed by the file's path, size and time of change)."""
    stat = Path(path).stat()
    return _load(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _load(path: str, size: int, mtime: int):
    from dlpath.saving import load_model

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_model(path, compile=False)
    except Exception as error:  # a file that is not a dlpath model, in any way
        fail("not_a_model", path=path, error=f"{type(error).__name__}: {error}")


def load_learner_model(learner: Path, name: str = RUN_FOLDER_MODEL):
    return load(model_path(learner, name))


def layers_of(model) -> list:
    """Every layer inside ``model`` (nested models included), the model first."""
    return list(model._all_layers())


def has_layer(model, classes) -> bool:
    return any(isinstance(layer, classes) for layer in layers_of(model))


# ---------------------------------------------------------------------- shapes
def input_shape(model, /, **params) -> tuple:
    """The shape of one input sample (batch axis left out; None for a free size).
    ``params`` go to the messages (which model, for a lab that checks two)."""
    inputs = model.inputs
    if inputs is None:  # Sequential: its placeholder, when its input shape is known
        placeholder = getattr(model, "_input", None)
        inputs = [placeholder] if placeholder is not None else []
    if len(inputs) > 1:
        fail("several_inputs", count=len(inputs), **params)
    if not inputs:
        fail("no_input_shape", **params)
    return tuple(inputs[0].shape[1:])


def describe(shape) -> str:
    """``(batch, 28, 28, 1)``: a batch shape as the messages write it."""
    return "(" + ", ".join(["batch"] + ["None" if s is None else str(s) for s in shape]) + ")"


def expect_input(model, accepted, /, **params) -> tuple:
    """The model's sample shape, which must be one of ``accepted``."""
    shape = input_shape(model, **params)
    if shape not in [tuple(s) for s in accepted]:
        fail("input_shape", actual=describe(shape),
             expected=" / ".join(describe(s) for s in accepted), **params)
    return shape


# ---------------------------------------------------------------------- predicting
def cases(what) -> dict:
    """The message fields naming the data a model ran on: ``what`` is ``(en, zh)`` (or one
    text for both), given to the messages as ``case`` and ``case_zh``."""
    en, zh = (what, what) if isinstance(what, str) else what
    return {"case": en, "case_zh": zh}


def predict(model, x, what):
    """The model's outputs on ``x`` (arrays; a list for several outputs); a raise is the
    learner's model failing on the lab's data (``what``: see `cases`)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return model.predict(x, batch_size=BATCH_SIZE, verbose=0)
    except Exception as error:
        fail("model_raised", error=f"{type(error).__name__}: {error}", **cases(what))


def expect_output(output, expected_shapes, what, **params) -> np.ndarray:
    """``output`` is an array of one of ``expected_shapes`` (full shapes), all finite.
    ``params`` go to the messages (a head's name, for a model with several outputs)."""
    shapes = [tuple(s) for s in expected_shapes]
    actual = getattr(output, "shape", None)
    if not isinstance(output, np.ndarray) or tuple(actual) not in shapes:
        fail("output_shape", actual=str(tuple(actual)) if actual is not None
             else type(output).__name__, expected=" / ".join(str(s) for s in shapes),
             **cases(what), **params)
    if not np.isfinite(output).all():
        fail("output_not_finite", **cases(what), **params)
    return output


def single_output(outputs, what):
    """The one output of a model (a list of several is a failure)."""
    if isinstance(outputs, list):
        fail("output_shape", actual=f"{len(outputs)} outputs", expected="1 output",
             **cases(what))
    return outputs


# ---------------------------------------------------------------------- scoring
def accuracy(predicted_labels, labels) -> float:
    return float(np.mean(np.asarray(predicted_labels) == np.asarray(labels)))


def expect_bar(value: float, bar: float, count: int, key: str = "below_bar",
               **params) -> dict:
    """Below the bar is a failure; else ``{"accuracy": value}``, which the check returns to
    fill its title with the accuracy reached."""
    if value < bar:
        fail(key, accuracy=value, bar=bar, count=count, **params)
    return {"accuracy": value}


# ---------------------------------------------------------------------- the data
def _quiet(load, dataset: str):
    """``load()``, without the warning about re-packed copies; a missing or broken data set
    is a failure that says where dlpath looked (the loader's message)."""
    from dlpath.datasets import CorruptDatasetError, DatasetNotFoundError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load()
    except (DatasetNotFoundError, CorruptDatasetError, OSError) as error:
        fail("dataset_missing", dataset=dataset, error=f"{type(error).__name__}: {error}")


@functools.lru_cache(maxsize=1)
def mnist_test() -> tuple:
    """MNIST's 10,000 official test images (uint8 (N, 28, 28)) and labels (int64)."""
    from dlpath.datasets import mnist

    _, (x, y) = _quiet(mnist.load_data, "MNIST")
    return x, y.astype(np.int64)


def mnist_images(x: np.ndarray, shape: tuple) -> np.ndarray:
    """uint8 images -> float32 in [0, 1], reshaped to ``(N,) + shape``."""
    return (x.astype(np.float32) / 255.0).reshape((len(x),) + tuple(shape))


@functools.lru_cache(maxsize=1)
def cifar10_test() -> tuple:
    """CIFAR-10's 10,000 official test images as float32 (N, 32, 32, 3) in [0, 1], labels."""
    from dlpath.datasets import cifar10

    _, (x, y) = _quiet(cifar10.load_data, "CIFAR-10")
    return x.astype(np.float32) / 255.0, y.reshape(-1).astype(np.int64)


@functools.lru_cache(maxsize=1)
def imdb_test(num_words: int) -> tuple:
    """IMDb's 25,000 official test reviews as lists of ids (Keras' ``load_data``), labels."""
    from dlpath.datasets import imdb

    _, (x, y) = _quiet(lambda: imdb.load_data(num_words=num_words), "IMDb")
    return x, y.astype(np.int64)
