"""Keras losses: a loss per sample, weighted, then reduced over the batch to one number.

    loss = reduce(w * L(y_true, y_pred))

``L`` is a per-sample loss (the mean over the last axis, or the cross-entropy summed over the
classes; the engine computes it, see `dlpath.engine.losses`), ``w`` the sample weights
broadcast over the per-sample losses, and ``reduce`` one of

    'sum_over_batch_size' (the default; tf.keras 2 calls it 'auto'):  sum(w L) / size(w L)
    'mean' (the same):                                                 sum(w L) / size(w L)
    'sum':                                                             sum(w L)
    'mean_with_sample_weight':                                         sum(w L) / sum(w)
    'none' or None:                                                    w L, one per sample

The functions (`mean_squared_error`, `binary_crossentropy`, ...) take Keras' arguments and
return one value per sample; the classes (`MeanSquaredError`, `BinaryCrossentropy`, ...) add
the weighting and the reduction. More families (KL, Poisson, hinge, focal, overlap, CTC,
circle, ...) live in `dlpath.losses_extra` and are re-exported here. Cross-entropy of a
softmax or sigmoid output is computed from its logits (fused, stable, exact gradient), as the
engine does.

Targets: NumPy arrays of any numeric dtype (uint8 labels too) are cast to the prediction's
float dtype; sparse labels stay integers. When the ranks of ``y_true`` and ``y_pred`` differ by
one and the longer has a last axis of size 1, Keras 3's rule aligns them: a rank-1 side gets a
trailing axis, else the longer side loses its last axis. So labels of shape (n,) with
predictions of shape (n, 1) give n per-sample losses, not one.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from dlpath.engine import losses as engine_losses
from dlpath.engine.activations import Sigmoid, sigmoid
from dlpath.engine.ops import where
from dlpath.engine.ops._coerce import to_tensor
from dlpath.engine.tensor import Tensor
from dlpath.serialization import deserialize_from

REDUCTIONS = ("sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none", None)
_REDUCTION_ALIASES = {"auto": "sum_over_batch_size"}  # tf.keras 2's name for the default


# --------------------------------------------------------------------------- shape and dtype
def _reshaped(x, shape):
    """``x`` with a new shape; a sigmoid output is re-derived from its reshaped logits.

    sigmoid is element-wise, so reshape(sigmoid(z)) == sigmoid(reshape(z)); keeping the
    sigmoid as the last op lets binary cross-entropy still find the logits.
    """
    if isinstance(x, Tensor):
        logits = engine_losses._logits_of(x, Sigmoid)
        if logits is not None:
            return sigmoid(logits.reshape(shape))
    return x.reshape(shape)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Align two ranks that differ by one when the longer side's last axis has size 1.

    If the shorter side has rank 1 (and ``expand_rank_1``), it gains a trailing axis of size 1;
    otherwise the longer side loses its last axis. Other rank differences are left alone.
    Works on Tensors and NumPy arrays.
    """
    rank1, rank2 = len(np.shape(x1)), len(np.shape(x2))
    if rank1 == rank2 + 1 and np.shape(x1)[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = _reshaped(x2, tuple(np.shape(x2)) + (1,))
        else:
            x1 = _reshaped(x1, tuple(np.shape(x1))[:-1])
    elif rank2 == rank1 + 1 and np.shape(x2)[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = _reshaped(x1, tuple(np.shape(x1)) + (1,))
        else:
            x2 = _reshaped(x2, tuple(np.shape(x2))[:-1])
    return x1, x2


def _as_prediction(y_pred, dtype=None) -> Tensor:
    """``y_pred`` as a floating Tensor (integers and NumPy float64 become float32)."""
    if not isinstance(y_pred, Tensor):
        array = np.asarray(y_pred)
        return Tensor(array, dtype=dtype or np.float32)
    if dtype is not None and y_pred.dtype != np.dtype(dtype):
        return y_pred.astype(dtype)
    if y_pred.dtype.kind != "f":
        return Tensor(y_pred.data, dtype=np.float32)
    return y_pred


def _as_target(y_true, like: Tensor) -> Tensor:
    """``y_true`` as a Tensor of ``like``'s float dtype (a constant unless it needs a grad)."""
    if isinstance(y_true, Tensor):
        if y_true.dtype == like.dtype:
            return y_true
        if y_true.requires_grad:
            return y_true.astype(like.dtype)
        return Tensor(y_true.data, dtype=like.dtype)
    array = np.asarray(y_true)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"loss: y_true must hold numbers, got an array of dtype {array.dtype}")
    return Tensor(array, dtype=like.dtype)


def _aligned(y_true, y_pred):
    """Prediction as a float Tensor, target in its dtype, ranks aligned as Keras does."""
    y_pred = _as_prediction(y_pred)
    y_true = _as_target(y_true, y_pred)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _check_axis(name: str, axis, y_pred) -> None:
    if axis not in (-1, np.ndim(y_pred) - 1):
        raise ValueError(f"{name}: only the last axis (axis=-1) is supported, got axis={axis} "
                         f"for y_pred of shape {np.shape(y_pred)}")


def _labels_of(y_true) -> np.ndarray:
    return np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)


# --------------------------------------------------------------------------- per-sample losses
def mean_squared_error(y_true, y_pred):
    """mean over the last axis of (y_pred - y_true)^2."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return engine_losses.mean_squared_error(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    """mean over the last axis of |y_pred - y_true|."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return engine_losses.mean_absolute_error(y_true, y_pred)


def huber(y_true, y_pred, delta: float = 1.0):
    """mean over the last axis of e^2 / 2 if |e| <= delta, else delta (|e| - delta / 2).

    e = y_pred - y_true (Huber 1964): quadratic near zero, linear in the tails.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    return engine_losses.huber(y_true, y_pred, float(delta))


def binary_crossentropy(y_true, y_pred, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1):
    """mean over the last axis of -(y log p + (1 - y) log(1 - p)).

    Label smoothing ls moves the targets towards 1/2:  y <- y (1 - ls) + ls / 2.
    From logits z (p = sigmoid z) the loss is softplus(z) - y z.
    """
    _check_axis("binary_crossentropy", axis, y_pred)
    y_true, y_pred = _aligned(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return engine_losses.binary_crossentropy(y_true, y_pred, from_logits=from_logits)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1):
    """-sum_c y_c log p_c over the last axis (y_true one-hot, or any distribution).

    Label smoothing ls over K classes:  y <- y (1 - ls) + ls / K.
    """
    _check_axis("categorical_crossentropy", axis, y_pred)
    y_true, y_pred = _aligned(y_true, y_pred)
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"categorical_crossentropy: y_pred has shape {y_pred.shape}, a single class, so "
            f"the loss is always 0; use binary_crossentropy for two classes", stacklevel=2)
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return engine_losses.categorical_crossentropy(y_true, y_pred, from_logits=from_logits)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                                    ignore_class=None, axis: int = -1):
    """-log p_y over the last axis, y_true holding class indices of shape (n,) or (n, 1).

    With ``ignore_class``, samples labelled with it lose 0 and are left out of the mean: the
    result carries their mask as ``_keras_mask``, which the `Loss` reduction divides by.
    """
    _check_axis("sparse_categorical_crossentropy", axis, y_pred)
    y_pred = _as_prediction(y_pred)
    labels = _labels_of(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if ignore_class is None:
        return engine_losses.sparse_categorical_crossentropy(labels, y_pred, from_logits)
    valid = labels != ignore_class
    safe_labels = np.where(valid, labels, 0)
    losses = engine_losses.sparse_categorical_crossentropy(safe_labels, y_pred, from_logits)
    losses = where(valid, losses, 0.0)
    losses._keras_mask = valid
    return losses


# Short names, as Keras has them.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
huber_loss = huber


# --------------------------------------------------------------------------- reduction
def standardize_reduction(reduction):
    """The reduction's canonical name; a ValueError lists the valid ones."""
    reduction = _REDUCTION_ALIASES.get(reduction, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"Loss: unknown reduction {reduction!r}; expected one of "
                         f"{list(REDUCTIONS) + list(_REDUCTION_ALIASES)}")
    return reduction


def _weights_for(values: Tensor, sample_weight, name: str):
    """The sample weights as a Tensor that broadcasts against ``values``.

    Ranks are aligned as Keras 3 does; weights of lower rank then gain trailing axes (as
    tf.keras 2 does), so weights of shape (n,) weigh each sample of (n, T) losses.
    """
    weights = to_tensor(sample_weight, like=values)
    if weights.dtype != values.dtype and not weights.requires_grad:
        weights = Tensor(weights.data, dtype=values.dtype)
    values, weights = squeeze_or_expand_to_same_rank(values, weights)
    if 0 < weights.ndim < values.ndim:
        weights = weights.reshape(weights.shape + (1,) * (values.ndim - weights.ndim))
    try:
        np.broadcast_shapes(values.shape, weights.shape)
    except ValueError:
        raise ValueError(
            f"{name}: sample_weight of shape {tuple(np.shape(sample_weight))} cannot be "
            f"broadcast to the per-sample losses of shape {values.shape}") from None
    return values, weights


def _merge_mask(sample_weight, mask: np.ndarray, reduction):
    """Fold a mask of valid entries into the sample weights (Keras 3's ``apply_mask``).

    For the mean reductions valid entries weigh total / valid, so that sum(w L) / total is the
    mean over the valid entries only.
    """
    mask = np.asarray(mask, dtype=np.float64)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.sum()
        mask = mask * (mask.size / valid if valid else 0.0)
    if sample_weight is None:
        return mask
    weights = np.asarray(sample_weight.data if isinstance(sample_weight, Tensor)
                         else sample_weight, dtype=np.float64)
    mask, weights = squeeze_or_expand_to_same_rank(mask, weights)
    return weights * mask


def reduce_values(values: Tensor, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduce (already weighted) losses: see the module docstring for the formulas."""
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(np.sum(sample_weight.data if isinstance(sample_weight, Tensor)
                               else sample_weight))
    else:
        divisor = float(values.size)
    return total / divisor if divisor else total * 0.0


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", name: str = "loss"):
    """w * values reduced over the batch, ``mask`` (valid entries) folded into w."""
    reduction = standardize_reduction(reduction)
    values = to_tensor(values)
    if mask is not None:
        sample_weight = _merge_mask(sample_weight, mask, reduction)
    weights = None
    if sample_weight is not None:
        values, weights = _weights_for(values, sample_weight, name)
        values = values * weights
    return reduce_values(values, weights, reduction)


# --------------------------------------------------------------------------- loss objects
def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class Loss:
    """Base class: ``loss(y_true, y_pred, sample_weight=None)`` -> a scalar Tensor.

    Subclasses write ``call(y_true, y_pred)``, returning one loss per sample; the base class
    casts, weights and reduces (see the module docstring). With reduction 'none' the weighted
    per-sample losses are returned.

    Args:
        reduction: 'sum_over_batch_size' (default, alias 'auto'), 'mean', 'sum',
            'mean_with_sample_weight', or 'none'/None.
        name: the loss's name (default: the class name in snake case).
        dtype: cast predictions to this float dtype first (default: keep theirs).
    """

    _integer_targets = False  # sparse labels are passed on as they are

    def __init__(self, reduction="sum_over_batch_size", name: str | None = None, dtype=None):
        self.reduction = standardize_reduction(reduction)
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = None if dtype is None else np.dtype(dtype).name

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = _as_prediction(y_pred, self.dtype)
        if not self._integer_targets:
            y_true = _as_target(y_true, y_pred)
        values = self.call(y_true, y_pred)
        if not isinstance(values, Tensor):
            values = Tensor(np.asarray(values), dtype=y_pred.dtype)
        mask = _combined_mask(getattr(y_pred, "_keras_mask", None),
                              getattr(values, "_keras_mask", None))
        return reduce_weighted_values(values, sample_weight, mask, self.reduction, self.name)

    def call(self, y_true, y_pred):  # pragma: no cover - always overridden
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def get_config(self) -> dict:
        config = {"name": self.name, "reduction": self.reduction}
        if self.dtype is not None:
            config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _combined_mask(in_mask, out_mask):
    if in_mask is None:
        return out_mask
    if out_mask is None:
        return in_mask
    return np.logical_and(in_mask, out_mask)


class LossFunctionWrapper(Loss):
    """A `Loss` around a function ``fn(y_true, y_pred, **kwargs)`` -> per-sample losses.

    The ranks of ``y_true`` and ``y_pred`` are aligned (see `squeeze_or_expand_to_same_rank`)
    before ``fn`` is called.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name: str | None = None,
                 dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper: fn must be callable, got {fn!r}")
        super().__init__(reduction=reduction,
                         name=name or getattr(fn, "__name__", None), dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if not self._integer_targets:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            config["fn"] = _function_name(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        config = dict(config)
        if cls is LossFunctionWrapper:
            config["fn"] = _function_by_name(config.get("fn"))
        return cls(**config)


class MeanSquaredError(LossFunctionWrapper):
    """mean((y_pred - y_true)^2) over the last axis, then reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """mean(|y_pred - y_true|) over the last axis, then reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    """Huber loss: e^2 / 2 where |e| <= delta, else delta (|e| - delta / 2); see `huber`."""

    def __init__(self, delta: float = 1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        delta = float(delta)
        if delta < 0:
            raise ValueError(f"Huber: delta must be >= 0, got {delta}")
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


def _check_label_smoothing(name: str, value) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: label_smoothing must lie in [0, 1], got {value}")
    return value


class BinaryCrossentropy(LossFunctionWrapper):
    """-(y log p + (1 - y) log(1 - p)), mean over the last axis; see `binary_crossentropy`."""

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(
            binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
            from_logits=bool(from_logits), axis=axis,
            label_smoothing=_check_label_smoothing("BinaryCrossentropy", label_smoothing))
        self.from_logits = bool(from_logits)
        self.label_smoothing = self._fn_kwargs["label_smoothing"]
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    """-sum_c y_c log p_c with one-hot targets; see `categorical_crossentropy`."""

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(
            categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
            from_logits=bool(from_logits), axis=axis,
            label_smoothing=_check_label_smoothing("CategoricalCrossentropy", label_smoothing))
        self.from_logits = bool(from_logits)
        self.label_smoothing = self._fn_kwargs["label_smoothing"]
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """-log p_y with integer labels; samples labelled ``ignore_class`` are left out."""

    _integer_targets = True

    def __init__(self, from_logits: bool = False, ignore_class=None,
                 reduction="sum_over_batch_size", name="sparse_categorical_crossentropy",
                 dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=bool(from_logits), ignore_class=ignore_class)
        self.from_logits = bool(from_logits)
        self.ignore_class = ignore_class


class Reduction:
    """tf.keras 2's names of the reductions, as string constants (``Reduction.SUM``)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key) -> None:
        if key not in cls.all():
            raise ValueError(f"Reduction: invalid reduction key {key!r}; expected one of "
                             f"{list(cls.all())}")


# --------------------------------------------------------------------------- more families
# They subclass the classes above, so they are imported here, after them.
from dlpath.losses_extra.ctc import CTC, ctc  # noqa: E402
from dlpath.losses_extra.focal import (  # noqa: E402
    BinaryFocalCrossentropy, CategoricalFocalCrossentropy, binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from dlpath.losses_extra.hinge import (  # noqa: E402
    CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge,
)
from dlpath.losses_extra.metric_learning import Circle, circle  # noqa: E402
from dlpath.losses_extra.overlap import Dice, Tversky, dice, tversky  # noqa: E402
from dlpath.losses_extra.probabilistic import (  # noqa: E402
    KLD, CategoricalGeneralizedCrossEntropy, KLDivergence, Poisson,
    categorical_generalized_cross_entropy, kl_divergence, kld, kullback_leibler_divergence,
    poisson,
)
from dlpath.losses_extra.regression import (  # noqa: E402
    MAPE, MSLE, CosineSimilarity, LogCosh, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, cosine_similarity, log_cosh, logcosh, mape,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, msle,
)

# The loss class of each per-sample function, and the names `get` knows it by.
_MORE = (
    (kl_divergence, KLDivergence, ("kl_divergence", "kld", "kullback_leibler_divergence")),
    (poisson, Poisson, ("poisson",)),
    (hinge, Hinge, ("hinge",)),
    (squared_hinge, SquaredHinge, ("squared_hinge",)),
    (categorical_hinge, CategoricalHinge, ("categorical_hinge",)),
    (cosine_similarity, CosineSimilarity, ("cosine_similarity",)),
    (log_cosh, LogCosh, ("log_cosh", "logcosh")),
    (mean_absolute_percentage_error, MeanAbsolutePercentageError,
     ("mean_absolute_percentage_error", "mape")),
    (mean_squared_logarithmic_error, MeanSquaredLogarithmicError,
     ("mean_squared_logarithmic_error", "msle")),
    (binary_focal_crossentropy, BinaryFocalCrossentropy, ("binary_focal_crossentropy",)),
    (categorical_focal_crossentropy, CategoricalFocalCrossentropy,
     ("categorical_focal_crossentropy",)),
    (dice, Dice, ("dice",)),
    (tversky, Tversky, ("tversky",)),
    (ctc, CTC, ("ctc",)),
    (circle, Circle, ("circle",)),
    (categorical_generalized_cross_entropy, CategoricalGeneralizedCrossEntropy,
     ("categorical_generalized_cross_entropy",)),
)


# --------------------------------------------------------------------------- lookup
_CLASSES = {cls.__name__: cls for cls in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy) + tuple(c for _, c, _ in _MORE)}

# Every string `get` accepts, and the class it builds.
_BY_NAME = {
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "huber": Huber, "huber_loss": Huber,
    "binary_crossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}
_BY_NAME.update({name: cls for _, cls, names in _MORE for name in names})
_BY_NAME.update({name: cls for name, cls in _CLASSES.items()
                 if cls not in (Loss, LossFunctionWrapper)})

# Functions (ours and the engine's) and the class that computes the same loss.
_FUNCTIONS = {
    mean_squared_error: MeanSquaredError, engine_losses.mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    engine_losses.mean_absolute_error: MeanAbsoluteError,
    huber: Huber, engine_losses.huber: Huber,
    binary_crossentropy: BinaryCrossentropy,
    engine_losses.binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    engine_losses.categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    engine_losses.sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}
_FUNCTIONS_BY_NAME = {
    "mean_squared_error": mean_squared_error, "mean_absolute_error": mean_absolute_error,
    "huber": huber, "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
_FUNCTIONS.update({fn: cls for fn, cls, _ in _MORE})
_FUNCTIONS_BY_NAME.update({fn.__name__: fn for fn, _, _ in _MORE})


def _known() -> str:
    return ", ".join(repr(name) for name in _BY_NAME)


def _function_name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


def _function_by_name(name):
    if callable(name):
        return name
    if name not in _FUNCTIONS_BY_NAME:
        raise ValueError(f"LossFunctionWrapper: unknown loss function {name!r}; known: "
                         f"{', '.join(repr(n) for n in _FUNCTIONS_BY_NAME)}")
    return _FUNCTIONS_BY_NAME[name]


def did_you_mean(name: str, known) -> str:
    """' Did you mean 'a' or 'b'?' for the known names closest to ``name``, or ''."""
    import difflib

    def normal(text: str) -> str:  # 'SparseCategoricalCrossentropy' ~ 'sparse_categ...'
        return text.lower().replace("_", "")

    by_normal = {}
    for key in known:
        by_normal.setdefault(normal(key), key)
    close = difflib.get_close_matches(normal(name), list(by_normal), n=3, cutoff=0.6)
    if not close:
        return ""
    return f" Did you mean {' or '.join(repr(by_normal[c]) for c in close)}?"


def known_names() -> list:
    """Every string `get` accepts."""
    return list(_BY_NAME)


def is_known_name(name: str) -> bool:
    """Whether `get` accepts the string ``name``."""
    return _lookup(name) is not None


def _lookup(name: str):
    if name in _BY_NAME:
        return _BY_NAME[name]
    lowered = {key.lower(): cls for key, cls in _BY_NAME.items()}
    return lowered.get(name.lower())


def serialize(loss):
    """``{"class_name": ..., "config": ...}`` for a `Loss`; a function's name for a function."""
    if loss is None:
        return None
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    if callable(loss):
        return _function_name(loss)
    raise TypeError(f"losses.serialize: expected a Loss or a function, got "
                    f"{type(loss).__name__}")


def deserialize(config, custom_objects: dict | None = None) -> Loss:
    """Rebuild a loss from `serialize`'s output (a dict, or a name)."""
    return deserialize_from("losses", "loss", config, _CLASSES, custom_objects, get)


def get(identifier):
    """A `Loss` from a name, a config dict, a `Loss` (class or instance) or a function.

    Names: 'mse'/'mean_squared_error', 'mae'/'mean_absolute_error', 'huber'/'huber_loss',
    'binary_crossentropy'/'bce', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
    those of `dlpath.losses_extra` ('kld', 'poisson', 'hinge', 'logcosh', 'mape', 'msle',
    'binary_focal_crossentropy', 'dice', 'tversky', 'ctc', 'circle', ...) and the class names.
    A function ``fn(y_true, y_pred)`` -> per-sample losses is wrapped in a
    `LossFunctionWrapper` (the built-in functions become their classes).
    """
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        cls = _lookup(identifier)
        if cls is None:
            raise ValueError(f"losses.get: unknown loss {identifier!r}; known: {_known()}."
                             f"{did_you_mean(identifier, _BY_NAME)}")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        try:
            cls = _FUNCTIONS.get(identifier)
        except TypeError:  # an unhashable callable
            cls = None
        return cls() if cls is not None else LossFunctionWrapper(identifier)
    raise TypeError(f"losses.get: expected a loss name ({_known()}), a config dict, a Loss or "
                    f"a function, got {type(identifier).__name__}")


__all__ = [
    "Loss", "LossFunctionWrapper", "MeanSquaredError", "MeanAbsoluteError", "Huber",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE", "huber",
    "huber_loss", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "get", "serialize", "deserialize",
    "squeeze_or_expand_to_same_rank", "reduce_weighted_values", "REDUCTIONS", "Reduction",
    "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge", "CosineSimilarity",
    "LogCosh", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
    "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "Dice", "Tversky", "CTC",
    "kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "poisson", "hinge",
    "squared_hinge", "categorical_hinge", "cosine_similarity", "log_cosh", "logcosh",
    "mean_absolute_percentage_error", "mape", "MAPE", "mean_squared_logarithmic_error", "msle",
    "MSLE", "binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky",
    "ctc", "Circle", "circle", "CategoricalGeneralizedCrossEntropy",
    "categorical_generalized_cross_entropy",
]
