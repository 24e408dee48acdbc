"""``tf.data.experimental``: the names tf.keras 2 programs still reach for."""

from .cardinality import AUTOTUNE, INFINITE, UNKNOWN

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN


def cardinality(dataset):
    """``dataset.cardinality()``: the number of elements, -1 (infinite) or -2 (unknown)."""
    return dataset.cardinality()


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality"]
