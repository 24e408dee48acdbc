"""`HashedCrossing`: the cross of categorical features by the hashing trick, bit for bit
as Keras (TensorFlow's ``sparse.cross_hashed``).

For features v_1, ..., v_k of one sample, each feature's hash is h(v) = Fingerprint64(v)
for a string (FarmHash, `hashes.fingerprint64`) and the 64-bit two's complement of v for
an integer; the cross chains them from the key K = 0xDECAFCAFFE,

    c_0 = K,   c_i = cat(c_{i-1}, h(v_i)),   bin = c_k mod num_bins

with TensorFlow's ``FingerprintCat64`` (m = 0xc6a4a7935bd1e995, mix(z) = z ^ (z >> 47),
all arithmetic mod 2^64):

    cat(a, b) = mix(mix(((a ^ m) ^ (mix(b m) m)) m) m)
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.preprocessing import hashes
from dlpath.layers.preprocessing.category_encoding import encode
from dlpath.layers.preprocessing.string_inputs import StringInputLayer, as_strings

CROSS_KEY = 0xDECAFCAFFE
_MUL = np.uint64(0xC6A4A7935BD1E995)
_SHIFT = np.uint64(47)


def _mix(z: np.ndarray) -> np.ndarray:
    return z ^ (z >> _SHIFT)


def fingerprint_cat64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """TensorFlow's FingerprintCat64 on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        result = (a ^ _MUL) ^ (_mix(b * _MUL) * _MUL)
        result = _mix(result * _MUL) * _MUL
        return _mix(result)


def feature_hashes(values: np.ndarray, owner: str) -> np.ndarray:
    """h(v) per element as uint64: Fingerprint64 of strings, the bits of integers."""
    if values.dtype.kind in "iub":
        return values.astype(np.int64).view(np.uint64)
    if values.dtype.kind == "f":
        raise arguments.ArgumentTypeError(
            f"{owner}: expected string or integer features, got floats ({values.dtype})")
    texts = as_strings(values, owner)
    cache: dict = {}
    flat = np.empty(texts.size, dtype=np.uint64)
    for i, text in enumerate(texts.reshape(-1)):
        if text not in cache:
            cache[text] = hashes.fingerprint64(text.encode("utf-8"))
        flat[i] = cache[text]
    return flat.reshape(texts.shape)


class HashedCrossing(StringInputLayer):
    """``keras.layers.HashedCrossing(num_bins, output_mode="int")``: a tuple of two or
    more features of the same shape, () (one sample), (batch,) or (batch, 1), each strings
    or integers, to the bin of their cross (see the module docstring), of that shape;
    ``output_mode="one_hot"`` encodes the bins over ``num_bins``."""

    def __init__(self, num_bins, output_mode="int", sparse=False, **kwargs):
        kwargs.setdefault("dtype", "int64" if output_mode == "int" else "float32")
        super().__init__(**kwargs)
        owner = "HashedCrossing"
        self.num_bins = arguments.positive_int(num_bins, "num_bins", owner)
        self.output_mode = arguments.choice(output_mode, "output_mode", owner,
                                            ("int", "one_hot"))
        if sparse:
            raise arguments.InvalidArgumentError(
                f"{owner}: sparse must be False: dlpath returns dense arrays")
        self.sparse = False

    def _features(self, inputs) -> list:
        owner = f"Layer '{self.name}' (HashedCrossing)"
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise arguments.InvalidArgumentError(
                f"{owner}: expected a tuple of at least 2 features to cross, got "
                f"{arguments.describe(inputs)}")
        arrays = [x.data if isinstance(x, Tensor) else np.asarray(x) for x in inputs]
        shapes = [a.shape for a in arrays]
        if len(set(shapes)) != 1:
            raise arguments.InvalidArgumentError(
                f"{owner}: every feature must have the same shape, got shapes {shapes}")
        shape = shapes[0]
        if len(shape) > 2 or (len(shape) == 2 and shape[1] != 1):
            raise arguments.InvalidArgumentError(
                f"{owner}: features must be scalars, (batch,) or (batch, 1), got shape "
                f"{shape}")
        return arrays

    def bins(self, inputs) -> np.ndarray:
        """The bin of each sample's cross, int64, of the features' shape."""
        owner = f"Layer '{self.name}' (HashedCrossing)"
        arrays = self._features(inputs)
        crossed = np.full(arrays[0].shape, CROSS_KEY, dtype=np.uint64)
        for values in arrays:
            crossed = fingerprint_cat64(crossed, feature_hashes(values, owner))
        return (crossed % np.uint64(self.num_bins)).astype(np.int64)

    def call(self, inputs):
        bins = self.bins(inputs)
        if self.output_mode == "int":
            return Tensor(bins)
        return Tensor(encode(bins, self.num_bins, "one_hot", dtype=self.dtype,
                             owner=f"Layer '{self.name}' (HashedCrossing)"))

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        keep = shape[:-1] if len(shape) == 2 else shape
        return keep + (self.num_bins,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_bins=self.num_bins, output_mode=self.output_mode,
                      sparse=self.sparse)
        return config
