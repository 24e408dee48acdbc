"""The test split's predictions and metrics, shared by ``train``, ``evaluate`` and ``report``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Evaluation:
    """Test metrics (from ``model.evaluate``) and the per-sample predictions behind them."""

    metrics: dict
    x: np.ndarray
    y_true: np.ndarray
    probabilities: np.ndarray  # (N, classes): each row sums to 1
    class_names: list
    kind: str

    @property
    def y_pred(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)


def class_probabilities(outputs) -> np.ndarray:
    """(N, classes) probabilities from softmax outputs, or from one sigmoid unit (N, 1)."""
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 1 or outputs.shape[1] == 1:
        positive = outputs.reshape(-1)
        return np.stack([1.0 - positive, positive], axis=1)
    return outputs


def is_classifier(model, data) -> bool:
    """True for a compiled single-output model whose test labels are class ids.

    Recipes with their own loop (a GAN) or several outputs get a report without the
    per-class parts; they record their own numbers in ``extra_metrics.json``.
    """
    config = getattr(model, "_compile_config", None) or {}
    test = getattr(data, "test", None)
    if config.get("loss") is None or not isinstance(test, tuple) or len(test) != 2:
        return False
    x, y = test
    outputs = getattr(model, "outputs", None)
    return (isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and y.ndim <= 2
            and (outputs is None or len(outputs) == 1))


def evaluate(model, data, batch_size: int) -> Evaluation:
    """Evaluate ``model`` on ``data.test``."""
    x, y = data.test
    metrics = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    probabilities = class_probabilities(model.predict(x, batch_size=batch_size, verbose=0))
    names = list(data.class_names) or [str(i) for i in range(probabilities.shape[1])]
    return Evaluation(metrics={k: float(v) for k, v in metrics.items()}, x=x,
                      y_true=np.asarray(y).reshape(-1).astype(np.int64),
                      probabilities=probabilities, class_names=names, kind=data.kind)


def classification_report(result: Evaluation, as_dict: bool = False):
    """scikit-learn's per-class precision, recall and F1 of the test predictions."""
    from sklearn.metrics import classification_report as sklearn_report

    labels = list(range(len(result.class_names)))
    return sklearn_report(result.y_true, result.y_pred, labels=labels,
                          target_names=result.class_names, digits=4, zero_division=0,
                          output_dict=as_dict)


def confusion_matrix(result: Evaluation) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class."""
    from sklearn.metrics import confusion_matrix as sklearn_confusion

    return sklearn_confusion(result.y_true, result.y_pred,
                             labels=list(range(len(result.class_names))))


def confusion_text(result: Evaluation) -> str:
    """The confusion matrix as a text table with the class names."""
    matrix = confusion_matrix(result)
    names = [name[:10] for name in result.class_names]
    width = max(max(len(n) for n in names), len(str(matrix.max())), 4) + 1
    header = "true \\ predicted"
    first = max(len(header), width) + 1
    lines = [header.ljust(first) + "".join(n.rjust(width) for n in names)]
    for name, row in zip(names, matrix):
        lines.append(name.ljust(first) + "".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)
