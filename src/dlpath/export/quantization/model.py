"""`QuantizedModel`: a float model's graph run with int8 layers in place of some calls.

It holds the float model (for its graph and the layers that stay float: pooling,
flatten, activations, dropout, recurrent layers under static quantization), the
quantized layers by name, and the batch normalizations folded into them (which then
pass their input through). ``predict`` runs that graph in batches; ``save`` writes a ZIP
of JSON and ``.npz`` members with the int8 arrays stored as int8 (see `saving`).
"""

from __future__ import annotations

import numpy as np

from dlpath.export.graph import model_graph
from dlpath.export.quantization.graph_run import as_inputs, run_graph


class QuantizedModel:
    """An int8 model: ``predict(x, batch_size)``, ``save(path)``, ``QuantizedModel.load``.

    ``mode`` is 'static' (calibrated Dense/Conv2D) or 'dynamic' (Dense, LSTM, Embedding
    with activations quantized at run time); ``method`` the calibration method.
    """

    def __init__(self, model, layers: dict, folded: dict | None = None, mode: str = "static",
                 method: str | None = None):
        self.model = model
        self.name = model.name
        self.layers = dict(layers)
        self.folded = dict(folded or {})
        self.mode, self.method = mode, method
        self.graph = model_graph(model)

    def _hook(self, node, args):
        name = node.layer.name
        if name in self.folded:
            return args[0]
        quantized = self.layers.get(name)
        if quantized is None:
            return None
        x = args[0]
        return quantized(x if quantized.kind == "dynamic_lstm" else x.data)

    def __call__(self, x):
        outputs = [np.asarray(t.data) for t in
                   run_graph(self.graph, as_inputs(self.graph, x), self._hook)]
        return outputs[0] if len(outputs) == 1 else outputs

    def predict(self, x, batch_size: int = 32, verbose=0):
        """The outputs for ``x`` (an array or a list/dict of arrays), in batches."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"QuantizedModel.predict: batch_size must be a positive int, "
                             f"got {batch_size!r}")
        arrays = as_inputs(self.graph, x)
        count = len(arrays[0])
        if any(len(a) != count for a in arrays):
            raise ValueError(f"QuantizedModel.predict: the inputs have different numbers "
                             f"of samples: {[len(a) for a in arrays]}")
        parts = []
        for start in range(0, count, int(batch_size)):
            out = self([a[start:start + batch_size] for a in arrays])
            parts.append(out if isinstance(out, list) else [out])
        if not parts:
            raise ValueError("QuantizedModel.predict: x holds no samples")
        outputs = [np.concatenate(column) for column in zip(*parts)]
        return outputs[0] if len(outputs) == 1 else outputs

    def save(self, path) -> None:
        from dlpath.export.quantization.saving import save_quantized

        save_quantized(self, path)

    @staticmethod
    def load(path) -> "QuantizedModel":
        from dlpath.export.quantization.saving import load_quantized

        return load_quantized(path)

    def to_onnx(self, path, opset: int | None = None):
        """Write this (statically quantized) model as an int8 QDQ ONNX file."""
        from dlpath.export.quantization.onnx_qdq import write_qdq_onnx

        return write_qdq_onnx(self, path, opset)

    def __repr__(self) -> str:
        kinds = ", ".join(f"{n}: {q.kind}" for n, q in self.layers.items())
        return f"<QuantizedModel '{self.name}' {self.mode} ({kinds})>"
