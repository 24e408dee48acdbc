"""`SpectralNormalization`: a wrapper that divides the kernel of a layer by its largest
singular value (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
Networks", arXiv:1802.05957), so that the wrapped linear map has spectral norm 1.

With W the kernel seen as a matrix (prod(kernel_shape[:-1]), out) and u a persistent
(1, out) vector, one power iteration is

    v = normalize(u W^T),   u = normalize(v W),   normalize(a) = a / max(||a||_2, 1e-12)

and sigma(W) ~ v W u^T estimates the largest singular value; the layer runs on
W_SN = W / sigma(W). u and v are constants for the gradient (as in the paper), so

    dL/dW = (dL/dW_SN - <dL/dW_SN, W_SN> v^T u) / sigma      (v^T u: rows x out).
"""

from __future__ import annotations

from dlpath.engine import Tensor, no_grad, ops
from dlpath.initializers import TruncatedNormal
from dlpath.layers import arguments
from dlpath.layers.recurrent.stacked import Wrapper

_EPSILON = 1e-12


def _normalize(a):
    """a / max(||a||_2, eps) over all elements."""
    return a / ops.maximum(ops.sqrt(ops.sum(a * a)), _EPSILON)


def power_iteration(matrix, u, iterations: int) -> tuple:
    """(u, v) after ``iterations`` steps of v = normalize(u W^T), u = normalize(v W)."""
    v = None
    for _ in range(iterations):
        v = _normalize(ops.matmul(u, ops.transpose(matrix)))  # (1, rows)
        u = _normalize(ops.matmul(v, matrix))  # (1, out)
    return u, v


class SpectralNormalization(Wrapper):
    """Wraps a layer with a ``kernel`` (Dense, Conv*, ...) or ``embeddings`` (Embedding)
    and runs it on kernel / sigma(kernel).

    ``power_iterations`` steps refine u in every call with ``training=True``, and the new u
    is stored in the non-trainable weight ``vector_u`` (1, out); in inference u is used as
    stored (v = normalize(u W^T)) and not updated. Unlike Keras 3, which overwrites the
    kernel variable with W / sigma while training, the kernel variable keeps W and the
    division is part of each call (as in the paper and PyTorch).
    """

    def __init__(self, layer, power_iterations: int = 1, **kwargs):
        super().__init__(layer, **kwargs)
        self.power_iterations = arguments.positive_int(power_iterations, "power_iterations",
                                                       "SpectralNormalization")

    def build(self, input_shape):
        super().build(input_shape)
        for name in ("kernel", "embeddings"):
            if getattr(self.layer, name, None) is not None:
                self.kernel_name = name
                break
        else:
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' (SpectralNormalization): the wrapped layer "
                f"'{self.layer.name}' ({type(self.layer).__name__}) has neither a 'kernel' "
                f"nor an 'embeddings' weight to normalize")
        self.kernel_shape = tuple(getattr(self.layer, self.kernel_name).shape)
        self.vector_u = self.add_weight("vector_u", (1, self.kernel_shape[-1]),
                                        TruncatedNormal(stddev=0.02), trainable=False)

    def normalized_kernel(self, training=False):
        """W / sigma(W) for the wrapped layer (W itself when W is all zeros); with
        ``training`` the power iteration runs and its u is stored."""
        kernel = getattr(self.layer, self.kernel_name)
        matrix = ops.reshape(kernel, (-1, self.kernel_shape[-1]))  # (rows, out)
        with no_grad():
            constant = Tensor(matrix.data, dtype=matrix.dtype)
            u = Tensor(self.vector_u.data, dtype=matrix.dtype)
            if training:
                u, v = power_iteration(constant, u, self.power_iterations)
                self.vector_u.assign(u)
            else:
                v = _normalize(ops.matmul(u, ops.transpose(constant)))
        sigma = ops.matmul(ops.matmul(v, matrix), ops.transpose(u))  # (1, 1)
        if float(sigma.data.reshape(())) == 0.0:
            return kernel
        return kernel / ops.reshape(sigma, ())

    def call(self, inputs, training=False):
        variable = getattr(self.layer, self.kernel_name)
        setattr(self.layer, self.kernel_name, self.normalized_kernel(bool(training)))
        try:
            return self.layer(inputs, training=training)
        finally:
            setattr(self.layer, self.kernel_name, variable)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
