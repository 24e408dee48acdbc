"""``load_npz`` reads an object array's pickle out of the zip member in one piece."""

import zipfile

import numpy as np

from dlpath.datasets._npz import NpySpec, load_npz


def test_object_array_pickle_is_read_from_the_member_in_few_reads(tmp_path, monkeypatch):
    # Many small lists: the unpickler makes thousands of tiny reads; none may reach the zip.
    sequences = np.empty(2000, dtype=object)
    sequences[:] = [list(range(i % 7 + 1)) for i in range(2000)]
    path = tmp_path / "seqs.npz"
    np.savez(path, x=sequences)
    reads = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        reads.append(n)
        return original(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    spec = NpySpec(shape=(2000,), kinds="O", pickle_bytes=10**6)
    loaded = load_npz(path, {"x": spec})["x"]
    assert [list(row) for row in loaded] == [list(row) for row in sequences]
    assert len(reads) < 20
