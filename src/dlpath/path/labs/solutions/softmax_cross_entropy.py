import numpy as np


def cross_entropy(logits, labels):
    """The mean cross-entropy of softmax(logits) against integer class labels:

        L = (1/N) sum_n [ log sum_k exp(z_nk) - z_(n, y_n) ]

    computed stably with the row maximum m_n = max_k z_nk:
        log sum_k exp(z_nk) = m_n + log sum_k exp(z_nk - m_n)

    logits: (N, K) floats; labels: (N,) integers in [0, K). Returns a Python float.
    """
    n = logits.shape[0]
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(n), labels]))


def cross_entropy_grad(logits, labels):
    """dL/dlogits of the mean cross-entropy above:

        dL/dz = (softmax(z) - onehot(labels)) / N

    Returns an (N, K) array of logits' dtype.
    """
    n = logits.shape[0]
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    grad = e / np.sum(e, axis=1, keepdims=True)
    grad[np.arange(n), labels] -= 1
    return grad / n
