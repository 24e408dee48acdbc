"""CIFAR-10, as ``tf.keras.datasets.cifar10.load_data()`` returns it.

Read from the python version of the dataset: the archive
``cifar-10-python.tar.gz`` (its members are streamed, nothing is extracted to
disk) or an extracted ``cifar-10-batches-py/`` folder. When neither is found,
the archive is downloaded from the dataset's home page into the cache.

Each batch file is a pickled dict; it is read with the restricted unpickler
(``_safe_pickle``), so a tampered file cannot run code.

Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog,
7 horse, 8 ship, 9 truck.
"""

import numpy as np

from ._bounded import read_capped
from ._checksum import RemoteFile, check_official
from ._errors import CorruptDatasetError
from ._locate import locate_archive_or_folder
from ._origins import CIFAR10_ORIGIN
from ._safe_pickle import safe_loads
from ._tar import TarBounds, tar_files

SUBDIR = "cifar10"
DATASET = "CIFAR-10"
ARCHIVE = "cifar-10-python.tar.gz"
FOLDER = "cifar-10-batches-py"
WANTED = f"{ARCHIVE} (or its extracted folder {FOLDER}/)"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
BATCH_SIZE = 10000
NUM_CLASSES = 10
CHECKS = "5 + 1 batches of 10000 uint8 images of 3x32x32, labels 0..9"
IMAGE_BYTES = 3 * 32 * 32
# Besides its pixels, a pickled batch holds a label and a file name per image and a
# little framing: the official batch files take 31,035,320 to 31,035,999 bytes.
EXTRA_BYTES_PER_IMAGE = 256
EXTRA_BYTES = 1 << 16
# The archive's entries besides the batches are the folder, batches.meta and
# readme.html; a re-packed copy may add a few (a "./" entry, metadata files).
MAX_MEMBERS = 64

REMOTE = RemoteFile(
    ARCHIVE,
    CIFAR10_ORIGIN + ARCHIVE,
    "sha256",
    "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
)
# Published sha256 of the batch files inside the archive (for an extracted folder).
_MEMBER_SHA256 = {
    "data_batch_1": "54636561a3ce25bd3e19253c6b0d8538147b0ae398331ac4a2d86c6d987368cd",
    "data_batch_2": "766b2cef9fbc745cf056b3152224f7cf77163b330ea9a15f9392beb8b89bc5a8",
    "data_batch_3": "0f00d98ebfb30b3ec0ad19f9756dc2630b89003e10525f5e148445e82aa6a1f9",
    "data_batch_4": "3f7bb240661948b8f4d53e36ec720d8306f5668bd0071dcb4e6c947f78e9682b",
    "data_batch_5": "d91802434d8376bbaeeadf58a737e3a1b12ac839077e931237e0dcd43adcb154",
    "test_batch": "f53d8d457504f7cff4ea9e021afcf0e0ad8e24a91f3fc42091b8adef61157831",
}
MEMBER_REMOTES = {
    name: RemoteFile(name, None, "sha256", digest) for name, digest in _MEMBER_SHA256.items()
}


def load_data(path=None):
    """Load CIFAR-10.

    Args:
        path: None to search the dataset folders; or the archive's path, the
            extracted ``cifar-10-batches-py`` folder, or a folder holding either.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1);
        images channels-last, labels 0..9.

    Raises:
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: truncated archive, bad batch, or wrong structure.
        UnsafePickleError: a batch's pickle refers to a forbidden global.
    """
    located = _locate(path)
    batches = _read_folder(located) if located.is_dir() else _read_archive(located)
    x_train = np.concatenate([batches[name][0] for name in TRAIN_BATCHES])
    y_train = np.concatenate([batches[name][1] for name in TRAIN_BATCHES])
    x_test, y_test = batches[TEST_BATCH]
    return (_channels_last(x_train), y_train.reshape(-1, 1)), (
        _channels_last(x_test),
        y_test.reshape(-1, 1),
    )


def _channels_last(images):
    """(n, 3, 32, 32) -> contiguous (n, 32, 32, 3)."""
    return np.ascontiguousarray(images.transpose(0, 2, 3, 1))


def _locate(path):
    """The archive or the extracted batches folder to read."""
    return locate_archive_or_folder(path, REMOTE, SUBDIR, DATASET, WANTED, FOLDER,
                                    _is_batches_folder)


def _is_batches_folder(folder):
    """True when ``folder`` has all six batch files."""
    return all((folder / name).is_file() for name in TRAIN_BATCHES + (TEST_BATCH,))


def batch_bytes():
    """The most bytes one pickled batch of ``BATCH_SIZE`` images may take."""
    return BATCH_SIZE * (IMAGE_BYTES + EXTRA_BYTES_PER_IMAGE) + EXTRA_BYTES


def archive_bounds():
    """The :class:`TarBounds` of the archive: six batches and a few small entries.

    Uncompressed, the archive may hold three batches' worth besides the six batches;
    each entry also takes a 512-byte header and up to 511 bytes of padding.
    """
    batches = len(TRAIN_BATCHES) + 1
    return TarBounds(
        members=MAX_MEMBERS,
        member_bytes=batch_bytes(),
        file_bytes=batch_bytes(),
        kept_bytes=batches * batch_bytes(),
        total_bytes=(batches + 3) * batch_bytes() + MAX_MEMBERS * 1024,
    )


def _read_folder(folder):
    """``{batch name: (images, labels)}`` from an extracted folder."""
    batches = {}
    for name in TRAIN_BATCHES + (TEST_BATCH,):
        path = folder / name
        data = read_capped(path, batch_bytes(), f"a CIFAR-10 batch of {BATCH_SIZE} images")
        batches[name] = parse_batch(data, str(path))
        check_official(path, MEMBER_REMOTES[name], CHECKS)
    return batches


def _read_archive(path):
    """``{batch name: (images, labels)}`` streamed from the ``.tar.gz`` archive."""
    wanted = {f"{FOLDER}/{name}": name for name in TRAIN_BATCHES + (TEST_BATCH,)}
    batches = {}

    def keep(member_name):
        return member_name.removeprefix("./") in wanted

    expected = f"the CIFAR-10 python archive ({CHECKS})"
    for member_name, data in tar_files(path, keep, archive_bounds(), expected):
        name = wanted[member_name.removeprefix("./")]
        batches[name] = parse_batch(data, f"{path} [{member_name}]")
    missing = sorted(member for member, name in wanted.items() if name not in batches)
    if missing:
        raise CorruptDatasetError(f"{path}: the archive lacks the members {missing}")
    check_official(path, REMOTE, CHECKS)
    return batches


def parse_batch(data, source):
    """Unpickle one batch file's bytes into (images (n, 3, 32, 32), labels (n,)) uint8.

    Raises:
        CorruptDatasetError: not a batch dict of the expected shapes and labels.
        UnsafePickleError: the pickle refers to a forbidden global.
    """
    expected = f"a pickled dict of {BATCH_SIZE} images and labels"
    batch = safe_loads(data, source, encoding="bytes", expected=expected)
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise CorruptDatasetError(
            f"{source}: expected a dict with the keys b'data' and b'labels', "
            f"got {type(batch).__name__}"
        )
    images, labels = batch[b"data"], batch[b"labels"]
    expected = (BATCH_SIZE, IMAGE_BYTES)
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8 or images.shape != expected:
        described = getattr(images, "dtype", type(images).__name__), getattr(images, "shape", "")
        raise CorruptDatasetError(
            f"{source}: b'data' is {described[0]} {described[1]}, expected uint8 {expected}"
        )
    if not isinstance(labels, list) or len(labels) != BATCH_SIZE:
        length = len(labels) if hasattr(labels, "__len__") else "?"
        raise CorruptDatasetError(
            f"{source}: b'labels' must be a list of {BATCH_SIZE} ints, "
            f"got {type(labels).__name__} of length {length}"
        )
    if not set(map(type, labels)) <= {int} or not all(
            0 <= label < NUM_CLASSES for label in labels):
        raise CorruptDatasetError(f"{source}: labels must be ints 0..{NUM_CLASSES - 1}")
    labels = np.array(labels, dtype=np.uint8)
    return images.reshape(-1, 3, 32, 32), labels
