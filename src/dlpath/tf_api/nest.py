"""``tf.nest``: nested structures of lists, tuples and dicts (the functions of
`dlpath.utils.tree`, which is ``keras.tree``, with TensorFlow's keyword arguments).

As in TensorFlow, ``None`` is a leaf and dicts are visited in sorted key order.
"""

from __future__ import annotations

from dlpath.utils import tree as _tree

is_nested = _tree.is_nested


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves, depth first (a leaf gives ``[leaf]``)."""
    return _tree.flatten(structure)


def map_structure(func, *structure, check_types: bool = True,
                  expand_composites: bool = False):
    """``func`` applied to the leaves of equally shaped structures, in their shape."""
    if len(structure) > 1:
        for other in structure[1:]:
            assert_same_structure(structure[0], other, check_types=check_types)
    return _tree.map_structure(func, *structure)


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """The leaves of ``flat_sequence`` put back into the shape of ``structure``."""
    return _tree.pack_sequence_as(structure, list(flat_sequence))


def assert_same_structure(nest1, nest2, check_types: bool = True,
                          expand_composites: bool = False) -> None:
    """ValueError (TypeError for differing sequence types, when ``check_types``) unless the
    two have the same nesting."""
    _tree.assert_same_structure(nest1, nest2, check_types=check_types)


__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure",
           "pack_sequence_as"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
