"""Dynamic quantization: int8 weights stored, activations quantized per batch at run time.

Nothing is calibrated: each input x is quantized with the parameters of its own range,
as ONNX's DynamicQuantizeLinear computes them,

    s = (max(x, 0) - min(x, 0)) / 255,   z = clip(round(-min(x, 0) / s), 0, 255),

and multiplied with the int8 per-output-channel weights exactly (`kernels`); the bias
stays float, added after the dequantization y = s_x s_w acc + b. This suits text models,
whose weights dominate the file (an embedding table, LSTM kernels) and whose activations
vary from batch to batch.

- `DynamicQuantizedDense`: y = activation(s_x s_w acc + b).
- `QuantizedEmbedding`: the table stored in int8, one symmetric scale per row (token);
  a lookup dequantizes the rows it gathers: e = s_v q_v.
- `DynamicQuantizedLSTM`: both matrix products of every step in int8,

      a_t = deq(x_t W) + deq(h_{t-1} R) + b,   [i, f, g, o] = split(a_t) (Keras' order)
      c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g),   h_t = sigmoid(o) tanh(c_t)

  the inputs x of the whole batch quantized once, h_{t-1} quantized at each step.
"""

from __future__ import annotations

import numpy as np

from dlpath import activations
from dlpath.export.quantization import kernels
from dlpath.export.quantization.affine import (
    QuantParams, asymmetric_from_range, quantize, quantize_weights,
)
from dlpath.export.quantization.static_layers import apply_activation


def dynamic_params(x: np.ndarray) -> QuantParams:
    """uint8 parameters from the range of ``x`` itself (DynamicQuantizeLinear)."""
    if x.size == 0:
        return asymmetric_from_range(0.0, 0.0)
    return asymmetric_from_range(float(np.min(x)), float(np.max(x)))


def dynamic_matmul(x: np.ndarray, q_w: np.ndarray, w_params: QuantParams) -> np.ndarray:
    """s_x s_w sum_k (q_x - z_x) q_w for float ``x`` (..., K) and int8 ``q_w`` (K, N)."""
    params = dynamic_params(x)
    z = int(params.zero_point)
    bound = max(z, 255 - z)
    dtype = kernels.exact_float_dtype(q_w.shape[0], bound, kernels_bound(q_w))
    rows = kernels.centred(quantize(x, params), z, dtype).reshape(-1, q_w.shape[0])
    acc = kernels.exact_matmul(rows, q_w.astype(dtype))
    y = acc.astype(np.float32) * (np.float32(params.scale) * w_params.scale)
    return y.reshape(x.shape[:-1] + (q_w.shape[1],))


def kernels_bound(q_w: np.ndarray) -> int:
    return max(int(np.max(np.abs(q_w.astype(np.int32)), initial=0)), 1)


def _saved_params(arrays, key: str, axis: int) -> QuantParams:
    scale = np.asarray(arrays[key], np.float32)
    return QuantParams(scale, np.zeros(scale.shape, np.int8), "int8", axis)


class DynamicQuantizedDense:
    kind = "dynamic_dense"

    def __init__(self, layer, q_kernel, kernel_params: QuantParams, bias=None):
        self.layer, self.name = layer, layer.name
        self.q_kernel, self.kernel_params = np.asarray(q_kernel, np.int8), kernel_params
        self.bias = None if bias is None else np.asarray(bias, np.float32)

    @classmethod
    def from_layer(cls, layer):
        bias = None if layer.bias is None else layer.bias.data
        return cls(layer, *quantize_weights(layer.kernel.data, axis=1), bias)

    def __call__(self, x):
        y = dynamic_matmul(np.asarray(x, np.float32), self.q_kernel, self.kernel_params)
        if self.bias is not None:
            y = y + self.bias
        return apply_activation(self.layer, y)

    def config(self) -> dict:
        return {"kind": self.kind}

    def arrays(self) -> dict:
        arrays = {"kernel": self.q_kernel, "kernel_scale": self.kernel_params.scale}
        if self.bias is not None:
            arrays["bias"] = self.bias
        return arrays

    @classmethod
    def from_saved(cls, layer, config, arrays, where):
        return cls(layer, arrays["kernel"], _saved_params(arrays, "kernel_scale", 1),
                   arrays.get("bias"))


class QuantizedEmbedding:
    kind = "embedding"

    def __init__(self, layer, q_table, table_params: QuantParams):
        self.layer, self.name = layer, layer.name
        self.q_table, self.table_params = np.asarray(q_table, np.int8), table_params

    @classmethod
    def from_layer(cls, layer):
        return cls(layer, *quantize_weights(layer.embeddings.data, axis=0))

    def __call__(self, ids):
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu":
            ids = ids.astype(np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.q_table)):
            raise ValueError(f"quantized layer '{self.name}' (Embedding): token ids must be "
                             f"in [0, {len(self.q_table)}), got ids from {ids.min()} to "
                             f"{ids.max()}")
        rows = self.q_table[ids].astype(np.float32)  # (..., D)
        return rows * self.table_params.scale[ids][..., None]  # e = s_v q_v

    def config(self) -> dict:
        return {"kind": self.kind}

    def arrays(self) -> dict:
        return {"embeddings": self.q_table, "embeddings_scale": self.table_params.scale}

    @classmethod
    def from_saved(cls, layer, config, arrays, where):
        return cls(layer, arrays["embeddings"], _saved_params(arrays, "embeddings_scale", 0))


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


class DynamicQuantizedLSTM:
    kind = "dynamic_lstm"

    def __init__(self, layer, q_kernel, kernel_params, q_recurrent, recurrent_params,
                 bias=None):
        self.layer, self.name = layer, layer.name
        self._check(layer)
        self.q_kernel, self.kernel_params = np.asarray(q_kernel, np.int8), kernel_params
        self.q_recurrent = np.asarray(q_recurrent, np.int8)
        self.recurrent_params = recurrent_params
        self.bias = None if bias is None else np.asarray(bias, np.float32)

    @staticmethod
    def _check(layer) -> None:
        cell = layer.cell
        problems = []
        if cell.activation is not activations.tanh:
            problems.append("activation must be tanh")
        if cell.recurrent_activation is not activations.sigmoid:
            problems.append("recurrent_activation must be sigmoid")
        for flag in ("return_state", "go_backwards", "stateful"):
            if getattr(layer, flag, False):
                problems.append(f"{flag} must be False")
        if problems:
            raise ValueError(f"dynamic quantization of layer '{layer.name}' (LSTM): "
                             f"{'; '.join(problems)}")

    @classmethod
    def from_layer(cls, layer):
        cell = layer.cell
        bias = None if cell.bias is None else cell.bias.data
        return cls(layer, *quantize_weights(cell.kernel.data, axis=1),
                   *quantize_weights(cell.recurrent_kernel.data, axis=1), bias)

    def __call__(self, x):
        mask = getattr(x, "_mask", None)
        if mask is not None:
            raise ValueError(f"dynamic quantization of layer '{self.name}' (LSTM): masked "
                             f"inputs are not supported")
        x = np.asarray(getattr(x, "data", x), np.float32)  # (B, T, D)
        batch, steps, _ = x.shape
        units = self.q_recurrent.shape[0]
        projected = dynamic_matmul(x, self.q_kernel, self.kernel_params)  # (B, T, 4U)
        if self.bias is not None:
            projected = projected + self.bias
        h = np.zeros((batch, units), np.float32)
        c = np.zeros((batch, units), np.float32)
        outputs = []
        for t in range(steps):
            a = projected[:, t] + dynamic_matmul(h, self.q_recurrent, self.recurrent_params)
            i, f = _sigmoid(a[:, :units]), _sigmoid(a[:, units:2 * units])
            g, o = np.tanh(a[:, 2 * units:3 * units]), _sigmoid(a[:, 3 * units:])
            c = f * c + i * g
            h = (o * np.tanh(c)).astype(np.float32)
            outputs.append(h)
        if self.layer.return_sequences:
            return np.stack(outputs, axis=1)  # (B, T, U)
        return h  # (B, U)

    def config(self) -> dict:
        return {"kind": self.kind}

    def arrays(self) -> dict:
        arrays = {"kernel": self.q_kernel, "kernel_scale": self.kernel_params.scale,
                  "recurrent_kernel": self.q_recurrent,
                  "recurrent_kernel_scale": self.recurrent_params.scale}
        if self.bias is not None:
            arrays["bias"] = self.bias
        return arrays

    @classmethod
    def from_saved(cls, layer, config, arrays, where):
        return cls(layer, arrays["kernel"], _saved_params(arrays, "kernel_scale", 1),
                   arrays["recurrent_kernel"],
                   _saved_params(arrays, "recurrent_kernel_scale", 1), arrays.get("bias"))


DYNAMIC_KINDS = {"dynamic_dense": DynamicQuantizedDense, "embedding": QuantizedEmbedding,
                 "dynamic_lstm": DynamicQuantizedLSTM}
