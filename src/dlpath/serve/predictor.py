"""`Predictor`: the math of the server — a batch of model inputs in, a batch of outputs out.

Two backends answer the same question: a loaded dlpath model (`DlpathPredictor`) and an
onnxruntime session (`OnnxPredictor`, on the model exported with `dlpath.export.to_onnx`, or
on a given ``.onnx`` file). Each describes its inputs with `InputSpec`s, which the request
parser checks requests against, and its outputs with `OutputSpec`s; both backends name them
alike (the names `to_onnx` gives), so a request fits either. A predictor is called from one
worker thread at a time (the batcher's).
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
    """One model input: its name, shape without the batch axis (None: any size), dtype,
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
        return {"name": self.name, "shape": _dims(self.shape), "dtype": self.dtype.name,
                "id_limit": self.id_limit}


@dataclass(frozen=True)
class OutputSpec:
    """One model output: its name and shape without the batch axis (None: any size)."""

    name: str
    shape: tuple

    def describe(self) -> dict:
        return {"name": self.name, "shape": _dims(self.shape)}


def _dims(shape: tuple) -> list:
    return [-1] + [-1 if s is None else s for s in shape]


class Predictor:
    """``predict(xs)``: one (N, *shape) array of its dtype per input spec, in order ->
    one (N, ...) float32 array per output spec, in order (tuples)."""

    backend = ""

    def __init__(self, inputs, outputs):
        self.inputs, self.outputs = tuple(inputs), tuple(outputs)

    # The first input and output: all there is to a model with one of each.
    @property
    def spec(self) -> InputSpec:
        return self.inputs[0]

    @property
    def output_name(self) -> str:
        return self.outputs[0].name

    @property
    def output_shape(self) -> tuple:
        return self.outputs[0].shape

    @property
    def input_names(self) -> list:
        return [spec.name for spec in self.inputs]

    @property
    def output_names(self) -> list:
        return [spec.name for spec in self.outputs]

    def predict(self, xs: tuple) -> tuple:  # pragma: no cover - overridden
        raise NotImplementedError

    def warm_up(self) -> tuple:
        """One prediction on zeros: the first call pays for allocations, not a request; it
        also tells the output shapes where the model did not."""
        outputs = self.predict(tuple(spec.zeros() for spec in self.inputs))
        self.outputs = tuple(OutputSpec(spec.name, tuple(value.shape[1:]))
                             for spec, value in zip(self.outputs, outputs))
        return outputs


class DlpathPredictor(Predictor):
    """A loaded dlpath model, run with ``Model.predict`` in one batch."""

    backend = "dlpath"

    def __init__(self, model):
        super().__init__(*model_spec(model))
        self.model = model

    def predict(self, xs: tuple) -> tuple:
        x = xs[0] if len(xs) == 1 else list(xs)
        outputs = self.model.predict(x, batch_size=len(xs[0]), verbose=0, check_finite=False)
        if isinstance(outputs, dict):  # Model(x, {"a": ..., "b": ...}): output_names' order
            outputs = [outputs[name] for name in self.model.output_names]
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        return tuple(np.asarray(value, dtype=np.float32) for value in outputs)


class OnnxPredictor(Predictor):
    """An onnxruntime ``InferenceSession`` on an ONNX file; ``id_limits`` (one per input,
    by name) come from the dlpath model it was exported from, when there is one."""

    backend = "onnxruntime"

    def __init__(self, path, id_limits: dict | None = None):
        try:
            import onnxruntime
        except ImportError:
            raise ServeError("the onnxruntime backend needs onnxruntime: pip install "
                             "onnxruntime") from None
        self.session = onnxruntime.InferenceSession(str(path),
                                                    providers=["CPUExecutionProvider"])
        limits = id_limits or {}
        inputs = [InputSpec(node.name, _onnx_shape(node.shape), _onnx_dtype(node, path),
                            limits.get(node.name)) for node in self.session.get_inputs()]
        outputs = [OutputSpec(node.name, _onnx_shape(node.shape))
                   for node in self.session.get_outputs()]
        super().__init__(inputs, outputs)

    def predict(self, xs: tuple) -> tuple:
        outputs = self.session.run(self.output_names, dict(zip(self.input_names, xs)))
        return tuple(np.asarray(value, dtype=np.float32) for value in outputs)

    @classmethod
    def from_model(cls, model) -> "OnnxPredictor":
        """Export ``model`` to a temporary ONNX file and open a session on it."""
        from dlpath.export import to_onnx

        inputs, _ = model_spec(model)
        with tempfile.TemporaryDirectory(prefix="dlpath-serve-") as folder:
            path = to_onnx(model, Path(folder) / "model.onnx")
            return cls(path, {spec.name: spec.id_limit for spec in inputs})


def model_spec(model) -> tuple:
    """``(input specs, output specs)`` of a Sequential or functional model, named as
    `dlpath.export.to_onnx` names them (unnamed inputs: 'input'; repeats numbered)."""
    from dlpath.export.onnx_export import _unique

    inputs = model.inputs if model.inputs is not None else [getattr(model, "_input", None)]
    if inputs == [None]:
        raise ServeError(f"model '{model.name}' has no known input shape; save it with "
                         f"keras.Input(shape=...) first")
    names = _unique(tensor.name or "input" for tensor in inputs)
    integer = [np.issubdtype(t.dtype, np.integer) for t in inputs]
    specs = [InputSpec(name, tuple(t.shape[1:]), np.dtype(t.dtype),
                       _id_limit(model, t, only=sum(integer) == 1) if is_ids else None)
             for name, t, is_ids in zip(names, inputs, integer)]
    if model.outputs is None:  # a Sequential model: one output, shaped by the warm-up
        return specs, [OutputSpec(model.output_names[0], ())]
    out_names = _unique(model.output_names)
    return specs, [OutputSpec(name, tuple(t.shape[1:]))
                   for name, t in zip(out_names, model.outputs)]


def _id_limit(model, tensor, only: bool) -> int | None:
    """The vocabulary size of the Embedding layers that read ``tensor`` (the smallest, if
    several do): ids at or above it are invalid. When none is found in the model's graph
    and ``tensor`` is its only integer input, the model's first Embedding layer."""
    from dlpath.layers.embedding import Embedding

    graph = getattr(model, "_graph", None)
    limits = []
    if graph is not None:
        reached = {id(tensor)}  # the input and what is computed from it before an Embedding
        for node in graph.nodes:
            if not any(id(parent) in reached for parent in node.parents):
                continue
            if isinstance(node.layer, Embedding):
                limits.append(int(node.layer.input_dim))
            else:
                reached.update(id(t) for t in _flat(node.outputs))
    if limits:
        return min(limits)
    if only:
        for layer in model.layers:
            if isinstance(layer, Embedding):
                return int(layer.input_dim)
    return None


def _flat(outputs) -> list:
    from dlpath.layers.input_layer import _flatten

    return _flatten(outputs)


def _onnx_shape(shape) -> tuple:
    return tuple(s if isinstance(s, int) else None for s in shape[1:])


def _onnx_dtype(node, path) -> np.dtype:
    kinds = {"tensor(float)": "float32", "tensor(double)": "float64",
             "tensor(int64)": "int64", "tensor(int32)": "int32"}
    if node.type not in kinds:
        raise ServeError(f"{path}: input {node.name!r} has type {node.type}, which is not "
                         f"served; expected one of {', '.join(kinds)}")
    return np.dtype(kinds[node.type])


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
