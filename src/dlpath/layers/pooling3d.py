"""3-D pooling layers on (batch, depth, height, width, channels) volumes: MaxPooling3D,
AveragePooling3D (the fused primitives of `dlpath.engine.pooling3d`) and
GlobalMaxPooling3D, GlobalAveragePooling3D (a max or mean over the three spatial axes)."""

from __future__ import annotations

from dlpath.engine import pooling3d as pool_ops
from dlpath.layers.pooling import GlobalPooling, Pooling

_SHAPE = "(batch, depth, height, width, channels)"


class Pooling3D(Pooling):
    """Max or average over k_d x k_h x k_w windows; subclasses set ``mode``."""

    rank = 3

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)

    def call(self, inputs):
        fn = pool_ops.max_pool3d if self.mode == "max" else pool_ops.avg_pool3d
        return fn(inputs, self.pool_size, self.strides, self.padding)

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_SHAPE} inputs"


class MaxPooling3D(Pooling3D):
    """y[n, a, i, j, c] = max_{r, p, q} x_pad[n, a s_d + r, i s_h + p, j s_w + q, c]; the
    gradient goes to the (first) maximal element of each window."""

    mode = "max"


class AveragePooling3D(Pooling3D):
    """Mean over k_d x k_h x k_w windows ('same': the padding is left out of each mean)."""

    mode = "average"


class GlobalPooling3D(GlobalPooling):
    """Max or mean over the depth, height and width axes: (batch, C), or
    (batch, 1, 1, 1, C) with ``keepdims=True``."""

    rank = 3

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_SHAPE} inputs"


class GlobalMaxPooling3D(GlobalPooling3D):
    """y[n, c] = max_{a, i, j} x[n, a, i, j, c]."""

    mode = "max"


class GlobalAveragePooling3D(GlobalPooling3D):
    """y[n, c] = mean_{a, i, j} x[n, a, i, j, c]."""

    mode = "average"


# Keras' short names.
MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool3D = GlobalAveragePooling3D
