"""Intersection over union from a weighted confusion matrix C (rows: true class, columns:
predicted class), accumulated over every batch:

    IoU_c = C_cc / (sum_j C_cj + sum_i C_ic - C_cc + eps) = TP / (TP + FP + FN)

and the result is the mean of IoU_c over ``target_class_ids``, counting only the classes
whose denominator is non-zero (eps = 1e-7). Entries labelled ``ignore_class`` are left out.

    IoU            integer labels and predictions (or dense ones, argmax over ``axis``)
    MeanIoU        IoU over every class
    BinaryIoU      predictions >= threshold are class 1, else 0
    OneHotIoU      one-hot labels, dense predictions (both argmax'ed)
    OneHotMeanIoU  OneHotIoU over every class

Weights are accumulated as floats (Keras 3 keeps an integer matrix by default).
"""

from __future__ import annotations

import numpy as np

from dlpath.metrics.base import Metric, as_result, to_array

EPSILON = 1e-7


def _class_ids(owner: str, values: np.ndarray, name: str) -> np.ndarray:
    if values.dtype.kind == "f" and not np.all(values == np.round(values)):
        raise ValueError(f"{owner}: {name} must hold class ids (whole numbers); pass dense "
                         f"scores with sparse_{name}=False")
    return values.astype(np.int64)


class IoU(Metric):
    """The mean IoU of the classes ``target_class_ids`` (see the module).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged.
        ignore_class: a label whose entries are left out (e.g. a void class), or None.
        sparse_y_true, sparse_y_pred: whether labels / predictions are class ids (True) or
            dense scores to argmax over ``axis`` (False).
        axis: the class axis of dense inputs.
    """

    def __init__(self, num_classes: int, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true: bool = True, sparse_y_pred: bool = True,
                 axis: int = -1):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if isinstance(num_classes, bool) or int(num_classes) != num_classes or num_classes < 1:
            raise ValueError(f"{owner}: num_classes must be a positive integer, got "
                             f"{num_classes!r}")
        self.num_classes = int(num_classes)
        ids = [int(c) for c in target_class_ids]
        if not ids or min(ids) < 0 or max(ids) >= self.num_classes:
            raise ValueError(f"{owner}: target_class_ids must be classes in "
                             f"[0, {self.num_classes}), got {list(target_class_ids)}")
        self.target_class_ids = ids
        self.ignore_class = ignore_class
        self.sparse_y_true, self.sparse_y_pred = bool(sparse_y_true), bool(sparse_y_pred)
        self.axis = axis
        self.total_cm = self.add_variable(shape=(self.num_classes, self.num_classes),
                                          name="total_confusion_matrix")

    def _labels_and_predictions(self, y_true, y_pred):
        y_true, y_pred = to_array(y_true), to_array(y_pred)
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        return y_true, y_pred

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = self._labels_and_predictions(y_true, y_pred)
        y_true = _class_ids(self.name, np.asarray(y_true).reshape(-1), "y_true")
        y_pred = _class_ids(self.name, np.asarray(y_pred).reshape(-1), "y_pred")
        if y_true.shape != y_pred.shape:
            raise ValueError(f"{self.name}: y_true has {y_true.size} entries but y_pred has "
                             f"{y_pred.size}; they must match")
        weights = np.ones(y_true.shape) if sample_weight is None else to_array(
            sample_weight, np.float64).reshape(-1)
        try:
            weights = np.broadcast_to(weights, y_true.shape)
        except ValueError:
            raise ValueError(f"{self.name}: sample_weight of shape {np.shape(sample_weight)} "
                             f"cannot be broadcast to the {y_true.size} entries") from None
        if self.ignore_class is not None:
            keep = y_true != self.ignore_class
            y_true, y_pred, weights = y_true[keep], y_pred[keep], weights[keep]
        for name, ids in (("y_true", y_true), ("y_pred", y_pred)):
            if ids.size and (ids.min() < 0 or ids.max() >= self.num_classes):
                raise ValueError(f"{self.name}: {name} must hold classes in "
                                 f"[0, {self.num_classes}), got {ids.min()}..{ids.max()}")
        flat = y_true * self.num_classes + y_pred
        counts = np.bincount(flat, weights=weights, minlength=self.num_classes ** 2)
        self.total_cm.assign_add(counts.reshape(self.num_classes, self.num_classes))

    def result(self) -> float:
        matrix = self.total_cm.value
        true_positives = np.diag(matrix)
        denominator = matrix.sum(axis=0) + matrix.sum(axis=1) - true_positives
        ids = self.target_class_ids
        true_positives, denominator = true_positives[ids], denominator[ids]
        valid = (denominator > 1e-9).sum()
        iou = true_positives / (denominator + EPSILON)
        return as_result(iou.sum() / (valid + EPSILON))

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class MeanIoU(IoU):
    """The mean IoU over every class (arguments as `IoU`, without target_class_ids)."""

    def __init__(self, num_classes: int, name=None, dtype=None, ignore_class=None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(num_classes, list(range(int(num_classes))), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """IoU of two classes, a prediction >= ``threshold`` being class 1.

    Args:
        target_class_ids: [0], [1] or [0, 1] (default: the mean of both).
        threshold: the score from which a prediction is class 1 (default 0.5).
    """

    def __init__(self, target_class_ids=(0, 1), threshold: float = 0.5, name=None,
                 dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = float(threshold)

    def _labels_and_predictions(self, y_true, y_pred):
        y_true, y_pred = to_array(y_true), to_array(y_pred, np.float32)
        return y_true, (y_pred >= self.threshold).astype(np.int64)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype,
                "target_class_ids": self.target_class_ids, "threshold": self.threshold}


class OneHotIoU(IoU):
    """IoU with one-hot labels and dense predictions (arguments as `IoU`)."""

    def __init__(self, num_classes: int, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """The mean IoU over every class, with one-hot labels and dense predictions."""

    def __init__(self, num_classes: int, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config
