"""The number of elements of a dataset, with TensorFlow's two special values.

``INFINITE_CARDINALITY`` (-1): the dataset never ends (``repeat()`` without a count).
``UNKNOWN_CARDINALITY`` (-2): it cannot be known without iterating (``filter``, a generator).
"""

INFINITE = -1
UNKNOWN = -2
AUTOTUNE = -1  # tf.data.AUTOTUNE: "choose the degree of parallelism"; the value TF uses


def known(value: int) -> bool:
    """True for a finite, known count."""
    return value >= 0


def times(value: int, count: int) -> int:
    """The cardinality of ``value`` elements repeated ``count`` times (None: forever)."""
    if value == 0:
        return 0
    if count is None:
        return INFINITE
    if value == INFINITE:
        return INFINITE if count > 0 else 0
    if value == UNKNOWN:
        return UNKNOWN if count > 0 else 0
    return value * count


def take(value: int, count: int) -> int:
    """The cardinality of ``take(count)`` (``count`` -1: all)."""
    if count < 0:
        return value
    if value == INFINITE:
        return count
    if value == UNKNOWN:
        return UNKNOWN
    return min(value, count)


def skip(value: int, count: int) -> int:
    """The cardinality of ``skip(count)`` (``count`` -1: all)."""
    if count < 0:
        return INFINITE if value == INFINITE else 0
    if not known(value):
        return value
    return max(value - count, 0)


def smallest(values) -> int:
    """The cardinality of ``zip`` of datasets of these cardinalities."""
    finite = [v for v in values if known(v)]
    if finite:
        return min(finite)
    return UNKNOWN if UNKNOWN in values else INFINITE


def total(values) -> int:
    """The cardinality of datasets concatenated one after another."""
    if INFINITE in values:
        return INFINITE
    if UNKNOWN in values:
        return UNKNOWN
    return sum(values)


def batches(value: int, batch_size: int, drop_remainder: bool) -> int:
    """The cardinality of ``batch(batch_size, drop_remainder)``."""
    if not known(value):
        return value
    return value // batch_size if drop_remainder else -(-value // batch_size)
