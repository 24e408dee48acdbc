"""Truncated, damaged and hostile data-set files end in CorruptDatasetError, quickly.

Bombs (files that decompress or expand to gigabytes) are loaded in a separate process
limited to 1.5 GiB of address space and a minute, so a loader that reads "all there
is" fails the test instead of the machine.
"""

import gzip
import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from hostile_files import GIB, idx_header, load_bounded, tar_header, write_gzip_bomb

from dlpath.datasets import CorruptDatasetError, UnsafePickleError, cifar10, imdb, mnist
from dlpath.datasets import _imdb_files
from dlpath.datasets._imdb_texts import REVIEW_BYTES

pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")

IDX_NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
QUICK = 15.0  # seconds a refused bomb may take, process start not included


def _assert_refused_quickly(outcome, *fragments):
    assert outcome["error"] is not None, "the hostile file was loaded"
    assert outcome["corrupt"], f"{outcome['error']}: {outcome['message']}"
    for fragment in fragments:
        assert fragment in outcome["message"], outcome["message"]
    assert outcome["seconds"] < QUICK


def _idx_folder(folder, first_file_name, first_file_bytes=None):
    """An MNIST folder whose first file (the training images) is given; the rest empty."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in IDX_NAMES[1:]:
        (folder / (name + ".gz")).write_bytes(b"")
    if first_file_bytes is not None:
        (folder / first_file_name).write_bytes(first_file_bytes)
    return folder


# --- bombs, in a limited process ----------------------------------------------------------


def test_gzip_bomb_after_a_valid_idx_header_stops_after_the_images(tmp_path):
    folder = _idx_folder(tmp_path / "mnist", None)
    write_gzip_bomb(folder / "train-images-idx3-ubyte.gz", idx_header((60000, 28, 28)), 4 * GIB)
    outcome = load_bounded("mnist", folder)
    _assert_refused_quickly(outcome, "train-images-idx3-ubyte.gz", "more bytes than")


def test_idx_header_announcing_huge_sizes_is_refused_before_reading(tmp_path):
    folder = _idx_folder(tmp_path / "mnist", None)
    huge = (2**32 - 1,) * 3
    write_gzip_bomb(folder / "train-images-idx3-ubyte.gz", idx_header(huge), 2 * GIB)
    outcome = load_bounded("mnist", folder)
    _assert_refused_quickly(outcome, "announces shape (4294967295, 4294967295, 4294967295)",
                            "expected (60000, 28, 28)")


def test_tar_batch_declaring_gigabytes_is_refused_from_its_header(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    write_gzip_bomb(path, tar_header("cifar-10-batches-py/data_batch_1", 4 * GIB), 4 * GIB)
    outcome = load_bounded("cifar10", path)
    _assert_refused_quickly(outcome, "[cifar-10-batches-py/data_batch_1]",
                            "declares 4294967296 bytes")


def test_tar_entry_that_would_be_skipped_is_bounded_too(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    write_gzip_bomb(path, tar_header("cifar-10-batches-py/extra.bin", 6 * GIB), 6 * GIB)
    outcome = load_bounded("cifar10", path)
    _assert_refused_quickly(outcome, "[cifar-10-batches-py/extra.bin]", "declares")


def test_tar_long_name_bomb_is_capped(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    header = tar_header("././@LongLink", 2 * GIB, kind=b"L")
    write_gzip_bomb(path, header, 2 * GIB)
    outcome = load_bounded("cifar10", path)
    _assert_refused_quickly(outcome, "cifar-10-python.tar.gz", "uncompressed")


def test_imdb_sequences_sharing_one_huge_list_are_refused_in_linear_time(tmp_path):
    shared = list(range(1, 200_001))
    sequences = np.empty(_imdb_files.SPLIT_SIZE, dtype=object)
    for i in range(len(sequences)):
        sequences[i] = shared
    path = _write_imdb_npz(tmp_path / "imdb.npz", sequences)
    outcome = load_bounded("imdb", path)
    _assert_refused_quickly(outcome, "[train]", "sequence 1 is the same list object as "
                            "sequence 0")


def test_pickle_asking_numpy_for_a_huge_array_is_refused(tmp_path, synth):
    class HugeArray:
        def __reduce__(self):
            reconstruct = np.ndarray.__reduce__(np.zeros(1))[0]
            return (reconstruct, (np.ndarray, (10**10,), np.dtype(object)))

    batch = pickle.dumps({b"data": HugeArray(), b"labels": []}, protocol=3)
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz",
                              {"cifar-10-batches-py/data_batch_1": batch})
    outcome = load_bounded("cifar10", path)
    _assert_refused_quickly(outcome, "data_batch_1", "refusing _reconstruct(ndarray, shape "
                            "(10000000000,))")
    assert outcome["error"] == "UnsafePickleError"


# --- IDX --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, message", [
    ("train-images-idx3-ubyte", b"\x00\x00\x08", r"only 3 bytes, expected 4"),
    ("train-images-idx3-ubyte", idx_header((60000, 28)), r"magic number is 0x00000802"),
    ("train-images-idx3-ubyte", idx_header((60000, 28, 28)) + bytes(100),
     r"only 100 bytes, expected 47040000 \(uint8 \(60000, 28, 28\)\)"),
    ("train-images-idx3-ubyte", idx_header((2**32 - 1, 1, 1)), r"announces shape"),
    ("train-images-idx3-ubyte.gz", b"not a gzip file", r"truncated or damaged.*gzip"),
    ("train-images-idx3-ubyte.gz", gzip.compress(idx_header((60000, 28, 28)))[:-4],
     r"truncated or damaged"),
])
def test_damaged_idx_files_name_the_file_and_what_was_expected(tmp_path, name, data, message):
    folder = _idx_folder(tmp_path / "mnist", name, data)
    with pytest.raises(CorruptDatasetError, match=f"{name}.*{message}"):
        mnist.load_data(path=str(folder))


def test_idx_file_with_bytes_after_the_data_is_refused(tmp_path):
    data = idx_header((60000, 28, 28)) + bytes(60000 * 28 * 28 + 1)
    folder = _idx_folder(tmp_path / "mnist", "train-images-idx3-ubyte", data)
    with pytest.raises(CorruptDatasetError, match="more bytes than the header announces"):
        mnist.load_data(path=str(folder))


# --- npz ------------------------------------------------------------------------------


def _npy_header(shape, descr):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def test_npz_header_announcing_a_huge_array_is_refused_before_reading(tmp_path):
    path = tmp_path / "mnist.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", _npy_header((10**9, 28, 28), "|u1") + bytes(16))
        for key in ("y_train", "x_test", "y_test"):
            archive.writestr(f"{key}.npy", b"")
    with pytest.raises(CorruptDatasetError, match=r"mnist.npz \[x_train\]: the header "
                       r"announces uint8 \(1000000000, 28, 28\), expected unsigned int "
                       r"\(60000, 28, 28\)"):
        mnist.load_data(path=str(path))


def test_npz_member_with_a_damaged_deflate_stream_is_reported(tmp_path, synth):
    path = tmp_path / "mnist.npz"
    synth.write_mnist_npz(path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatasetError, match=r"mnist.npz.*truncated or damaged"):
        mnist.load_data(path=str(path))


# --- IMDb -----------------------------------------------------------------------------


def _write_imdb_npz(path, x_train, x_test=None):
    labels = np.zeros(_imdb_files.SPLIT_SIZE, np.int64)
    np.savez(path, x_train=x_train, y_train=labels,
             x_test=x_train if x_test is None else x_test, y_test=labels)
    return path


def _sequences(bad_index=None, bad_value=None):
    sequences = np.empty(_imdb_files.SPLIT_SIZE, dtype=object)
    for i in range(len(sequences)):
        sequences[i] = [1, 2, 3]
    if bad_index is not None:
        sequences[bad_index] = [1, 2, bad_value]
    return sequences


@pytest.mark.parametrize("value, described", [
    (1.5, r"1\.5 \(float\)"),
    (True, r"True \(bool\)"),
    (2**70, r"an int of 71 bits"),
    (2**31, r"2147483648 \(int\)"),
    (-1, r"-1 \(int\)"),
    (0, r"0 \(int\)"),
    (None, r"a NoneType"),
    ([1], r"a list"),
    ("7", r"a str"),
])
def test_imdb_id_that_is_not_a_word_rank_is_named_with_its_index(tmp_path, value, described):
    path = _write_imdb_npz(tmp_path / "imdb.npz", _sequences(7, value))
    with pytest.raises(CorruptDatasetError, match=rf"imdb.npz \[train\]: sequence 7, "
                       rf"position 2 holds {described}, expected an int word rank"):
        imdb.load_data(path=str(path))


def test_imdb_sequence_that_is_not_a_list_is_named(tmp_path):
    sequences = _sequences()
    sequences[3] = (1, 2)
    path = _write_imdb_npz(tmp_path / "imdb.npz", sequences)
    with pytest.raises(CorruptDatasetError, match=r"sequence 3 is a tuple"):
        imdb.load_data(path=str(path))


def test_imdb_object_member_larger_than_its_bound_is_refused(tmp_path, monkeypatch):
    specs = dict(_imdb_files.NPZ_SPECS)
    specs["x_train"] = _imdb_files.NpySpec((_imdb_files.SPLIT_SIZE,), "O", 1000)
    monkeypatch.setattr(_imdb_files, "NPZ_SPECS", specs)
    path = _write_imdb_npz(tmp_path / "imdb.npz", _sequences())
    with pytest.raises(CorruptDatasetError, match=r"\[x_train\]: the member holds \d+ bytes, "
                       r"more than the 1000"):
        imdb.load_data(path=str(path))


def test_deeply_nested_word_index_is_a_corrupt_file(tmp_path):
    path = tmp_path / "imdb_word_index.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(CorruptDatasetError, match=r"imdb_word_index.json: truncated or "
                       r"damaged \(RecursionError.*expected a JSON object"):
        imdb.get_word_index(str(path))


def test_word_index_rank_too_large_or_file_too_big_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "imdb_word_index.json"
    path.write_text(json.dumps({"the": 1, "and": 2**40}))
    with pytest.raises(CorruptDatasetError, match=r"rank must be an int in \[1, 2147483647\]"):
        imdb.get_word_index(str(path))
    monkeypatch.setattr(_imdb_files, "WORD_INDEX_BYTES", 10)
    with pytest.raises(CorruptDatasetError, match=r"imdb_word_index.json: \d+ bytes, more "
                       r"than the 10 bytes"):
        imdb.get_word_index(str(path))


def test_review_larger_than_any_review_is_refused_from_its_header(tmp_path, synth):
    archive = synth.write_tar_gz(tmp_path / "aclImdb_v1.tar.gz",
                                 {"aclImdb/train/pos/0_9.txt": bytes(REVIEW_BYTES + 1)})
    (tmp_path / "imdb_word_index.json").write_text('{"good": 1}')
    with pytest.raises(CorruptDatasetError, match=r"\[aclImdb/train/pos/0_9.txt\]: the file "
                       rf"declares {REVIEW_BYTES + 1} bytes"):
        imdb.load_data(path=str(archive))


# --- CIFAR-10 -------------------------------------------------------------------------


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(cifar10, "BATCH_SIZE", 10)


def _batch(labels):
    data = np.zeros((len(labels), 3072), np.uint8)
    return pickle.dumps({b"data": data, b"labels": labels}, protocol=3)


@pytest.mark.parametrize("bad", [True, 1.5, -1, 10, 2**70])
def test_cifar_label_that_is_not_a_class_is_refused(tmp_path, synth, small_batches, bad):
    labels = [0] * 9 + [bad]
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz",
                              {"cifar-10-batches-py/data_batch_1": _batch(labels)})
    with pytest.raises(CorruptDatasetError, match=r"data_batch_1.*labels must be ints 0..9"):
        cifar10.load_data(path=str(path))


def test_cifar_deeply_nested_pickle_is_a_corrupt_batch(tmp_path, synth, small_batches):
    depth = 40_000
    nested = b"\x80\x02" + b"]" * depth + b"a" * (depth - 1) + b"."
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz",
                              {"cifar-10-batches-py/data_batch_1": nested})
    with pytest.raises(CorruptDatasetError, match=r"data_batch_1.*expected a dict.*got list"):
        cifar10.load_data(path=str(path))


def test_cifar_archive_with_too_many_entries_is_refused(tmp_path, synth, small_batches):
    members = {f"cifar-10-batches-py/extra_{i}": b"x" for i in range(100)}
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", members)
    with pytest.raises(CorruptDatasetError, match=r"more than 64 entries"):
        cifar10.load_data(path=str(path))


def test_cifar_archive_with_damaged_compressed_data_is_reported(tmp_path, synth,
                                                                 small_batches):
    members = {"cifar-10-batches-py/data_batch_1": b"0123456789" * 9000}
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", members)
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 2):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatasetError, match=r"cifar-10-python.tar.gz.*truncated or "
                       r"damaged.*expected the CIFAR-10 python archive"):
        cifar10.load_data(path=str(path))


def test_cifar_batch_file_larger_than_a_batch_is_refused(tmp_path, small_batches):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for name in cifar10.TRAIN_BATCHES + (cifar10.TEST_BATCH,):
        (folder / name).write_bytes(bytes(cifar10.batch_bytes() + 1))
    with pytest.raises(CorruptDatasetError, match=r"data_batch_1: \d+ bytes, more than the"):
        cifar10.load_data(path=str(folder))


def test_unsafe_pickle_errors_stay_unsafe_pickle_errors(tmp_path, synth, small_batches):
    marker = tmp_path / "marker"
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz",
                              {"cifar-10-batches-py/data_batch_1": synth.tampered_pickle(marker)})
    with pytest.raises(UnsafePickleError):
        cifar10.load_data(path=str(path))
    assert not marker.exists()
