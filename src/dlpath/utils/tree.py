"""Nested structures (``keras.tree``): lists, tuples and dicts of leaves.

The order of leaves is Keras' (optree's): lists and tuples in order, dicts by sorted key.
``None`` is a leaf, as in ``keras.tree``. Named tuples keep their type when rebuilt.
"""

from __future__ import annotations


def is_nested(structure) -> bool:
    """Whether ``structure`` is a list, tuple or dict (and not a leaf)."""
    return isinstance(structure, (list, tuple, dict))


def _children(structure) -> list:
    if isinstance(structure, dict):
        return [structure[key] for key in _sorted_keys(structure)]
    return list(structure)


def _sorted_keys(mapping: dict) -> list:
    try:
        return sorted(mapping)
    except TypeError:  # keys of mixed types: keep insertion order
        return list(mapping)


def flatten(structure) -> list:
    """The leaves of ``structure``, depth first: ``flatten({"b": 2, "a": [1, (3,)]})`` is
    ``[1, 3, 2]``."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuild(template, children: list):
    if isinstance(template, dict):
        values = dict(zip(_sorted_keys(template), children))
        return type(template)((key, values[key]) for key in template)
    if isinstance(template, tuple) and hasattr(template, "_fields"):  # a named tuple
        return type(template)(*children)
    return type(template)(children)


def map_structure(func, *structures):
    """``func`` applied to the leaves of ``structures`` (all of one structure), in a
    structure like the first."""
    if not structures:
        raise ValueError("map_structure: expected at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    first = structures[0]
    if not is_nested(first):
        return func(*structures)
    children = [_children(s) for s in structures]
    return _rebuild(first, [map_structure(func, *parts) for parts in zip(*children)])


def pack_sequence_as(structure, flat_sequence):
    """The leaves of ``flat_sequence`` placed into the shape of ``structure``."""
    flat = list(flat_sequence)
    expected = len(flatten(structure))
    if len(flat) != expected:
        raise ValueError(f"pack_sequence_as: the structure has {expected} leaves, got a "
                         f"sequence of {len(flat)}")
    leaves = iter(flat)
    return map_structure(lambda _: next(leaves), structure)


def _shape_of(structure):
    if not is_nested(structure):
        return "leaf"
    if isinstance(structure, dict):
        return ("dict", tuple((k, _shape_of(structure[k])) for k in _sorted_keys(structure)))
    return (type(structure).__name__ if isinstance(structure, list) else "tuple",
            tuple(_shape_of(child) for child in structure))


def assert_same_structure(a, b, check_types: bool = False) -> None:
    """Raise a ValueError unless ``a`` and ``b`` nest the same way (lists and tuples count
    as the same unless ``check_types``)."""
    shape_a, shape_b = _shape_of(a), _shape_of(b)
    if not check_types:
        shape_a, shape_b = (repr(s).replace("'list'", "'tuple'") for s in (shape_a, shape_b))
    if shape_a != shape_b:
        raise ValueError(f"The two structures do not match: {a!r:.200} and {b!r:.200}")


__all__ = ["is_nested", "flatten", "map_structure", "pack_sequence_as",
           "assert_same_structure"]
