import numpy as np


def group_rates(y_true, y_pred, groups):
    """The false-positive and false-negative rates of every group:

        FPR = FP / (FP + TN)    the share of the group's actual negatives flagged positive
        FNR = FN / (FN + TP)    the share of the group's actual positives missed

    nan where the group has no actual negatives (FPR) or no actual positives (FNR).
    y_true, y_pred: (N,) of 0 and 1; groups: (N,) group of each sample (strings or ints).
    Returns {group: (fpr, fnr)}, with plain Python keys (str or int) and float rates.
    """
    rates = {}
    for g in np.unique(groups):
        t, p = y_true[groups == g], y_pred[groups == g]
        negatives, positives = np.sum(t == 0), np.sum(t == 1)
        fp = np.sum((p == 1) & (t == 0))
        fn = np.sum((p == 0) & (t == 1))
        fpr = fp / negatives if negatives else np.nan  # no negatives: undefined
        fnr = fn / positives if positives else np.nan
        rates[g.item()] = (float(fpr), float(fnr))
    return rates


def equalized_odds_gaps(y_true, y_pred, groups):
    """The equalized-odds gaps: the largest difference between groups of each rate,

        fpr_gap = max_g FPR_g - min_g FPR_g,    fnr_gap = max_g FNR_g - min_g FNR_g

    over the groups where the rate is defined (not nan); 0.0 when fewer than two groups
    define it. Returns (fpr_gap, fnr_gap) as Python floats.
    """
    rates = group_rates(y_true, y_pred, groups)
    gaps = []
    for i in (0, 1):
        values = [r[i] for r in rates.values() if not np.isnan(r[i])]
        gaps.append(max(values) - min(values) if len(values) >= 2 else 0.0)
    return float(gaps[0]), float(gaps[1])
