"""Statically quantized Dense and Conv2D: int8 weights, uint8 inputs, int32 accumulators.

With the input's calibrated (s_x, z_x), the kernel's per-output-channel (s_w, 0) and the
bias at s_b = s_x s_w, a layer computes

    q_x = clip(round(x / s_x) + z_x, 0, 255)
    acc = q_b + sum_k (q_x - z_x) q_w                        (int32, exact: `kernels`)
    y   = activation(s_x s_w acc)                            (dequantized, float32)

which approximates activation(x W + b) with x and W replaced by their quantized values.
The output stays float: the next quantized layer quantizes it with its own calibrated
input parameters, and the layers in between (pooling, flatten, activations) run in float.
When ``output_params`` are set (the next quantized layer's input parameters, see
`plan.plan_requantize`), the output is requantized, y <- s_y (q_y - z_y), which changes no
number the next layer sees and matches the QuantizeLinear the ONNX graph has there.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, no_grad
from dlpath.engine.conv import conv_pads
from dlpath.export.quantization import kernels
from dlpath.export.quantization.affine import (
    QuantParams, bias_params, dequantize, quantize, quantize_bias, quantize_weights,
)


def apply_activation(layer, y: np.ndarray) -> np.ndarray:
    """``layer.activation`` (a dlpath activation) on the float array ``y``."""
    with no_grad():
        return np.asarray(layer.activation(Tensor(y)).data, np.float32)


class QuantizedLinear:
    """What Dense and Conv2D share: the quantized kernel (Keras layout, output channels
    last), its scales, the int32 bias, the input's parameters, and the dequantization."""

    kind = ""

    def __init__(self, layer, q_kernel, kernel_params: QuantParams, input_params: QuantParams,
                 q_bias=None):
        self.layer = layer
        self.name = layer.name
        self.q_kernel = np.asarray(q_kernel, np.int8)
        self.kernel_params = kernel_params
        self.input_params = input_params
        self.q_bias = None if q_bias is None else np.asarray(q_bias, np.int32)
        self.bias_params = bias_params(input_params, kernel_params)
        self.output_params = None
        self._check()
        k = int(np.prod(self.q_kernel.shape[:-1]))
        z = int(input_params.zero_point)
        x_bound = max(z - input_params.qmin, input_params.qmax - z)
        w_bound = max(int(np.max(np.abs(self.q_kernel.astype(np.int32)), initial=0)), 1)
        b_bound = 0 if self.q_bias is None else int(np.max(np.abs(self.q_bias.astype(
            np.int64)), initial=0))
        self.compute_dtype = kernels.exact_float_dtype(k, x_bound, w_bound, b_bound)
        self.matrix = self.q_kernel.reshape(k, -1).astype(self.compute_dtype)  # (K, O)

    def _check(self) -> None:
        out = self.q_kernel.shape[-1]
        where = f"quantized layer '{self.name}' ({self.kind})"
        if self.kernel_params.scale.shape != (out,):
            raise ValueError(f"{where}: expected {out} kernel scales (one per output "
                             f"channel), got shape {self.kernel_params.scale.shape}")
        if self.q_bias is not None and self.q_bias.shape != (out,):
            raise ValueError(f"{where}: expected a bias of shape ({out},), got "
                             f"{self.q_bias.shape}")
        if self.input_params.dtype != "uint8" or self.input_params.axis is not None:
            raise ValueError(f"{where}: inputs are quantized per tensor to uint8, got "
                             f"{self.input_params.dtype} (axis {self.input_params.axis})")

    @classmethod
    def from_float(cls, layer, kernel, bias, input_params: QuantParams):
        """Quantize the float ``kernel`` and ``bias`` (the layer's, or BN-folded ones)."""
        q_kernel, kernel_params = quantize_weights(kernel, axis=-1)  # per output channel
        q_bias = None
        if bias is not None:
            q_bias, _ = quantize_bias(bias, input_params, kernel_params)
        return cls(layer, q_kernel, kernel_params, input_params, q_bias)

    # ------------------------------------------------------------------ computing
    def quantize_input(self, x) -> np.ndarray:
        return quantize(x, self.input_params)

    def rows(self, q_x: np.ndarray, dtype) -> tuple:  # pragma: no cover - overridden
        raise NotImplementedError

    def _float_accumulator(self, x) -> np.ndarray:
        rows, shape = self.rows(self.quantize_input(x), self.compute_dtype)
        acc = kernels.float_accumulator(rows, self.matrix, self.q_bias)  # exact integers
        return acc.reshape(shape + (-1,))

    def accumulate(self, x, reference: bool = False) -> np.ndarray:
        """The int32 accumulator; ``reference=True`` computes it in NumPy int32."""
        if not reference:
            return self._float_accumulator(x).astype(np.int32)
        rows, shape = self.rows(self.quantize_input(x), np.int32)
        acc = kernels.int32_matmul(rows, self.q_kernel.reshape(self.matrix.shape),
                                   self.q_bias)
        return acc.reshape(shape + (-1,))

    def __call__(self, x) -> np.ndarray:
        acc = self._float_accumulator(x)  # the int32 accumulator's values, as floats
        y = acc.astype(np.float32, copy=False) * self.bias_params.scale  # s_x s_w acc
        y = apply_activation(self.layer, y)
        if self.output_params is not None:
            y = dequantize(quantize(y, self.output_params), self.output_params)
        return y

    def dequantized_kernel(self) -> np.ndarray:
        """s_w q_w: the kernel this layer effectively uses."""
        return dequantize(self.q_kernel, self.kernel_params)

    # ------------------------------------------------------------------ saving
    def config(self) -> dict:
        output = None if self.output_params is None else self.output_params.to_json()
        return {"kind": self.kind, "input": self.input_params.to_json(), "output": output,
                "kernel": {"scale_key": "kernel_scale", "axis": self.kernel_params.axis},
                "has_bias": self.q_bias is not None}

    def arrays(self) -> dict:
        arrays = {"kernel": self.q_kernel, "kernel_scale": self.kernel_params.scale}
        if self.q_bias is not None:
            arrays["bias"] = self.q_bias
        return arrays

    @classmethod
    def from_saved(cls, layer, config: dict, arrays: dict, where: str):
        input_params = QuantParams.from_json(config["input"], where)
        scale = np.asarray(arrays["kernel_scale"], np.float32)
        kernel_params = QuantParams(scale, np.zeros(scale.shape, np.int8), "int8",
                                    np.ndim(arrays["kernel"]) - 1)
        quantized = cls(layer, arrays["kernel"], kernel_params, input_params,
                        arrays.get("bias") if config.get("has_bias") else None)
        if config.get("output") is not None:
            quantized.output_params = QuantParams.from_json(config["output"], where)
        return quantized


class QuantizedDense(QuantizedLinear):
    """y = activation(s_x s_w (q_b + (q_x - z_x) q_w)) on the last axis."""

    kind = "dense"

    def rows(self, q_x, dtype):
        centred = kernels.centred(q_x, self.input_params.zero_point, dtype)
        return centred.reshape(-1, q_x.shape[-1]), q_x.shape[:-1]


class QuantizedConv2D(QuantizedLinear):
    """The same product on the im2col rows of the centred, zero-padded NHWC input."""

    kind = "conv2d"

    def rows(self, q_x, dtype):
        layer = self.layer
        kernel_hw = self.q_kernel.shape[:2]
        pads = conv_pads(q_x.shape[1:3], kernel_hw, layer.strides, layer.dilation_rate,
                         layer.padding)
        centred = kernels.centred(q_x, self.input_params.zero_point, dtype)
        return kernels.conv_rows(centred, kernel_hw, layer.strides, pads,
                                 layer.dilation_rate)


STATIC_KINDS = {"dense": QuantizedDense, "conv2d": QuantizedConv2D}
