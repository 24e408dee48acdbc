"""Checks of the confusion-metrics lab: the confusion matrix, per-class precision, recall
and F1 and their macro averages against a reference equal to sklearn.metrics
(labels = range(K), zero_division=0), with classes that are never predicted or never occur,
or occur once."""

import numpy as np

from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["confusion_matrix", "per_class_metrics", "macro_averages"]


def _problem(rng, k=None, n=None, never_predicted=False, absent=False, single=False):
    """Labels and noisy predictions; optionally a class never predicted, one that occurs
    neither in y_true nor in y_pred, and one that is true once and predicted once."""
    k = int(rng.integers(3, 6)) if k is None else k
    n = int(rng.integers(30, 60)) if n is None else n
    usable = np.arange(k - 1) if absent else np.arange(k)  # the last class may stay absent
    y_true = rng.choice(usable, size=n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.choice(usable, size=n))
    if never_predicted:
        hidden = int(usable[0])
        y_pred = np.where(y_pred == hidden, (hidden + 1) % len(usable), y_pred)
        y_true[0] = hidden
    if single:  # the last usable class: one sample, predicted right, and nowhere else
        one = int(usable[-1])
        y_true = np.where(y_true == one, usable[0], y_true)
        y_pred = np.where(y_pred == one, usable[0], y_pred)
        y_true[1] = y_pred[1] = one
    return y_true, y_pred, k


def reference(y_true, y_pred, k):
    """The confusion matrix, per-class (precision, recall, f1) and macro averages, in
    float64 NumPy. They equal sklearn.metrics.confusion_matrix and
    precision_recall_fscore_support(labels=range(k), zero_division=0) (the lab's tests
    check that); scikit-learn itself is not imported here, as it takes longer to import
    than the checks take to run."""
    cm = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        cm[t, p] += 1
    tp = np.diag(cm).astype(np.float64)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.array([tp[i] / predicted[i] if predicted[i] else 0.0 for i in range(k)])
    recall = np.array([tp[i] / actual[i] if actual[i] else 0.0 for i in range(k)])
    f1 = np.array([2 * tp[i] / (predicted[i] + actual[i]) if predicted[i] + actual[i] else 0.0
                   for i in range(k)])
    return cm, (precision, recall, f1), (precision.mean(), recall.mean(), f1.mean())


def _floats(case, result, count, what):
    if not isinstance(result, (tuple, list)) or len(result) != count:
        case.fail("not_a_tuple", count=count, what=what, type=type(result).__name__)
    return result


@check("confusion-matrix")
def confusion_matrix(learner, rng):
    for options in ({}, {"absent": True}, {"n": 1}):
        y_true, y_pred, k = _problem(rng, **options)
        case = Case(learner.confusion_matrix, f"{len(y_true)} samples, {k} classes"
                    + (", one class absent" if options.get("absent") else ""))
        cm = case.expect_array("the confusion matrix", case.call(y_true, y_pred, k))
        if cm.ndim == 2 and cm.shape != (k, k) and cm.shape[0] == cm.shape[1]:
            case.fail("num_classes_ignored", actual=cm.shape, k=k)
        expected = reference(y_true, y_pred, k)[0]
        if cm.shape == (k, k) and cm.dtype.kind not in "iu":
            case.fail("cm_not_integer", dtype=str(cm.dtype))
        if cm.shape == (k, k) and np.array_equal(cm, expected.T) \
                and not np.array_equal(cm, expected):
            case.fail("cm_transposed")
        if cm.shape == (k, k) and np.array_equal(cm, (expected > 0).astype(cm.dtype)) \
                and expected.max() > 1:
            case.fail("repeated_pairs_counted_once")
        case.expect_equal("the confusion matrix", cm, expected)


def _per_class_mistakes(cm):
    cm = cm.astype(np.float64)
    tp = np.diag(cm)
    with np.errstate(all="ignore"):
        precision = np.nan_to_num(tp / cm.sum(axis=0))
        recall = np.nan_to_num(tp / cm.sum(axis=1))
    return precision, recall


@check("per-class")
def per_class(learner, rng):
    for options, what in (({}, ""), ({"never_predicted": True}, ", a class never predicted"),
                          ({"absent": True, "never_predicted": True},
                           ", a class never predicted and one absent"),
                          ({"single": True}, ", a class with one sample, predicted once")):
        y_true, y_pred, k = _problem(rng, **options)
        cm, expected, _ = reference(y_true, y_pred, k)
        case = Case(learner.per_class_metrics, f"a {k} x {k} confusion matrix{what}")
        result = _floats(case, case.call(cm), 3, "(precision, recall, f1)")
        precision, recall = _per_class_mistakes(cm)
        for name, value in zip(("precision", "recall", "f1"), result):
            value = case.expect_array(name, value)
            if value.shape == (k,) and np.isnan(value.astype(np.float64)).any():
                case.fail("undefined_not_zero", metric=name, index=int(np.isnan(value).argmax()))
        mistakes = [{"precision_is_recall": recall},
                    {"recall_is_precision": precision},
                    {"f1_arithmetic_mean": (precision + recall) / 2}]
        for name, value, wanted, wrong in zip(("precision", "recall", "f1"), result, expected,
                                              mistakes):
            case.expect_close(name, value, wanted, rtol=1e-9, atol=1e-12, mistakes=wrong)


@check("macro-averages")
def macro_averages(learner, rng):
    for options in ({}, {"absent": True, "never_predicted": True}):
        y_true, y_pred, k = _problem(rng, **options)
        cm, (p, r, f), expected = reference(y_true, y_pred, k)
        case = Case(learner.macro_averages, f"a {k} x {k} confusion matrix"
                    + (", a class never predicted and one absent" if options else ""))
        result = _floats(case, case.call(cm), 3, "(macro_precision, macro_recall, macro_f1)")
        present = (cm.sum(axis=0) + cm.sum(axis=1)) > 0
        accuracy = np.trace(cm) / cm.sum()
        macro_p, macro_r = p.mean(), r.mean()
        for i, (name, value, wanted, per) in enumerate(zip(
                ("macro precision", "macro recall", "macro F1"), result, expected, (p, r, f))):
            mistakes = {"micro_not_macro": accuracy, "macro_skips_absent": per[present].mean()}
            if i == 2:
                mistakes["macro_f1_from_macro_pr"] = 2 * macro_p * macro_r / (macro_p + macro_r)
            case.expect_close(name, value, wanted, rtol=1e-9, atol=1e-12, mistakes=mistakes)
