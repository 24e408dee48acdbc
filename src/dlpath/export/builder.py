"""`GraphBuilder`: collects the nodes and initializers of one ONNX graph.

Converters call `op` to add a node and `constant` to add a weight; every name is made
unique here. Two details of the opset are kept in this one place: since opset 18 the
reductions take their axes as an input (`reduce`), and channels-last values get a
channels-first twin for the convolution and pooling ops (`channels_first`), made once and
shared, so that a stack of convolutions transposes between them only once.
"""

from __future__ import annotations

import numpy as np

from dlpath.export.errors import ExportError


def _onnx():
    import onnx

    return onnx


class GraphBuilder:
    """Nodes, initializers and unique names of the graph of one model."""

    def __init__(self, opset: int):
        self.opset = int(opset)
        self.nodes: list = []
        self.initializers: list = []
        self._taken: set = set()
        self._twins: dict = {}  # channels-last name -> its channels-first twin
        self._constants: dict = {}  # small int constants, shared

    # ------------------------------------------------------------------ names
    def fresh(self, hint: str) -> str:
        """A name not used yet, made from ``hint`` (layer names keep their slashes)."""
        base = "".join(c if c.isalnum() or c in "_/.-" else "_" for c in hint) or "t"
        name, count = base, 1
        while name in self._taken:
            name = f"{base}_{count}"
            count += 1
        self._taken.add(name)
        return name

    def reserve(self, name: str) -> None:
        """Keep ``name`` (a graph input's) from being handed out by `fresh`."""
        if name in self._taken:
            raise ExportError(f"ONNX export: two graph inputs are named '{name}'")
        self._taken.add(name)

    # ------------------------------------------------------------------ nodes
    def op(self, op_type: str, inputs, hint: str, outputs: int = 1, **attributes):
        """Add the node ``op_type(inputs)`` and return its output name (or names)."""
        onnx = _onnx()
        names = [self.fresh(f"{hint}/{op_type}" if outputs == 1 else f"{hint}/{op_type}_{i}")
                 for i in range(outputs)]
        attributes = {k: v for k, v in attributes.items() if v is not None}
        self.nodes.append(onnx.helper.make_node(op_type, list(inputs), names,
                                                name=self.fresh(f"{hint}/{op_type}_node"),
                                                **attributes))
        return names[0] if outputs == 1 else names

    def constant(self, array, hint: str, dtype=None) -> str:
        """An initializer holding ``array`` (float32 unless ``dtype`` or an int/bool array)."""
        onnx = _onnx()
        array = np.asarray(array)
        if dtype is not None:
            array = array.astype(dtype)
        elif array.dtype.kind == "f":
            array = array.astype(np.float32)
        name = self.fresh(hint)
        self.initializers.append(onnx.numpy_helper.from_array(array.copy(order="C"),
                                                              name))
        return name

    def ints(self, values) -> str:
        """A shared int64 1-D constant (shapes, axes, starts, pads)."""
        key = ("i64", tuple(int(v) for v in values))
        if key not in self._constants:
            self._constants[key] = self.constant(np.array(key[1], dtype=np.int64),
                                                 "const/int64", np.int64)
        return self._constants[key]

    def scalar(self, value: float, dtype=np.float32) -> str:
        """A shared 0-d constant."""
        key = (np.dtype(dtype).str, float(value))
        if key not in self._constants:
            self._constants[key] = self.constant(np.asarray(value, dtype=dtype),
                                                 "const/scalar", dtype)
        return self._constants[key]

    # ------------------------------------------------------------------ helpers
    def reduce(self, op_type: str, x: str, axes, hint: str, keepdims: bool = False) -> str:
        """``op_type`` (ReduceMean, ReduceMax, ReduceSum) over ``axes``."""
        axes = [int(a) for a in axes]
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.op(op_type, [x, self.ints(axes)], hint, keepdims=int(keepdims))
        return self.op(op_type, [x], hint, axes=axes, keepdims=int(keepdims))

    def transpose(self, x: str, perm, hint: str) -> str:
        return self.op("Transpose", [x], hint, perm=[int(p) for p in perm])

    def channels_first(self, x: str, rank: int, hint: str) -> str:
        """(N, *spatial, C) -> (N, C, *spatial), made once per value."""
        if x not in self._twins:
            self._twins[x] = self.transpose(x, [0, rank - 1] + list(range(1, rank - 1)), hint)
        return self._twins[x]

    def channels_last(self, x: str, rank: int, hint: str) -> str:
        """(N, C, *spatial) -> (N, *spatial, C); remembers ``x`` as the result's twin."""
        y = self.transpose(x, [0] + list(range(2, rank)) + [1], hint)
        self._twins[y] = x
        return y

    # ------------------------------------------------------------------ the end
    def prune(self, outputs) -> None:
        """Drop the nodes and initializers that no output depends on."""
        needed = set(outputs)
        kept = []
        for node in reversed(self.nodes):
            if any(name in needed for name in node.output):
                kept.append(node)
                needed.update(name for name in node.input if name)
        self.nodes = kept[::-1]
        self.initializers = [t for t in self.initializers if t.name in needed]
