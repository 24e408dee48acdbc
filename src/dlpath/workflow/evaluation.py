"""The test split's predictions and metrics, shared by ``train``, ``evaluate`` and ``report``.

``dlpath train`` saves the predictions in ``test_predictions.npz`` (`save`), with the inputs
of the most confident mistakes, so that ``dlpath report`` rebuilds the page from that file
(`load`) without loading the data set or running the model again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

PREDICTIONS_FILE = "test_predictions.npz"
# The inputs of this many most confident mistakes are saved with the predictions: the most
# that a report shows.
MISTAKES_KEPT = 24


@dataclass
class Evaluation:
    """Test metrics (from ``model.evaluate``) and the per-sample predictions behind them.

    ``x`` holds the test inputs; an evaluation read back with `load` has ``x = None`` and
    ``kept`` (test index -> input) for the most confident mistakes only.
    """

    metrics: dict
    x: np.ndarray | None
    y_true: np.ndarray
    probabilities: np.ndarray  # (N, classes): each row sums to 1
    class_names: list
    kind: str
    kept: dict = field(default_factory=dict)

    @property
    def y_pred(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    def mistakes(self, limit: int) -> np.ndarray:
        """Indices of up to ``limit`` wrong predictions, the most confident mistakes first."""
        y_pred = self.y_pred
        wrong = np.flatnonzero(self.y_true != y_pred)
        confidence = self.probabilities[wrong, y_pred[wrong]]
        return wrong[np.argsort(-confidence, kind="stable")][:limit]

    def inputs(self, indices) -> np.ndarray:
        """The test inputs at ``indices`` (from ``x``, else from the kept mistakes)."""
        indices = [int(i) for i in indices]
        if self.x is not None:
            return self.x[indices]
        missing = [i for i in indices if i not in self.kept]
        if missing:
            raise KeyError(f"test inputs {missing} were not saved with the predictions")
        return np.stack([self.kept[i] for i in indices])


def save(result: Evaluation, path) -> None:
    """Write the predictions, and the inputs of the most confident mistakes, to ``path``."""
    from dlpath.workflow import files

    shown = result.mistakes(MISTAKES_KEPT)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, probabilities=result.probabilities, y_true=result.y_true,
                        kept_indices=shown.astype(np.int64),
                        kept_inputs=result.inputs(shown) if len(shown) else np.zeros(0))
    files.write_bytes(path, buffer.getvalue())


def load(path, metrics: dict, class_names: list, kind: str) -> Evaluation:
    """The `Evaluation` that `save` wrote to ``path`` (``x`` is None; see ``kept``)."""
    with np.load(path, allow_pickle=False) as saved:
        probabilities, y_true = saved["probabilities"], saved["y_true"]
        kept = dict(zip(saved["kept_indices"].tolist(), saved["kept_inputs"]))
    names = list(class_names) or [str(i) for i in range(probabilities.shape[1])]
    return Evaluation(metrics=dict(metrics), x=None, y_true=y_true,
                      probabilities=probabilities, class_names=names, kind=kind, kept=kept)


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
    """Per-class precision, recall and F1 of the test predictions, as scikit-learn's
    ``classification_report`` gives them (text, or a dict with ``as_dict``).

    For class c with the confusion matrix M (row: true class, column: predicted):

    .. math::

        P_c = M_{cc} / \\sum_t M_{tc}, \\quad R_c = M_{cc} / \\sum_p M_{cp}, \\quad
        F1_c = 2 P_c R_c / (P_c + R_c)

    (0 where a denominator is 0), then accuracy, their macro average and their average
    weighted by the support (the number of true samples of each class).
    """
    matrix = confusion_matrix(result).astype(np.float64)
    correct, support = np.diag(matrix), matrix.sum(axis=1)
    precision = _ratio(correct, matrix.sum(axis=0))
    recall = _ratio(correct, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    report = {name: {"precision": float(p), "recall": float(r), "f1-score": float(f),
                     "support": int(n)}
              for name, p, r, f, n in zip(result.class_names, precision, recall, f1, support)}
    total = support.sum()
    report["accuracy"] = float(correct.sum() / total) if total else 0.0
    for name, weights in (("macro avg", np.ones_like(support)), ("weighted avg", support)):
        scale = weights.sum()
        report[name] = {key: float((values * weights).sum() / scale) if scale else 0.0
                        for key, values in (("precision", precision), ("recall", recall),
                                            ("f1-score", f1))}
        report[name]["support"] = int(total)
    return report if as_dict else _report_text(report)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)


def _report_text(report: dict) -> str:
    """The report in scikit-learn's text layout, with 4 decimals."""
    width = max(len("weighted avg"), *(len(str(name)) for name in report))
    lines = [" " * (width + 1) + "".join(h.rjust(10) for h in
                                   ("precision", "recall", "f1-score", "support")), ""]
    for name, scores in report.items():
        if name == "accuracy":
            lines += ["", f"{name:>{width}} " + " " * 20 +
                      f"{scores:10.4f}{report['macro avg']['support']:10d}"]
            continue
        lines.append(f"{name:>{width}} " + "".join(f"{scores[key]:10.4f}" for key in
                                                   ("precision", "recall", "f1-score")) +
                     f"{scores['support']:10d}")
    return "\n".join(lines) + "\n"


def confusion_matrix(result: Evaluation) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class."""
    classes = len(result.class_names)
    matrix = np.zeros((classes, classes), dtype=np.int64)
    inside = (result.y_true < classes) & (result.y_pred < classes)
    np.add.at(matrix, (result.y_true[inside], result.y_pred[inside]), 1)
    return matrix


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
