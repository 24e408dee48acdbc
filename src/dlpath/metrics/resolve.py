"""From what ``compile(metrics=[...])`` accepts to `Metric` objects.

`get` turns a name, a config dict, a class, an instance or a function into a metric.
`resolve` adds Keras' compile-time rule for 'accuracy'/'acc' and 'crossentropy'/'ce', which
pick their variant from the loss and the shapes of the first batch:

    binary       if the loss is binary cross-entropy, or y_pred's last axis has size 1;
    sparse       else if y_true has fewer axes than y_pred, or its last axis has size 1
                 while y_pred's is larger;
    categorical  otherwise.

A metric given by a string keeps that string as its name ('acc' is logged as 'acc').
"""

from __future__ import annotations

import numpy as np

from dlpath import losses
from dlpath.losses import did_you_mean
from dlpath.engine import losses as engine_losses
from dlpath.metrics.accuracy import (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from dlpath.metrics.base import Mean, MeanMetricWrapper, Metric, Sum, snake_case
from dlpath.metrics.confusion import (
    AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives,
)
from dlpath.metrics.probabilistic import (
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
)
from dlpath.metrics.correlation import (
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation,
)
from dlpath.metrics.fbeta import F1Score, FBetaScore
from dlpath.metrics.hinge import CategoricalHinge, Hinge, SquaredHinge
from dlpath.metrics.iou import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from dlpath.metrics.operating_point import (
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
)
from dlpath.metrics.probabilistic import KLDivergence, Poisson
from dlpath.metrics.r2 import R2Score
from dlpath.metrics.regression import (
    CosineSimilarity, LogCoshError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    cosine_similarity,
)
from dlpath.metrics.regression import MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError
from dlpath.serialization import deserialize_from

CLASSES = (
    Mean, Sum, MeanMetricWrapper,
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    Precision, Recall, AUC, TruePositives, FalsePositives, TrueNegatives, FalseNegatives,
    MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError,
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge, CosineSimilarity,
    LogCoshError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    R2Score, FBetaScore, F1Score, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
    PearsonCorrelation, ConcordanceCorrelation, PrecisionAtRecall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity,
)
_CLASS_BY_NAME = {cls.__name__: cls for cls in CLASSES}

# Every string `get` accepts (besides the class names), and the class it builds.
_BY_NAME = {snake_case(cls.__name__): cls for cls in CLASSES if cls is not MeanMetricWrapper}
_BY_NAME.update({
    "acc": Accuracy, "mse": MeanSquaredError, "mae": MeanAbsoluteError,
    "rmse": RootMeanSquaredError, "bce": BinaryCrossentropy,
    "crossentropy": CategoricalCrossentropy, "ce": CategoricalCrossentropy,
    "kld": KLDivergence, "kullback_leibler_divergence": KLDivergence,
    "mape": MeanAbsolutePercentageError, "msle": MeanSquaredLogarithmicError,
    "logcosh": LogCoshError, "fbeta_score": FBetaScore,
})

_FUNCTIONS = {fn.__name__: fn for fn in (
    accuracy, binary_accuracy, categorical_accuracy,
    sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, losses.mean_squared_error,
    losses.mean_absolute_error, losses.binary_crossentropy, losses.categorical_crossentropy,
    losses.sparse_categorical_crossentropy, losses.huber,
    losses.kl_divergence, losses.poisson, losses.hinge, losses.squared_hinge,
    losses.categorical_hinge, losses.log_cosh, losses.mean_absolute_percentage_error,
    losses.mean_squared_logarithmic_error, losses.binary_focal_crossentropy,
    losses.categorical_focal_crossentropy, cosine_similarity, pearson_correlation,
    concordance_correlation,
)}

# The metric each auto-selecting name becomes, for binary / sparse / categorical outputs.
_AUTOMATIC = {
    "accuracy": (BinaryAccuracy, SparseCategoricalAccuracy, CategoricalAccuracy),
    "acc": (BinaryAccuracy, SparseCategoricalAccuracy, CategoricalAccuracy),
    "crossentropy": (BinaryCrossentropy, SparseCategoricalCrossentropy,
                     CategoricalCrossentropy),
    "ce": (BinaryCrossentropy, SparseCategoricalCrossentropy, CategoricalCrossentropy),
}


def known_names() -> list:
    """Every string `get` accepts: snake-case names, short forms and class names."""
    return list(_BY_NAME) + list(_CLASS_BY_NAME)


def _known() -> str:
    return ", ".join(repr(name) for name in known_names())


def is_known_name(name: str) -> bool:
    """Whether ``compile(metrics=[name])`` accepts the string ``name``."""
    return name.lower() in _AUTOMATIC or (
        _class_for(name) not in (None, MeanMetricWrapper))


def function_by_name(name: str):
    """A built-in metric function from its name (for `MeanMetricWrapper.from_config`)."""
    if name not in _FUNCTIONS:
        raise ValueError(f"metrics: unknown metric function {name!r}; known: "
                         f"{', '.join(repr(n) for n in _FUNCTIONS)}")
    return _FUNCTIONS[name]


def _class_for(name: str):
    if name in _CLASS_BY_NAME:
        return _CLASS_BY_NAME[name]
    if name in _BY_NAME:
        return _BY_NAME[name]
    lowered = name.lower()
    for table in (_BY_NAME, _CLASS_BY_NAME):
        for key, cls in table.items():
            if key.lower() == lowered:
                return cls
    return None


def serialize(metric) -> dict | str:
    """``{"class_name": ..., "config": ...}`` for a `Metric`; the name of a function."""
    if isinstance(metric, Metric):
        return {"class_name": type(metric).__name__, "config": metric.get_config()}
    if callable(metric):
        return getattr(metric, "__name__", repr(metric))
    raise TypeError(f"metrics.serialize: expected a Metric or a function, got "
                    f"{type(metric).__name__}")


def deserialize(config, custom_objects: dict | None = None) -> Metric:
    """Rebuild a metric from `serialize`'s output."""
    return deserialize_from("metrics", "metric", config, _CLASS_BY_NAME, custom_objects, get)


def _built(cls, identifier):
    """``cls()``; a metric that needs arguments (MeanIoU's num_classes, ...) says which."""
    import inspect

    required = [name for name, parameter in inspect.signature(cls).parameters.items()
                if parameter.default is inspect.Parameter.empty
                and parameter.kind is parameter.POSITIONAL_OR_KEYWORD]
    if required:
        raise ValueError(f"metrics.get: {identifier!r} needs arguments ({', '.join(required)}); "
                         f"pass an instance instead, e.g. {cls.__name__}("
                         f"{', '.join(name + '=...' for name in required)})")
    return cls()


def get(identifier):
    """A `Metric` from a name, a config dict, a `Metric` class or instance, or a function.

    Names: the snake_case and class names of the metrics ('accuracy', 'binary_accuracy',
    'categorical_accuracy', 'sparse_categorical_accuracy', 'top_k_categorical_accuracy',
    'sparse_top_k_categorical_accuracy', 'precision', 'recall', 'auc', 'mean_squared_error',
    ...) and the short forms 'acc', 'mse', 'mae', 'rmse', 'bce', 'crossentropy', 'ce'. Outside
    `resolve`, 'accuracy'/'acc' are exact-match `Accuracy` and 'crossentropy'/'ce' are
    `CategoricalCrossentropy`. A function ``fn(y_true, y_pred)`` -> per-sample values becomes
    a `MeanMetricWrapper` named after it.
    """
    if identifier is None or isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        cls = _class_for(identifier)
        if cls is None or cls is MeanMetricWrapper:
            raise ValueError(f"metrics.get: unknown metric {identifier!r}; known: "
                             f"{_known()}.{did_you_mean(identifier, known_names())}")
        return _built(cls, identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return _built(identifier, identifier.__name__)
    if callable(identifier):
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", None))
    raise TypeError(f"metrics.get: expected a metric name, a config dict, a Metric or a "
                    f"function, got {type(identifier).__name__}")


# --------------------------------------------------------------------------- compile's rule
_BINARY_CROSSENTROPY_FUNCTIONS = (losses.binary_crossentropy, engine_losses.binary_crossentropy)


def is_binary_crossentropy(loss) -> bool:
    """Whether ``loss`` (a name, dict, function or `Loss`) is binary cross-entropy."""
    if isinstance(loss, str):
        return losses._lookup(loss) is losses.BinaryCrossentropy
    if isinstance(loss, dict):
        return loss.get("class_name") == "BinaryCrossentropy"
    if isinstance(loss, losses.BinaryCrossentropy):
        return True
    if isinstance(loss, losses.LossFunctionWrapper):
        return loss.fn in _BINARY_CROSSENTROPY_FUNCTIONS
    if isinstance(loss, type):
        return issubclass(loss, losses.BinaryCrossentropy)
    return any(loss is fn for fn in _BINARY_CROSSENTROPY_FUNCTIONS)


def output_kind(loss, y_true, y_pred) -> str:
    """'binary', 'sparse' or 'categorical', by the rule in the module docstring."""
    true_shape, pred_shape = np.shape(y_true), np.shape(y_pred)
    if not pred_shape:
        raise ValueError(f"metrics.resolve: y_pred must have at least one axis, got shape "
                         f"{pred_shape}")
    if is_binary_crossentropy(loss) or pred_shape[-1] == 1:
        return "binary"
    true_last = true_shape[-1] if true_shape else None
    if len(true_shape) < len(pred_shape) or (true_last == 1 and pred_shape[-1] > 1):
        return "sparse"
    return "categorical"


def resolve(identifier, loss=None, y_true=None, y_pred=None):
    """The `Metric` that ``compile(metrics=[identifier])`` tracks for one output.

    ``loss`` is that output's loss (anything `dlpath.losses.get` accepts); ``y_true`` and
    ``y_pred`` are a batch of labels and predictions (arrays or Tensors; only their shapes
    are used). 'accuracy'/'acc'/'crossentropy'/'ce' follow the module's rule; any other string
    goes through `get`; in both cases the metric is named exactly as written.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in _AUTOMATIC:
        if y_true is None or y_pred is None:
            raise ValueError(f"metrics.resolve: {identifier!r} picks its variant from the "
                             f"shapes of y_true and y_pred; pass both")
        binary, sparse, categorical = _AUTOMATIC[identifier.lower()]
        kind = output_kind(loss, y_true, y_pred)
        cls = {"binary": binary, "sparse": sparse, "categorical": categorical}[kind]
        return cls(name=identifier)
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric
