"""CIFAR-100, as ``tf.keras.datasets.cifar100.load_data(label_mode)`` returns it.

Read from the python version of the dataset: the archive ``cifar-100-python.tar.gz``
(its members streamed, nothing extracted to disk) or its extracted ``cifar-100-python/``
folder, whose ``train`` and ``test`` files are pickled dicts with ``b"data"`` (n x 3072
uint8, channels first), ``b"fine_labels"`` (0..99) and ``b"coarse_labels"`` (0..19).
They are read with the restricted unpickler (``_safe_pickle``), within the sizes of the
official files (50000 and 10000 images); a copy with fewer images (a re-packed sample) is
accepted with a warning that it is not the official file.
"""

import numpy as np

from ._bounded import read_capped
from ._checksum import RemoteFile, check_official
from ._errors import CorruptDatasetError
from ._locate import locate_archive_or_folder
from ._origins import CIFAR10_ORIGIN
from ._safe_pickle import safe_loads
from ._tar import TarBounds, tar_files

SUBDIR = "cifar100"
DATASET = "CIFAR-100"
ARCHIVE = "cifar-100-python.tar.gz"
FOLDER = "cifar-100-python"
WANTED = f"{ARCHIVE} (or its extracted folder {FOLDER}/)"
SPLITS = {"train": 50000, "test": 10000}
LABEL_MODES = {"fine": 100, "coarse": 20}
IMAGE_BYTES = 3 * 32 * 32
# Besides its pixels, a pickled split holds two labels and a file name per image.
EXTRA_BYTES_PER_IMAGE = 256
EXTRA_BYTES = 1 << 16
META_BYTES = 1 << 16
MAX_MEMBERS = 64
CHECKS = "50000 + 10000 uint8 images of 3x32x32, fine labels 0..99, coarse 0..19"

REMOTE = RemoteFile(
    ARCHIVE,
    CIFAR10_ORIGIN + ARCHIVE,  # the same home page as CIFAR-10
    "sha256",
    "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
)


def load_data(label_mode="fine", path=None):
    """Load CIFAR-100.

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).
        path: None to search the dataset folders; or the archive, the extracted
            ``cifar-100-python`` folder, or a folder holding either.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 32, 32, 3) and int64
        labels (n, 1).

    Raises:
        ValueError: ``label_mode`` is not "fine" or "coarse".
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: truncated archive, bad split, or wrong structure.
        UnsafePickleError: a split's pickle refers to a forbidden global.
    """
    if label_mode not in LABEL_MODES:
        raise ValueError(f"cifar100.load_data: label_mode must be 'fine' or 'coarse', got "
                         f"{label_mode!r}")
    located = _locate(path)
    raw = _read_folder(located) if located.is_dir() else _read_archive(located)
    result = []
    for split in SPLITS:
        images, labels = parse_split(raw[split], split, label_mode, raw["source"][split])
        result.append((images, labels))
    if located.is_file():
        check_official(located, REMOTE, CHECKS)  # after the structure checks passed
    return tuple(result)


def _locate(path):
    return locate_archive_or_folder(path, REMOTE, SUBDIR, DATASET, WANTED, FOLDER, _is_folder)


def _is_folder(folder):
    return all((folder / split).is_file() for split in SPLITS)


def split_bytes(split):
    """The most bytes the pickled ``split`` may take."""
    return SPLITS[split] * (IMAGE_BYTES + EXTRA_BYTES_PER_IMAGE) + EXTRA_BYTES


def archive_bounds():
    """The archive: two splits, the meta file and a few small entries."""
    kept = sum(split_bytes(s) for s in SPLITS)
    return TarBounds(members=MAX_MEMBERS, member_bytes=split_bytes("train"),
                     file_bytes=split_bytes("train"), kept_bytes=kept,
                     total_bytes=kept + MAX_MEMBERS * (META_BYTES + 1024))


def _read_folder(folder):
    raw = {"source": {}}
    for split in SPLITS:
        path = folder / split
        raw[split] = read_capped(path, split_bytes(split), f"the CIFAR-100 {split} split")
        raw["source"][split] = str(path)
    return raw


def _read_archive(path):
    wanted = {f"{FOLDER}/{split}": split for split in SPLITS}
    raw = {"source": {}}
    expected = f"the CIFAR-100 python archive ({CHECKS})"

    def keep(name):
        return name.removeprefix("./") in wanted

    for name, data in tar_files(path, keep, archive_bounds(), expected):
        split = wanted[name.removeprefix("./")]
        raw[split] = data
        raw["source"][split] = f"{path} [{name}]"
    missing = sorted(member for member, split in wanted.items() if split not in raw)
    if missing:
        raise CorruptDatasetError(f"{path}: the archive lacks the members {missing}")
    return raw


def parse_split(data, split, label_mode, source):
    """Unpickle one split into (images (n, 32, 32, 3) uint8, labels (n, 1) int64).

    Raises:
        CorruptDatasetError: not a dict of the expected keys, shapes and label ranges.
        UnsafePickleError: the pickle refers to a forbidden global.
    """
    key = f"{label_mode}_labels".encode()
    expected = f"a pickled dict of up to {SPLITS[split]} images with {key!r}"
    batch = safe_loads(data, source, encoding="bytes", expected=expected)
    if not isinstance(batch, dict) or b"data" not in batch or key not in batch:
        raise CorruptDatasetError(f"{source}: expected a dict with the keys b'data' and "
                                  f"{key!r}, got {type(batch).__name__}")
    images, labels = batch[b"data"], batch[key]
    if (not isinstance(images, np.ndarray) or images.dtype != np.uint8 or images.ndim != 2
            or images.shape[1] != IMAGE_BYTES or not 0 < len(images) <= SPLITS[split]):
        described = getattr(images, "dtype", type(images).__name__), getattr(images, "shape",
                                                                             "")
        raise CorruptDatasetError(f"{source}: b'data' is {described[0]} {described[1]}, "
                                  f"expected uint8 (n, {IMAGE_BYTES}) with 0 < n <= "
                                  f"{SPLITS[split]}")
    classes = LABEL_MODES[label_mode]
    if not isinstance(labels, list) or len(labels) != len(images):
        raise CorruptDatasetError(f"{source}: {key!r} must be a list of {len(images)} ints "
                                  f"(one per image), got {type(labels).__name__}")
    if not set(map(type, labels)) <= {int} or not all(0 <= v < classes for v in labels):
        raise CorruptDatasetError(f"{source}: {key!r} must hold ints 0..{classes - 1}")
    pixels = np.ascontiguousarray(images.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    return pixels, np.array(labels, dtype=np.int64).reshape(-1, 1)
