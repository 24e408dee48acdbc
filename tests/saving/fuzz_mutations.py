"""Seeded mutations of saved files: truncations, byte flips, and mutations of JSON members
and arrays re-zipped with valid checksums (so that the checks after the CRC are reached).

Each mutation is ``mutation(data, rng) -> bytes``: the damaged file from the original
bytes and a ``numpy.random.Generator``.
"""

import copy
import io
import json
import zipfile

import numpy as np

from hostile_archives import JSON_MEMBERS, members, npy, npy_with_header, zipped

VALUES = [None, True, False, 0, -1, 1.5, 10 ** 12, -10 ** 12, 10 ** 60, float("nan"),
          float("inf"), "", "x", "Dense", "Lambda", "os.system", "float64", "../x", [], {},
          [1, 2], [[[]]], [10 ** 9, 10 ** 9], {"class_name": "Dense", "config": {}},
          {"class_name": "Lambda", "config": {"function": "print"}},
          {"class_name": "Sequential", "config": {"layers": "x"}}]


# ---------------------------------------------------------------- bytes
def truncate(data, rng):
    return data[:int(rng.integers(0, len(data)))]


def flip_bytes(data, rng):
    data = bytearray(data)
    for _ in range(int(rng.integers(1, 9))):
        data[int(rng.integers(0, len(data)))] ^= int(rng.integers(1, 256))
    return bytes(data)


def _flip_near_start(blob, rng):
    """Flip a few bytes, most often among the first 160 (headers live there)."""
    blob = bytearray(blob)
    if not blob:
        return bytes(blob)
    span = min(len(blob), 160) if rng.random() < 0.6 else len(blob)
    for _ in range(int(rng.integers(1, 5))):
        blob[int(rng.integers(0, span))] ^= int(rng.integers(1, 256))
    return bytes(blob)


def _inner(items, rng, change):
    """Apply ``change(bytes, rng)`` to one member, or to an array inside an .npz member."""
    name = list(items)[int(rng.integers(0, len(items)))]
    data, method = items[name]
    if name.endswith(".npz") and rng.random() < 0.7:
        inner = members(data)
        key = list(inner)[int(rng.integers(0, len(inner)))]
        inner[key] = (change(inner[key][0], rng), inner[key][1])
        items[name] = (zipped(inner), method)
    else:
        items[name] = (change(data, rng), method)
    return items


def flip_member_bytes(data, rng):
    """Byte flips inside one member (or one array), re-zipped with valid checksums."""
    if data[:2] != b"PK":
        return flip_bytes(data, rng)
    return zipped(_inner(members(data), rng, _flip_near_start))


def truncate_member(data, rng):
    """One member (or one array) cut short, re-zipped with valid checksums."""
    return zipped(_inner(members(data), rng, truncate))


# ---------------------------------------------------------------- JSON
def _places(tree):
    """Every (container, key) holding a value in ``tree``, and (None, None) for the root."""
    places, stack = [(None, None)], [tree]
    while stack:
        value = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) \
            if isinstance(value, list) else ()
        for key, item in items:
            places.append((value, key))
            stack.append(item)
    return places


def _replacement(value, operation, rng):
    if operation == "swap":
        return copy.deepcopy(VALUES[int(rng.integers(0, len(VALUES)))])
    if operation == "null":
        return None
    if operation == "huge int":
        return int(rng.choice([-1, 1])) * 10 ** int(rng.integers(9, 80))
    if operation == "deep":
        for _ in range(int(rng.integers(20, 160))):
            value = [value]
        return value
    if operation == "shape" and isinstance(value, list) and value and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        choice = int(rng.integers(0, 4))
        if choice == 0:
            return value + [int(rng.integers(1, 4))]
        if choice == 1:
            return value[:-1]
        if choice == 2:
            return [v * 10 ** int(rng.integers(1, 7)) for v in value]
        return [-v for v in value]
    if operation == "shape" and isinstance(value, int) and not isinstance(value, bool):
        return value * 10 ** int(rng.integers(1, 13)) + int(rng.integers(-1, 2))
    return copy.deepcopy(VALUES[int(rng.integers(0, len(VALUES)))])


OPERATIONS = ("swap", "null", "delete", "huge int", "deep", "shape", "duplicate")


def mutate_tree(tree, rng):
    """``tree`` with one random value replaced, deleted or duplicated."""
    tree = copy.deepcopy(tree)
    places = _places(tree)
    container, key = places[int(rng.integers(0, len(places)))]
    operation = OPERATIONS[int(rng.integers(0, len(OPERATIONS)))]
    if container is None:
        return _replacement(tree, operation, rng)
    if operation == "delete":
        del container[key]
    elif operation == "duplicate" and isinstance(container, list):
        container.insert(key, copy.deepcopy(container[key]))
    else:
        container[key] = _replacement(container[key], operation, rng)
    return tree


def mutate_json(data, rng):
    """One JSON member of the archive mutated, re-zipped with valid checksums."""
    items = members(data)
    names = [name for name in items if name in JSON_MEMBERS]
    name = names[int(rng.integers(0, len(names)))]
    for _ in range(int(rng.integers(1, 3))):
        tree = mutate_tree(json.loads(items[name][0]), rng)
        items[name] = (json.dumps(tree).encode(), items[name][1])
    if rng.random() < 0.1:
        items = {key: (value, zipfile.ZIP_DEFLATED) for key, (value, _) in items.items()}
    return zipped(items)


# ---------------------------------------------------------------- arrays
def _changed_array(array, rng):
    choice = int(rng.integers(0, 10))
    if choice == 0:
        return npy(array.reshape(array.shape[::-1] or (1,)).T.copy())
    if choice == 1:
        return npy(array.astype(["float64", "int32", "bool", "complex64", "float16"][
            int(rng.integers(0, 5))]))
    if choice == 2:
        trap = np.empty(max(array.size, 1), dtype=object)
        return npy(trap, allow_pickle=True)
    if choice == 3:
        return npy(np.zeros((0,) + array.shape[1:], array.dtype))
    if choice == 4:
        shape = tuple(int(s) * 10 ** int(rng.integers(1, 7)) for s in array.shape) or (10 ** 9,)
        return npy_with_header({"descr": "<f4", "fortran_order": False, "shape": shape},
                               array.tobytes())
    if choice == 5:
        return npy(np.asfortranarray(array.reshape(array.shape + (1,))))
    if choice == 6:
        bad = array.astype("float64").copy()
        bad.flat[0] = [np.nan, np.inf, -np.inf][int(rng.integers(0, 3))]
        return npy(bad.astype(array.dtype) if array.dtype.kind == "f" else bad)
    if choice == 7:
        descr = ["|O", "<U1000000000", "|V2000000000", [("a", "<f4")], "<M8[s]", "|S9"][
            int(rng.integers(0, 6))]
        return npy_with_header({"descr": descr, "fortran_order": False,
                                "shape": array.shape}, array.tobytes())
    if choice == 8:
        return npy(array)[:-int(rng.integers(1, 5))] if array.size else npy(array) + b"\0"
    return npy(array) + bytes(int(rng.integers(1, 9)))


def mutate_arrays(data, rng):
    """One array of an .npz (the file itself, or a member of the archive) replaced,
    dropped, renamed or joined by another, re-zipped with valid checksums."""
    items = members(data)
    is_npz = all(name.endswith(".npy") for name in items)
    if is_npz:
        inner, outer = items, None
    else:
        outer = [name for name in items if name.endswith(".npz")]
        outer = outer[int(rng.integers(0, len(outer)))]
        inner = members(items[outer][0])
    key = list(inner)[int(rng.integers(0, len(inner)))]
    array = np.lib.format.read_array(io.BytesIO(inner[key][0]))
    operation = int(rng.integers(0, 6))
    if operation == 0:
        del inner[key]
    elif operation == 1:
        inner[key.replace(".npy", "_x.npy")] = inner.pop(key)
    elif operation == 2:
        inner["layers/extra/0.npy"] = (npy(np.ones(3, "float32")), zipfile.ZIP_STORED)
    else:
        inner[key] = (_changed_array(array, rng), inner[key][1])
    if is_npz:
        return zipped(inner)
    items[outer] = (zipped(inner), items[outer][1])
    return zipped(items)
