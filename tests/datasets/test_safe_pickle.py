"""The restricted unpickler: NumPy arrays and containers load, anything else is refused."""

import builtins
import io
import os
import pickle
import subprocess
import zipfile

import numpy as np
import pytest

from dlpath.datasets import CorruptDatasetError, UnsafePickleError
from dlpath.datasets._npz import NpySpec, load_npz
from dlpath.datasets._safe_pickle import safe_loads


class _Calls:
    """Pickles to ``function(*args)``."""

    def __init__(self, function, *args):
        self.function = function
        self.args = args

    def __reduce__(self):
        return (self.function, self.args)


@pytest.mark.parametrize("protocol", [3, 4])
def test_arrays_and_containers_round_trip(protocol):
    value = {
        b"data": np.arange(12, dtype=np.uint8).reshape(3, 4),
        b"labels": [1, 2, 3],
        "names": ["a", b"b"],
        "floats": np.linspace(0, 1, 5),
    }
    loaded = safe_loads(pickle.dumps(value, protocol=protocol), "test.pkl")
    np.testing.assert_array_equal(loaded[b"data"], value[b"data"])
    np.testing.assert_array_equal(loaded["floats"], value["floats"])
    assert loaded[b"labels"] == [1, 2, 3] and loaded["names"] == ["a", b"b"]


def test_object_array_of_lists_round_trips():
    array = np.empty(3, dtype=object)
    for i, item in enumerate(([1, 2], [3], [])):
        array[i] = item
    loaded = safe_loads(pickle.dumps(array, protocol=3), "x.npy")
    assert loaded.dtype == object and [list(x) for x in loaded] == [[1, 2], [3], []]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_os_system_payload_is_refused_and_not_run(tmp_path, protocol):
    marker = tmp_path / "marker"
    payload = pickle.dumps([_Calls(os.system, f"touch {marker}")], protocol=protocol)
    with pytest.raises(UnsafePickleError, match=r"evil\.pkl.*(posix|os|nt)\.system"):
        safe_loads(payload, "evil.pkl")
    assert not marker.exists()


@pytest.mark.parametrize(
    "function, args",
    [
        (builtins.eval, ("1 + 1",)),
        (subprocess.check_call, (["true"],)),
        (getattr, ("text", "upper")),
    ],
)
def test_other_callables_are_refused(function, args):
    payload = pickle.dumps(_Calls(function, *args), protocol=3)
    with pytest.raises(UnsafePickleError, match="refusing to load the global"):
        safe_loads(payload, "evil.pkl")


def test_refusal_is_an_unpickling_error_and_a_corrupt_dataset_error():
    assert issubclass(UnsafePickleError, pickle.UnpicklingError)
    assert issubclass(UnsafePickleError, CorruptDatasetError)


def test_truncated_pickle_is_a_clear_error():
    payload = pickle.dumps({b"data": np.zeros(100, np.uint8)}, protocol=3)
    with pytest.raises(CorruptDatasetError, match="batch.pkl: truncated or damaged"):
        safe_loads(payload[: len(payload) // 2], "batch.pkl")


def _object_npz(path, x_pickle):
    """An .npz whose x.npy is an object-array header followed by ``x_pickle``."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "|O", "fortran_order": False, "shape": (2,)}
    )
    np.savez(path, y=np.array([0, 1]))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("x.npy", buffer.getvalue() + x_pickle)
    return path


X_SPEC = {"x": NpySpec((2,), "O", 1 << 20)}
XY_SPECS = {**X_SPEC, "y": NpySpec((2,), "iu")}


def test_npz_object_array_is_read_without_allow_pickle(tmp_path):
    array = np.empty(2, dtype=object)
    array[0], array[1] = [1, 2, 3], [4]
    path = _object_npz(tmp_path / "ok.npz", pickle.dumps(array, protocol=3))
    arrays = load_npz(path, XY_SPECS)
    assert [list(x) for x in arrays["x"]] == [[1, 2, 3], [4]]
    assert arrays["y"].tolist() == [0, 1]


def test_npz_with_tampered_object_array_is_refused(tmp_path):
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Calls(os.system, f"touch {marker}"), protocol=3)
    path = _object_npz(tmp_path / "evil.npz", payload)
    with pytest.raises(UnsafePickleError, match=r"evil\.npz \[x\]"):
        load_npz(path, XY_SPECS)
    assert not marker.exists()


def test_npz_whose_pickle_disagrees_with_header_is_refused(tmp_path):
    path = _object_npz(tmp_path / "odd.npz", pickle.dumps([1, 2], protocol=3))
    with pytest.raises(CorruptDatasetError, match="does not hold the array announced"):
        load_npz(path, X_SPEC)


def test_npz_with_truncated_plain_array_is_reported(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.arange(100, dtype=np.int64))
    path = tmp_path / "short.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("y.npy", buffer.getvalue()[:-8])
    with pytest.raises(CorruptDatasetError, match=r"short\.npz \[y\].*792 bytes.*800"):
        load_npz(path, {"y": NpySpec((100,), "i")})


@pytest.mark.parametrize("payload", [
    b"\x80\x03]r\xff\xff\xff\x7f.",  # EMPTY_LIST, LONG_BINPUT 2**31 - 1, STOP
    b"(lp2147483647\n.",             # MARK, LIST, PUT 2147483647, STOP (protocol 0)
], ids=["LONG_BINPUT", "PUT"])
def test_a_huge_memo_index_costs_no_memory(payload):
    """The C unpickler would grow its memo array to 2**32 entries (32 GiB) here."""
    import tracemalloc

    tracemalloc.start()
    try:
        assert safe_loads(payload, "tiny.pkl") == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
