"""What a step receives: one batch packed as Keras packs it.

``train_step(data)``, ``test_step(data)`` and ``predict_step(data)`` get ``data`` in the
form the user's data has, as in tf.keras and Keras 3:

    x                      when there are no targets and x is one array,
    (x,)                   when there are no targets and x is a list, tuple or dict,
    (x, y)                 with targets and no sample weights,
    (x, y, sample_weight)  with both.

`unpack_x_y_sample_weight` is the inverse: it always returns three values (None for the
missing ones), so a step can start with ``x, y, sample_weight = unpack(data)``.
"""

from __future__ import annotations


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """``data`` for a step from its parts (see the module docstring)."""
    if y is None:
        if isinstance(x, (list, tuple, dict)):
            return (x,)
        return x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from ``data`` given as x, (x,), (x, y) or (x, y, sw).

    A list is read as a tuple, as Keras reads it.

    Raises:
        ValueError: a tuple of more than three items.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(f"unpack_x_y_sample_weight: data must be x, (x,), (x, y) or "
                     f"(x, y, sample_weight), got a tuple of {len(data)} items")
