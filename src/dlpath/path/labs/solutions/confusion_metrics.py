import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    """The K x K confusion matrix, K = num_classes: C[i, j] is the number of samples of
    true class i predicted as class j (rows true, columns predicted).

    y_true, y_pred: (N,) integer labels in [0, K). Returns a (K, K) integer array; a class
    that never occurs still has its row and column (of zeros).
    """
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def per_class_metrics(cm):
    """Precision, recall and F1 of every class from a confusion matrix (rows true):

        precision_k = C[k, k] / sum_i C[i, k]    (of the samples predicted k, the share truly k)
        recall_k    = C[k, k] / sum_j C[k, j]    (of the samples truly k, the share found)
        f1_k        = 2 precision_k recall_k / (precision_k + recall_k)

    each 0 where its denominator is 0. Returns (precision, recall, f1), three (K,) float
    arrays.
    """
    tp = np.diag(cm).astype(np.float64)
    predicted = cm.sum(axis=0)
    actual = cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(tp), where=both > 0)
    return precision, recall, f1


def macro_averages(cm):
    """The macro averages: the unweighted means over all K classes of the per-class
    precision, recall and F1 (classes that never occur count, with their 0).
    Returns (macro_precision, macro_recall, macro_f1) as Python floats.
    """
    precision, recall, f1 = per_class_metrics(cm)
    return float(np.mean(precision)), float(np.mean(recall)), float(np.mean(f1))
