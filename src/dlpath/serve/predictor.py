"""`Predictor`: the math of the server — a batch of model inputs in, a batch of outputs out.

Two backends answer the same question: a loaded dlpath model (`DlpathPredictor`) and an
onnxruntime session (`OnnxPredictor`, on the model exported with `dlpath.export.to_onnx`, or
on a given ``.onnx`` file). Each describes its one input and one output with an
`InputSpec`, which the request parser checks requests against. A predictor is called from
one worker thread at a time (the batcher's).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BACKENDS = ("dlpath", "onnxruntime")


class ServeError(ValueError):
    """The model cannot be served (what is wrong with it, and where)."""


@dataclass(frozen=True)
class InputSpec:
    """The model's input: its name, shape without the batch axis (None: any size), dtype,
    and for token ids the number of ids (``id_limit``: ids must be in [0, id_limit))."""

    name: str
    shape: tuple
    dtype: np.dtype
    id_limit: int | None = None

    @property
    def is_integer(self) -> bool:
        return np.issubdtype(self.dtype, np.integer)

    def zeros(self, batch: int = 1) -> np.ndarray:
        """A batch of zeros of this shape (unknown sizes: 1), for the warm-up."""
        return np.zeros((batch,) + tuple(1 if s is None else s for s in self.shape),
                        dtype=self.dtype)

    def describe(self) -> dict:
        return {"name": self.name, "shape": [-1] + [-1 if s is None else s for s in self.shape],
                "dtype": self.dtype.name, "id_limit": self.id_limit}


class Predictor:
    """``predict(x)``: (N, *input shape) array of ``spec.dtype`` -> (N, ...) float32."""

    backend = ""

    def __init__(self, spec: InputSpec, output_name: str, output_shape: tuple):
        self.spec, self.output_name, self.output_shape = spec, output_name, output_shape

    def predict(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def warm_up(self) -> np.ndarray:
        """One prediction on zeros: the first call pays for allocations, not a request; it
        also tells the output shape where the model did not."""
        outputs = self.predict(self.spec.zeros())
        self.output_shape = tuple(outputs.shape[1:])
        return outputs


class DlpathPredictor(Predictor):
    """A loaded dlpath model, run with ``Model.predict`` in one batch."""

    backend = "dlpath"

    def __init__(self, model):
        spec, output = model_spec(model)
        super().__init__(spec, *output)
        self.model = model

    def predict(self, x: np.ndarray) -> np.ndarray:
        outputs = self.model.predict(x, batch_size=len(x), verbose=0, check_finite=False)
        return np.asarray(outputs, dtype=np.float32)


class OnnxPredictor(Predictor):
    """An onnxruntime ``InferenceSession`` on an ONNX file; ``id_limit`` comes from the
    dlpath model it was exported from, when there is one."""

    backend = "onnxruntime"

    def __init__(self, path, id_limit: int | None = None):
        try:
            import onnxruntime
        except ImportError:
            raise ServeError("the onnxruntime backend needs onnxruntime: pip install "
                             "onnxruntime") from None
        self.session = onnxruntime.InferenceSession(str(path),
                                                    providers=["CPUExecutionProvider"])
        inputs, outputs = self.session.get_inputs(), self.session.get_outputs()
        if len(inputs) != 1 or len(outputs) != 1:
            raise ServeError(f"{path}: the server serves models with one input and one "
                             f"output; this one has {len(inputs)} and {len(outputs)}")
        shape = tuple(s if isinstance(s, int) else None for s in inputs[0].shape[1:])
        spec = InputSpec(inputs[0].name, shape, _onnx_dtype(inputs[0].type, path), id_limit)
        out_shape = tuple(s if isinstance(s, int) else None for s in outputs[0].shape[1:])
        super().__init__(spec, outputs[0].name, out_shape)

    def predict(self, x: np.ndarray) -> np.ndarray:
        (outputs,) = self.session.run([self.output_name], {self.spec.name: x})
        return np.asarray(outputs, dtype=np.float32)

    @classmethod
    def from_model(cls, model) -> "OnnxPredictor":
        """Export ``model`` to a temporary ONNX file and open a session on it."""
        from dlpath.export import to_onnx

        spec, _ = model_spec(model)
        with tempfile.TemporaryDirectory(prefix="dlpath-serve-") as folder:
            path = to_onnx(model, Path(folder) / "model.onnx")
            return cls(path, spec.id_limit)


def model_spec(model) -> tuple:
    """``(InputSpec, (output name, output shape))`` of a Sequential or functional model."""
    inputs = model.inputs if model.inputs is not None else [getattr(model, "_input", None)]
    if inputs == [None]:
        raise ServeError(f"model '{model.name}' has no known input shape; save it with "
                         f"keras.Input(shape=...) first")
    if len(inputs) != 1:
        raise ServeError(f"model '{model.name}': the server serves models with one input; "
                         f"this one has {len(inputs)}")
    outputs = model.outputs
    if outputs is not None and len(outputs) != 1:
        raise ServeError(f"model '{model.name}': the server serves models with one output; "
                         f"this one has {len(outputs)}")
    first = inputs[0]
    spec = InputSpec(first.name or "input", tuple(first.shape[1:]), np.dtype(first.dtype),
                     _id_limit(model) if np.issubdtype(first.dtype, np.integer) else None)
    output_shape = tuple(outputs[0].shape[1:]) if outputs is not None else ()
    return spec, (model.output_names[0], output_shape)


def _id_limit(model) -> int | None:
    """The vocabulary size of the first Embedding layer: ids at or above it are invalid."""
    from dlpath.layers.embedding import Embedding

    for layer in model.layers:
        if isinstance(layer, Embedding):
            return int(layer.input_dim)
    return None


def _onnx_dtype(name: str, path) -> np.dtype:
    kinds = {"tensor(float)": "float32", "tensor(double)": "float64",
             "tensor(int64)": "int64", "tensor(int32)": "int32"}
    if name not in kinds:
        raise ServeError(f"{path}: input type {name} is not served; expected one of "
                         f"{', '.join(kinds)}")
    return np.dtype(kinds[name])


def load_predictor(model_file, backend: str) -> Predictor:
    """A predictor of ``backend`` for a saved ``.keras`` model or an ``.onnx`` file."""
    if backend not in BACKENDS:
        raise ServeError(f"--backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    path = Path(model_file)
    if path.suffix.lower() == ".onnx":
        if backend != "onnxruntime":
            raise ServeError(f"{path} is an ONNX file; serve it with --backend onnxruntime")
        return OnnxPredictor(path)
    from dlpath.saving import load_model

    model = load_model(path)
    return DlpathPredictor(model) if backend == "dlpath" else OnnxPredictor.from_model(model)
