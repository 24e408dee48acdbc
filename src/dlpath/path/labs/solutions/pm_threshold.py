import numpy as np


def total_cost(scores, labels, threshold, cost_fp, cost_fn):
    """The cost of deciding "positive" for every sample with score >= threshold:

        cost = cost_fp * FP + cost_fn * FN
        FP = number of negatives (label 0) with score >= threshold
        FN = number of positives (label 1) with score <  threshold

    scores: (N,) floats; labels: (N,) of 0 and 1. Returns a Python float.
    """
    predicted = scores >= threshold
    fp = np.sum(predicted & (labels == 0))
    fn = np.sum(~predicted & (labels == 1))
    return float(cost_fp * fp + cost_fn * fn)


def best_threshold(scores, labels, cost_fp, cost_fn):
    """The decision threshold, among the observed scores, with the lowest total_cost, and
    that cost. When several thresholds tie, the largest of them (the fewest positives).
    Returns (threshold, cost), two Python floats.
    """
    best_t, best_cost = None, None
    for t in np.unique(scores)[::-1]:  # from the highest, so a tie keeps the larger one
        cost = total_cost(scores, labels, t, cost_fp, cost_fn)
        if best_cost is None or cost < best_cost:
            best_t, best_cost = float(t), cost
    return best_t, best_cost
