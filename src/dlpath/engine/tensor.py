"""`Tensor`: a NumPy array that remembers how it was made, so gradients can flow back.

The graph is built as code runs (define-by-run): every op on Tensors that require a gradient
records its `Function` on the output. ``loss.backward()`` walks that graph once, in reverse
topological order (see `dlpath.engine.function`).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import backward_pass

DEFAULT_FLOAT = np.float32


def as_array(data, dtype=None) -> np.ndarray:
    """``data`` as an ndarray: floats become float32 unless ``dtype`` says otherwise."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    if array.dtype.kind == "f" and array.dtype != DEFAULT_FLOAT:
        return array.astype(DEFAULT_FLOAT)
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"Tensor: expected numbers (float, int, bool), got an array of dtype {array.dtype}"
        )
    return array


class Tensor:
    """An n-dimensional array with automatic differentiation.

    Args:
        data: anything ``np.asarray`` accepts. Floating data is stored as float32 unless
            ``dtype`` is given (use ``dtype="float64"`` for gradient checks); integer and
            boolean data keep their dtype (labels, indices, masks).
        requires_grad: record ops on this tensor so that ``backward`` fills ``.grad``.
        dtype: the NumPy dtype to store.
    """

    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operators
    __hash__ = object.__hash__

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = as_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"Tensor: only floating tensors can require a gradient, got dtype "
                f"{self.data.dtype}"
            )
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self._op = None
        self._retains_grad = False

    @classmethod
    def _from_op(cls, data: np.ndarray, op) -> "Tensor":
        """The output of an op: requires a gradient exactly when the op was recorded."""
        tensor = cls.__new__(cls)
        tensor.data = data if isinstance(data, np.ndarray) else np.asarray(data)
        tensor.requires_grad = op is not None
        tensor.grad = None
        tensor._op = op
        tensor._retains_grad = False
        return tensor

    # ----------------------------------------------------------------- array facts
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(self.data, prefix="Tensor(", separator=", ")
        return f"Tensor({body}, dtype={self.dtype}{grad})"

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self):
        return self.data.item()

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    # ----------------------------------------------------------------- autograd
    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Compute d(self)/d(leaf) for every leaf that requires a gradient, into ``.grad``.

        ``grad`` is dL/dself; it may be omitted only when ``self`` holds a single element
        (then it is 1).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require a gradient (no input of the "
                "computation had requires_grad=True, or it was computed under no_grad())"
            )
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward: a gradient can be implied only for a single-element output, "
                    f"but this tensor has shape {self.shape}; pass grad= of that shape"
                )
            grad = np.ones_like(self.data)
        else:
            grad = as_array(grad, self.dtype)
            if grad.shape != self.shape:
                raise ValueError(
                    f"backward: grad has shape {grad.shape}, expected the tensor's shape "
                    f"{self.shape}"
                )
        if self._op is None:
            self._accumulate(grad)
            return
        backward_pass(self, grad, retain_graph=retain_graph)

    def _accumulate(self, grad: np.ndarray) -> None:
        if grad.dtype != self.data.dtype:
            grad = grad.astype(self.data.dtype)
        if self.grad is None:
            # Own the buffer: a backward may hand out views of arrays it still uses.
            self.grad = np.array(grad, copy=True) if grad.base is not None else grad
        else:
            self.grad = self.grad + grad

    def retain_grad(self) -> "Tensor":
        """Keep this intermediate tensor's gradient in ``.grad`` after backward."""
        self._retains_grad = True
        return self

    def zero_grad(self) -> None:
        self.grad = None

    def detach(self) -> "Tensor":
        """The same values, cut from the graph (shares memory)."""
        return Tensor._from_op(self.data, None)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating tensors can require a gradient, not {self.dtype}")
        self.requires_grad = requires_grad
        return self

    def astype(self, dtype) -> "Tensor":
        return ops.cast(self, dtype)

    # ----------------------------------------------------------------- operators
    def __add__(self, other):
        return ops.add(self, other)

    def __radd__(self, other):
        return ops.add(other, self)

    def __sub__(self, other):
        return ops.sub(self, other)

    def __rsub__(self, other):
        return ops.sub(other, self)

    def __mul__(self, other):
        return ops.mul(self, other)

    def __rmul__(self, other):
        return ops.mul(other, self)

    def __truediv__(self, other):
        return ops.div(self, other)

    def __rtruediv__(self, other):
        return ops.div(other, self)

    def __pow__(self, other):
        return ops.pow(self, other)

    def __rpow__(self, other):
        return ops.pow(other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return ops.neg(self)

    def __abs__(self):
        return ops.abs(self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # Comparisons give boolean tensors outside the graph (they have no gradient).
    def __lt__(self, other):
        return Tensor(self.data < as_array(other))

    def __le__(self, other):
        return Tensor(self.data <= as_array(other))

    def __gt__(self, other):
        return Tensor(self.data > as_array(other))

    def __ge__(self, other):
        return Tensor(self.data >= as_array(other))

    def __eq__(self, other):
        return Tensor(self.data == as_array(other))

    def __ne__(self, other):
        return Tensor(self.data != as_array(other))

    # ----------------------------------------------------------------- math methods
    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def sqrt(self):
        return ops.sqrt(self)

    def abs(self):
        return ops.abs(self)

    def clip(self, low=None, high=None):
        return ops.clip(self, low, high)

    def sum(self, axis=None, keepdims: bool = False):
        return ops.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return ops.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims: bool = False):
        return ops.max(self, axis, keepdims)

    def min(self, axis=None, keepdims: bool = False):
        return ops.min(self, axis, keepdims)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return ops.reshape(self, shape)

    def flatten(self, start_axis: int = 0):
        return ops.reshape(self, self.shape[:start_axis] + (-1,))

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return ops.transpose(self, axes or None)

    def permute(self, *axes):
        return self.transpose(*axes)

    @property
    def T(self):
        return ops.transpose(self, None)

    def expand(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return ops.broadcast_to(self, shape)

    def broadcast_to(self, shape):
        return ops.broadcast_to(self, tuple(shape))

    def relu(self):
        return activations.relu(self)

    def sigmoid(self):
        return activations.sigmoid(self)

    def tanh(self):
        return activations.tanh(self)

    def softmax(self, axis: int = -1):
        return activations.softmax(self, axis)

    def log_softmax(self, axis: int = -1):
        return activations.log_softmax(self, axis)


# The op modules build on Tensor, so they are imported once it exists.
from dlpath.engine import activations, ops  # noqa: E402
