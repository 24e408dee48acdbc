r"""Convolution and pooling as functions, over the engine's fused ops.

Keras 3 (``keras.ops.conv``, ``max_pool``, ...) and TensorFlow (``tf.nn.conv2d``, ...) spell
the same operations differently; both land here, and every one calls the primitive the
layers use (`dlpath.engine.conv`, `conv3d`, `conv3d_transpose`, `conv1d_variants`,
`pooling`, `pooling3d`): there is one implementation of each convolution.

Layouts: inputs are channels-last (NWC, NHWC, NDHWC) unless ``data_format`` says
channels-first, which is transposed in and out. Kernels are (spatial..., in, out) (TF's
HWIO); transposed kernels (spatial..., out, in); depthwise kernels (spatial..., in, m).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import conv as econv
from dlpath.engine import conv1d_variants, conv3d, conv3d_transpose, pooling, pooling3d
from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor

_FIRST = ("channels_first", "NCW", "NCHW", "NCDHW")
_LAST = ("channels_last", "NWC", "NHWC", "NDHWC")


def _float(x):
    x = convert_to_tensor(x)
    return x if x.dtype.kind == "f" else eops.cast(x, np.float32)


def channels_first(data_format, owner: str) -> bool:
    """Whether ``data_format`` (Keras' or TF's spelling; None = the configured one) puts
    channels first."""
    if data_format is None:
        from dlpath.ops.config import image_data_format

        data_format = image_data_format()
    if data_format in _FIRST:
        return True
    if data_format in _LAST:
        return False
    raise ValueError(f"{owner}: data_format must be one of {_LAST + _FIRST}, got "
                     f"{data_format!r}")


def to_last(x, first: bool):
    """(N, C, *spatial) -> (N, *spatial, C) when ``first``."""
    if not first:
        return x
    return eops.transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,))


def to_first(x, first: bool):
    """(N, *spatial, C) -> (N, C, *spatial) when ``first``."""
    if not first:
        return x
    return eops.transpose(x, (0, x.ndim - 1) + tuple(range(1, x.ndim - 1)))


def spatial_of(value, rank: int, name: str, owner: str, first: bool = False) -> tuple:
    """An int, a list of ``rank`` ints, or TF's list of rank + 2 (batch and channel 1)."""
    if value is None:
        return (1,) * rank
    if isinstance(value, (int, np.integer)):
        return (int(value),) * rank
    value = tuple(int(v) for v in value)
    if len(value) == rank:
        return value
    if len(value) == rank + 2:
        inner = value[2:] if first else value[1:-1]
        outer = (value[0], value[1]) if first else (value[0], value[-1])
        if outer != (1, 1):
            raise ValueError(f"{owner}: {name} {list(value)} must be 1 on the batch and "
                             f"channel axes")
        return inner
    raise ValueError(f"{owner}: {name} must be an int or a list of {rank} (or {rank + 2}) "
                     f"ints, got {list(value)}")


def _padding(padding, rank: int, owner: str, first: bool):
    """'valid'/'same' (any case), or TF's explicit [[0, 0], [lo, hi], ..., [0, 0]]."""
    if isinstance(padding, str):
        if padding.lower() not in ("valid", "same"):
            raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding!r}")
        return padding.lower()
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) == rank + 2:
        pairs = pairs[2:] if first else pairs[1:-1]
    if len(pairs) != rank or any(len(p) != 2 for p in pairs):
        raise ValueError(f"{owner}: explicit padding needs {rank} (or {rank + 2}) pairs, got "
                         f"{padding}")
    return tuple(pairs)


def _rank(x, owner: str, allowed=(1, 2, 3)) -> int:
    rank = x.ndim - 2
    if rank not in allowed:
        ranks = ", ".join(str(r + 2) for r in allowed)
        raise ValueError(f"{owner}: inputs must have rank {ranks} (batch, spatial..., "
                         f"channels), got shape {x.shape}")
    return rank


# ------------------------------------------------------------------------------- convolutions
def _conv_last(x, kernel, strides, padding, dilation, owner: str):
    rank = x.ndim - 2
    if kernel.ndim != rank + 2:
        raise ValueError(f"{owner}: a rank-{x.ndim} input needs a kernel of rank {rank + 2} "
                         f"(spatial..., in, out), got shape {kernel.shape}")
    if rank == 1:
        pads = padding if isinstance(padding, str) else padding[0]
        return econv.conv1d(x, kernel, None, strides[0], pads, dilation[0])
    if rank == 2:
        return econv.conv2d(x, kernel, None, strides, padding, dilation)
    return conv3d.conv3d(x, kernel, None, strides, padding, dilation)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-d convolution (N = 1, 2, 3), Keras 3's ``keras.ops.conv``:
    :math:`y[n, o] = \\sum_{k, c} x[n, o s + k d, c] K[k, c, o']` (correlation, as Keras)."""
    x = _float(inputs)
    kernel = convert_to_tensor(kernel, x.dtype)  # the input's precision, as Keras
    first = channels_first(data_format, "conv")
    rank = _rank(x, "conv")
    strides = spatial_of(strides, rank, "strides", "conv", first)
    dilation = spatial_of(dilation_rate, rank, "dilation_rate", "conv", first)
    padding = _padding(padding, rank, "conv", first)
    y = _conv_last(to_last(x, first), kernel, strides, padding, dilation, "conv")
    return to_first(y, first)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (the gradient of ``conv`` with respect to its input), kernel
    (spatial..., out, in); output sizes as Keras' ConvNDTranspose."""
    x = _float(inputs)
    kernel = convert_to_tensor(kernel, x.dtype)  # the input's precision, as Keras
    first = channels_first(data_format, "conv_transpose")
    rank = _rank(x, "conv_transpose")
    if kernel.ndim != rank + 2:
        raise ValueError(f"conv_transpose: a rank-{x.ndim} input needs a kernel of rank "
                         f"{rank + 2} (spatial..., out, in), got shape {kernel.shape}")
    strides = spatial_of(strides, rank, "strides", "conv_transpose")
    dilation = spatial_of(dilation_rate, rank, "dilation_rate", "conv_transpose")
    padding = _padding(padding, rank, "conv_transpose", first)
    if not isinstance(padding, str):
        raise ValueError("conv_transpose: padding must be 'valid' or 'same'")
    if output_padding is not None:
        output_padding = spatial_of(output_padding, rank, "output_padding", "conv_transpose")
    x = to_last(x, first)
    if rank == 1:
        y = conv1d_variants.conv1d_transpose(
            x, kernel, None, strides[0], padding,
            None if output_padding is None else output_padding[0], dilation[0])
    elif rank == 2:
        y = econv.conv2d_transpose(x, kernel, None, strides, padding, output_padding,
                                   dilation)
    else:
        y = conv3d_transpose.conv3d_transpose(x, kernel, None, strides, padding,
                                              output_padding, dilation)
    return to_first(y, first)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution (1-D or 2-D): each input channel c convolved with its own m
    filters K[..., c, :], giving C m channels (channel c m + j)."""
    x = _float(inputs)
    kernel = convert_to_tensor(kernel, x.dtype)  # the input's precision, as Keras
    first = channels_first(data_format, "depthwise_conv")
    rank = _rank(x, "depthwise_conv", (1, 2))
    if kernel.ndim != rank + 2:
        raise ValueError(f"depthwise_conv: a rank-{x.ndim} input needs a kernel of rank "
                         f"{rank + 2} (spatial..., in, multiplier), got shape {kernel.shape}")
    strides = spatial_of(strides, rank, "strides", "depthwise_conv", first)
    dilation = spatial_of(dilation_rate, rank, "dilation_rate", "depthwise_conv", first)
    padding = _padding(padding, rank, "depthwise_conv", first)
    x = to_last(x, first)
    if rank == 1:
        pads = padding if isinstance(padding, str) else padding[0]
        y = conv1d_variants.depthwise_conv1d(x, kernel, None, strides[0], pads, dilation[0])
    else:
        y = econv.depthwise_conv2d(x, kernel, None, strides, padding, dilation)
    return to_first(y, first)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 convolution with ``pointwise_kernel``
    (1.., C m, out)."""
    first = channels_first(data_format, "separable_conv")
    y = depthwise_conv(inputs, depthwise_kernel, strides, padding,
                       "channels_first" if first else "channels_last", dilation_rate)
    return conv(y, pointwise_kernel, 1, "valid",
                "channels_first" if first else "channels_last", 1)


# ------------------------------------------------------------------------------------ pooling
_POOLS = {
    ("max", 1): pooling.max_pool1d, ("max", 2): pooling.max_pool2d,
    ("max", 3): pooling3d.max_pool3d, ("avg", 1): pooling.avg_pool1d,
    ("avg", 2): pooling.avg_pool2d, ("avg", 3): pooling3d.avg_pool3d,
}


def pool(inputs, kind: str, pool_size, strides=None, padding="valid", data_format=None,
         owner: str = "pool"):
    """Max or average pooling (``kind`` 'max' / 'avg') of a 1-, 2- or 3-D input; strides
    default to the pool size; 'same' average pools leave the padding out of each mean."""
    x = _float(inputs)
    first = channels_first(data_format, owner)
    rank = _rank(x, owner)
    size = spatial_of(pool_size, rank, "pool_size", owner, first)
    strides = size if strides is None else spatial_of(strides, rank, "strides", owner, first)
    padding = _padding(padding, rank, owner, first)
    if not isinstance(padding, str):
        raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding}")
    fn = _POOLS[(kind, rank)]
    if rank == 1:
        y = fn(to_last(x, first), size[0], strides[0], padding)
    else:
        y = fn(to_last(x, first), size, strides, padding)
    return to_first(y, first)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Keras 3's ``keras.ops.max_pool``: the maximum of each window."""
    return pool(inputs, "max", pool_size, strides, padding, data_format, "max_pool")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Keras 3's ``keras.ops.average_pool``: the mean of each window."""
    return pool(inputs, "avg", pool_size, strides, padding, data_format, "average_pool")



def _adaptive_axis(x, axis: int, size: int, reduce):
    """Bin i of ``axis`` (length n) covers [floor(i n / size), ceil((i + 1) n / size))."""
    n = x.shape[axis]
    parts = []
    for i in range(size):
        start, stop = (i * n) // size, -(-((i + 1) * n) // size)
        index = (slice(None),) * axis + (slice(start, stop),)
        parts.append(reduce(eops.getitem(x, index), axis, True))
    return eops.concatenate(parts, axis)


def _adaptive(inputs, output_size, data_format, reduce, owner: str):
    x = _float(inputs)
    first = channels_first(data_format, owner)
    rank = _rank(x, owner)
    sizes = spatial_of(output_size, rank, "output_size", owner)
    if min(sizes) < 1:
        raise ValueError(f"{owner}: output_size must be positive, got {sizes}")
    y = to_last(x, first)
    for axis, size in enumerate(sizes, start=1):  # separable: boxes are products of bins
        y = _adaptive_axis(y, axis, size, reduce)
    return to_first(y, first)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed ``output_size``: output i averages the input bin
    [floor(i n / m), ceil((i + 1) n / m)) on each spatial axis (as PyTorch)."""
    return _adaptive(inputs, output_size, data_format, eops.mean, "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed ``output_size`` over the same bins as
    `adaptive_average_pool`."""
    return _adaptive(inputs, output_size, data_format, eops.max, "adaptive_max_pool")

# --------------------------------------------------------------- TF's transposed convolution
def conv_transpose_to_shape(x, kernel, output_shape, strides, padding, dilations,
                            first: bool, owner: str):
    """TF's ``conv{1,2,3}d_transpose``: the transposed convolution of the given
    ``output_shape`` (with or without batch and channels).

    The full transposed convolution z (length (n - 1) s + k', k' = (k - 1) d + 1, zeros after
    when s > k') is cropped to z[top : top + out]; with 'SAME', top = floor(total / 2),
    total = max((n - 1) s + k' - out, 0), the padding the forward convolution would use.
    """
    x = _float(x)
    kernel = convert_to_tensor(kernel, x.dtype)
    rank = _rank(x, owner)
    strides = spatial_of(strides, rank, "strides", owner, first)
    dilation = spatial_of(dilations, rank, "dilations", owner, first)
    padding = _padding(padding, rank, owner, first)
    if not isinstance(padding, str):
        raise ValueError(f"{owner}: padding must be 'VALID' or 'SAME'")
    shape = tuple(-1 if n is None else int(n)  # Keras 2 passes (None, ...) for the batch
                  for n in np.asarray(getattr(output_shape, "data", output_shape)).tolist())
    if len(shape) == rank + 2:
        out = shape[2:] if first else shape[1:-1]
    elif len(shape) == rank:
        out = shape
    else:
        raise ValueError(f"{owner}: output_shape needs {rank} or {rank + 2} entries, got "
                         f"{list(shape)}")
    x = to_last(x, first)
    full = conv_transpose(x, kernel, strides, "valid", None, "channels_last", dilation)
    index, pads = [slice(None)], [(0, 0)]
    for axis, (n, o, k, s, d) in enumerate(zip(x.shape[1:-1], out, kernel.shape[:rank],
                                                strides, dilation)):
        k_eff = (k - 1) * d + 1
        expected = -(-o // s) if padding == "same" else -(-(o - k_eff + 1) // s)
        if expected != n:
            raise ValueError(f"{owner}: output_shape {list(shape)} does not fit an input of "
                             f"shape {tuple(x.shape)} with strides {strides} and padding "
                             f"{padding!r} (axis {axis} of size {n} needs an output of "
                             f"size giving {n} windows)")
        top = max((n - 1) * s + k_eff - o, 0) // 2 if padding == "same" else 0
        pads.append((0, max(top + o - full.shape[1 + axis], 0)))
        index.append(slice(top, top + o))
    pads.append((0, 0))
    if any(p != (0, 0) for p in pads):
        full = eops.pad(full, tuple(pads))
    return to_first(eops.getitem(full, tuple(index) + (slice(None),)), first)



# ------------------------------------------------------------------------------ normalization
def _along(v, x, axis: int, owner: str, name: str):
    """A 1-D statistic or parameter of x.shape[axis] reshaped to broadcast along ``axis``."""
    v = convert_to_tensor(v, x.dtype)
    if v.ndim == 1 and x.ndim > 1:
        if v.shape[0] != x.shape[axis]:
            raise ValueError(f"{owner}: {name} has shape {v.shape}, expected "
                             f"({x.shape[axis]},) for axis {axis} of an input of shape "
                             f"{x.shape}")
        shape = [1] * x.ndim
        shape[axis] = v.shape[0]
        return eops.reshape(v, tuple(shape))
    return v


def batch_normalization(x, mean, variance, axis: int, offset=None, scale=None,
                        epsilon: float = 1e-3):
    r"""Keras 3's ``keras.ops.batch_normalization`` with given statistics (1-D along
    ``axis``): :math:`y = (x - \mu) / \sqrt{\sigma^2 + \epsilon}\, \gamma + \beta`."""
    x = _float(x)
    axis = int(axis) % x.ndim
    owner = "batch_normalization"
    y = (x - _along(mean, x, axis, owner, "mean")) / eops.sqrt(
        _along(variance, x, axis, owner, "variance") + float(epsilon))
    if scale is not None:
        y = y * _along(scale, x, axis, owner, "scale")
    if offset is not None:
        y = y + _along(offset, x, axis, owner, "offset")
    return y


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    r"""Keras 3's ``keras.ops.layer_normalization`` over the engine's fused LayerNorm:
    :math:`y = (x - \mu) / \sqrt{\sigma^2 + \epsilon}\, \gamma + \beta` over ``axis``
    (``epsilon`` defaults to ``keras.config.epsilon()``, as Keras)."""
    from dlpath.engine import normalization
    from dlpath.ops.config import epsilon as default_epsilon

    x = _float(x)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    eps = default_epsilon() if epsilon is None else float(epsilon)
    return normalization.layer_norm(x, gamma, beta, axes, eps)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    r"""Root-mean-square normalization (Zhang and Sennrich 2019):
    :math:`y = x / \sqrt{\overline{x^2} + \epsilon}\, s` over ``axis``."""
    from dlpath.ops.config import epsilon as default_epsilon

    x = _float(x)
    eps = default_epsilon() if epsilon is None else float(epsilon)
    y = x / eops.sqrt(eops.mean(x * x, axis, True) + eps)
    return y * convert_to_tensor(scale, x.dtype)


def local_response_normalization(inputs, depth_radius: int = 5, bias: float = 1.0,
                                 alpha: float = 1.0, beta: float = 0.5):
    r"""TF's ``tf.nn.local_response_normalization`` over the last axis (Krizhevsky et al.
    2012): :math:`y_c = x_c / (b + \alpha \sum_{c' = c - r}^{c + r} x_{c'}^2)^\beta`."""
    x = _float(inputs)
    r = int(depth_radius)
    if r < 0:
        raise ValueError(f"local_response_normalization: depth_radius must be >= 0, got {r}")
    squares = eops.pad(x * x, ((0, 0),) * (x.ndim - 1) + ((r, r),))
    channels = x.shape[-1]
    total = None
    for offset in range(2 * r + 1):
        window = eops.getitem(squares, (Ellipsis, slice(offset, offset + channels)))
        total = window if total is None else total + window
    return x / eops.pow(total * float(alpha) + float(bias), float(beta))


# ------------------------------------------------------------------------------------ losses


def binary_crossentropy(target, output, from_logits: bool = False):
    r"""Element-wise :math:`-(y \ln p + (1 - y) \ln(1 - p))`, p clipped to [eps, 1 - eps];
    from logits z it is the stable softplus(z) - y z."""
    from dlpath.engine import activations
    from dlpath.ops.config import epsilon

    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    if target.shape != output.shape:
        raise ValueError(f"binary_crossentropy: target has shape {target.shape}, output "
                         f"{output.shape}; they must be equal")
    if from_logits:
        return activations.softplus(output) - target * output
    eps = epsilon()
    p = eops.clip(output, eps, 1.0 - eps)
    return -(target * eops.log(p) + (1.0 - target) * eops.log(1.0 - p))


def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    r""":math:`-\sum_c y_c \ln p_c` along ``axis``; probabilities are renormalised and
    clipped to [eps, 1 - eps], logits go through log-softmax."""
    from dlpath.engine import activations
    from dlpath.ops.config import epsilon

    output = _float(output)
    target = convert_to_tensor(target, output.dtype)
    if target.shape != output.shape:
        raise ValueError(f"categorical_crossentropy: target has shape {target.shape}, "
                         f"output {output.shape}; they must be equal")
    axis = int(axis) % output.ndim
    if from_logits:
        return -eops.sum(target * activations.log_softmax(output, axis), axis)
    eps = epsilon()
    p = eops.clip(output / eops.sum(output, axis, True), eps, 1.0 - eps)
    return -eops.sum(target * eops.log(p), axis)


def sparse_categorical_crossentropy(target, output, from_logits: bool = False,
                                    axis: int = -1):
    r""":math:`-\ln p_y` along ``axis`` for integer targets y (a trailing axis of size 1 is
    allowed)."""
    output = _float(output)
    labels = np.asarray(getattr(target, "data", target))
    axis = int(axis) % output.ndim
    if labels.ndim == output.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis)
    expected = output.shape[:axis] + output.shape[axis + 1:]
    if labels.shape != expected:
        raise ValueError(f"sparse_categorical_crossentropy: target has shape {labels.shape}, "
                         f"expected {expected} for an output of shape {output.shape}")
    depth = output.shape[axis]
    if labels.size and (labels.min() < 0 or labels.max() >= depth):
        raise ValueError(f"sparse_categorical_crossentropy: targets must lie in [0, {depth})")
    onehot = np.moveaxis(np.eye(depth, dtype=output.dtype)[labels.astype(np.int64)], -1,
                         axis)
    return categorical_crossentropy(onehot, output, from_logits, axis)


# ---------------------------------------------------------------------------------- attention
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None,
                          is_causal: bool = False, flash_attention=None,
                          attn_logits_soft_cap=None):
    r"""Keras 3's ``keras.ops.dot_product_attention`` on (B, T, N, H) inputs:
    :math:`\mathrm{softmax}(s Q K^T + \mathrm{bias}, \mathrm{masked}) V`, s = 1/sqrt(H).

    ``mask`` (broadcastable to (B, N, T, S), True = attend) and ``is_causal`` (position t
    attends to s <= t) combine; without ``bias`` the engine's fused attention runs, with it
    the same formula from primitives.
    """
    from dlpath.engine import activations, attention

    q, k, v = _float(query), _float(key), _float(value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(f"dot_product_attention: query, key and value must have rank 4 "
                         f"(batch, length, heads, head_dim), got {q.shape}, {k.shape}, "
                         f"{v.shape}")
    if attn_logits_soft_cap is not None:
        raise ValueError("dot_product_attention: attn_logits_soft_cap is not supported")
    q, k, v = (eops.transpose(t, (0, 2, 1, 3)) for t in (q, k, v))  # (B, N, T, H)
    keep = None
    if mask is not None:
        keep = np.asarray(getattr(mask, "data", mask)).astype(bool)
    if is_causal:
        causal = np.tril(np.ones((q.shape[2], k.shape[2]), dtype=bool))
        keep = causal if keep is None else keep & causal
    s = 1.0 / np.sqrt(q.shape[-1]) if scale is None else float(scale)
    if bias is None:
        out = attention.scaled_dot_product_attention(q, k, v, keep, s)
    else:
        scores = eops.matmul(q, eops.transpose(k, (0, 1, 3, 2))) * s
        scores = scores + convert_to_tensor(bias, scores.dtype)
        if keep is not None:
            scores = eops.where(np.broadcast_to(keep, scores.shape), scores,
                                np.asarray(-1e9, scores.dtype))
        out = eops.matmul(activations.softmax(scores, -1), v)
    return eops.transpose(out, (0, 2, 1, 3))  # (B, T, N, H)


# --------------------------------------------------------------------------------------- misc
def multi_hot(inputs, num_classes: int, axis: int = -1, dtype=None, sparse: bool = False,
              **kwargs):
    """(batch, n) integer ids -> (batch, num_classes) with 1 where an id occurs (a 1-D input
    gives one row)."""
    num_classes = int(kwargs.pop("num_tokens", num_classes))
    ids = np.asarray(getattr(inputs, "data", inputs))
    if ids.dtype.kind not in "iu":
        raise TypeError(f"multi_hot: inputs must be integers, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= num_classes):
        raise ValueError(f"multi_hot: ids must lie in [0, {num_classes}), got values from "
                         f"{ids.min()} to {ids.max()}")
    rows = ids.reshape(1, -1) if ids.ndim <= 1 else ids.reshape(-1, ids.shape[-1])
    out = np.zeros((rows.shape[0], num_classes), dtype=dtype or "float32")
    np.put_along_axis(out, rows.astype(np.int64), 1, axis=1)
    out = out.reshape(ids.shape[:-1] + (num_classes,)) if ids.ndim > 1 else out[0]
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return convert_to_tensor(out)


def depth_to_space(x, block_size: int, data_format: str = "NHWC"):
    """(N, H, W, b^2 C) -> (N, H b, W b, C), TF's DCR order: channel (i b + j) C + c goes
    to pixel (h b + i, w b + j)."""
    x = _float(x)
    b = int(block_size)
    first = channels_first(data_format, "depth_to_space")
    x = to_last(x, first)
    n, h, w, c = x.shape
    if b < 2 or c % (b * b):
        raise ValueError(f"depth_to_space: block_size must be >= 2 and divide the channels "
                         f"{c} by block_size^2, got {b}")
    y = eops.reshape(x, (n, h, w, b, b, c // (b * b)))
    y = eops.reshape(eops.transpose(y, (0, 1, 3, 2, 4, 5)), (n, h * b, w * b, c // (b * b)))
    return to_first(y, first)


def space_to_depth(x, block_size: int, data_format: str = "NHWC"):
    """(N, H b, W b, C) -> (N, H, W, b^2 C), the inverse of `depth_to_space`."""
    x = _float(x)
    b = int(block_size)
    first = channels_first(data_format, "space_to_depth")
    x = to_last(x, first)
    n, h, w, c = x.shape
    if b < 2 or h % b or w % b:
        raise ValueError(f"space_to_depth: block_size must be >= 2 and divide the height "
                         f"{h} and width {w}, got {b}")
    y = eops.reshape(x, (n, h // b, b, w // b, b, c))
    y = eops.reshape(eops.transpose(y, (0, 1, 3, 2, 4, 5)), (n, h // b, w // b, b * b * c))
    return to_first(y, first)


def extract_sequences(x, sequence_length: int, sequence_stride: int):
    """Frames of the last axis: (..., T) -> (..., 1 + (T - L) // s, L), frame i =
    x[..., i s : i s + L]."""
    x = _float(x)
    length, stride = int(sequence_length), int(sequence_stride)
    if length < 1 or stride < 1 or length > x.shape[-1]:
        raise ValueError(f"extract_sequences: need 1 <= sequence_length <= {x.shape[-1]} and "
                         f"sequence_stride >= 1, got {length} and {stride}")
    frames = 1 + (x.shape[-1] - length) // stride
    index = np.arange(frames)[:, None] * stride + np.arange(length)[None, :]
    return eops.getitem(x, (Ellipsis, index))


def psnr(x1, x2, max_val):
    r"""Peak signal-to-noise ratio :math:`20 \log_{10} m - 10 \log_{10} \overline{(x_1 -
    x_2)^2}` (over all elements)."""
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: x1 has shape {x1.shape}, x2 {x2.shape}; they must be equal")
    mse = eops.mean((x1 - x2) * (x1 - x2))
    return 20.0 * np.log10(float(max_val)) - eops.log(mse) * (10.0 / np.log(10.0))


def crelu(features, axis: int = -1):
    """Concatenated ReLU (Shang et al. 2016): concat(relu(x), relu(-x)) along ``axis``."""
    from dlpath.engine import activations

    x = _float(features)
    return eops.concatenate([activations.relu(x), activations.relu(-x)], int(axis))


def embedding_lookup(params, ids, max_norm=None):
    """params[ids] along axis 0 (differentiable in params); rows of norm > ``max_norm`` are
    scaled down to it."""
    from dlpath.ops.array import take

    rows = take(params, ids, 0)
    if max_norm is None:
        return rows
    norms = eops.sqrt(eops.sum(rows * rows, -1, True))
    factor = eops.minimum(float(max_norm) / eops.maximum(norms, 1e-12), 1.0)
    return rows * factor


def collapse_repeated(labels, seq_length):
    """TF's ``tf.nn.collapse_repeated``: merge runs of equal labels; returns the (batch,
    new max length) labels padded with 0 and the new lengths."""
    labels = np.asarray(getattr(labels, "data", labels))
    lengths = np.asarray(getattr(seq_length, "data", seq_length)).astype(np.int64)
    rows = []
    for row, n in zip(labels, lengths):
        row = row[:n]
        keep = np.concatenate([[True], row[1:] != row[:-1]]) if n else np.zeros(0, bool)
        rows.append(row[keep])
    width = max([len(r) for r in rows] + [0])
    out = np.zeros((len(rows), width), dtype=labels.dtype)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return (convert_to_tensor(out),
            convert_to_tensor(np.array([len(r) for r in rows], dtype=np.int32)))


__all__ = [name for name in dir() if not name.startswith("_") and name not in (
    "annotations", "np", "econv", "eops", "conv1d_variants", "conv3d", "conv3d_transpose",
    "pooling", "pooling3d", "convert_to_tensor")]
