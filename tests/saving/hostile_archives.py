"""Saved files to attack, ways to damage them, and the loaders that must refuse them.

Shared by the fuzz suite, the hand-made attacks and `load_in_subprocess.py` (which loads
files under an address-space limit). Every loader must either load a file or raise
`SaveFileError`: nothing else, never code execution, never a hang.
"""

import functools
import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np

from dlpath.layers import Concatenate, Conv1D, Dense, Dropout, Embedding, Flatten, MaxPooling1D
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.random import set_seed
from dlpath.saving import register_serializable
from dlpath.workflow import checkpoint

JSON_MEMBERS = ("metadata.json", "config.json", "compile.json", "training.json")
MIB = 1 << 20


# ---------------------------------------------------------------- models
def mlp():
    return Sequential([Input((4,)), Dense(5, activation="relu"), Dropout(0.2), Dense(2)])


def two_inputs():
    a, b = Input((4,), name="a"), Input((3,), name="b")
    merged = Concatenate()([Dense(3)(a), b])
    return Model([a, b], Dense(2)(merged))


def text_cnn():
    return Sequential([Input((6,), dtype="int64"), Embedding(10, 4), Conv1D(3, 2),
                       MaxPooling1D(2), Flatten(), Dense(1)])


@register_serializable("Hostile")
class Scaled(Model):
    """A registered subclassed model: loading it calls it on zeros of its input shape."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = Dense(units)

    def call(self, inputs, training=False):
        return self.dense(inputs) * 2.0

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def save_bases(folder) -> dict:
    """Save the files the attacks start from: ``{name: (path, loader kind)}``."""
    set_seed(0)
    x = np.random.default_rng(0).standard_normal((8, 4)).astype("float32")
    y = np.random.default_rng(1).standard_normal((8, 2)).astype("float32")
    bases = {}
    trained = mlp()
    trained.compile(optimizer="adam", loss="mse", metrics=["mae"])
    trained.fit(x, y, epochs=1, batch_size=4, verbose=0)
    bases["mlp"] = (os.path.join(folder, "mlp.keras"), "model")
    trained.save(bases["mlp"][0])
    functional = two_inputs()
    functional.compile(optimizer="sgd", loss="mse")
    bases["functional"] = (os.path.join(folder, "functional.keras"), "model")
    functional.save(bases["functional"][0])
    bases["cnn"] = (os.path.join(folder, "cnn.keras"), "model")
    text_cnn().save(bases["cnn"][0])
    subclassed = Scaled()
    subclassed.predict(x, verbose=0)
    bases["subclassed"] = (os.path.join(folder, "subclassed.keras"), "model")
    subclassed.save(bases["subclassed"][0])
    bases["checkpoint"] = (os.path.join(folder, "last.keras"), "checkpoint")
    checkpoint.save(trained, bases["checkpoint"][0], epochs_done=1)
    bases["weights"] = (os.path.join(folder, "mlp.weights.npz"), "weights")
    trained.save_weights(bases["weights"][0])
    return bases


def _load_weights(path):
    mlp().load_weights(path)


def _load_model(path):
    from dlpath.saving import load_model

    return load_model(path)


LOADERS = {"model": _load_model, "weights": _load_weights, "checkpoint": checkpoint.load}


# ---------------------------------------------------------------- archives
def members(data: bytes) -> dict:
    """``{name: (bytes, compression)}`` of a ZIP archive, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: (archive.read(info), info.compress_type)
                for info in archive.infolist()}


def zipped(items: dict) -> bytes:
    """A valid ZIP archive (correct CRCs) of ``{name: bytes or (bytes, compression)}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, item in items.items():
            data, method = item if isinstance(item, tuple) else (item, zipfile.ZIP_STORED)
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def npy_with_header(header: dict, data: bytes = b"", version=(1, 0)) -> bytes:
    """An ``.npy`` stream with a hand-written header (any dtype, shape and order)."""
    text = repr(header).encode("latin1")
    length_bytes = 2 if version == (1, 0) else 4
    padding = 64 - (6 + 2 + length_bytes + len(text) + 1) % 64
    text += b" " * padding + b"\n"
    return (b"\x93NUMPY" + bytes(version) + len(text).to_bytes(length_bytes, "little")
            + text + data)


def patch_sizes(data: bytes, name: str, file_size: int) -> bytes:
    """``data`` (a ZIP archive) with member ``name``'s declared size set to ``file_size``
    in both its local header and the central directory: a member that lies."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into("<I", data, offset + 22, file_size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name.encode():
            struct.pack_into("<I", data, at + 24, file_size)
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def edit_json(data: bytes, member: str, edit) -> bytes:
    """``data`` (an archive) with ``edit(value)`` applied to JSON ``member`` (the value
    ``edit`` returns replaces it), re-zipped with valid checksums."""
    items = members(data)
    value = json.loads(items[member][0])
    value = edit(value)
    items[member] = (json.dumps(value).encode(), items[member][1])
    return zipped(items)


@functools.lru_cache(maxsize=None)
def deflated_zeros(size: int) -> tuple:
    """``(raw deflate stream, CRC-32)`` of ``size`` zero bytes (a multiple of 1 MiB): a
    bomb about 1000 times smaller than what it inflates to. The stream repeats one
    independently compressed MiB, so building it inflates nothing."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, zeros = 0, bytes(16 * MIB)
    for _ in range(size // (16 * MIB)):
        crc = zlib.crc32(zeros, crc)
    for _ in range(size % (16 * MIB) // MIB):
        crc = zlib.crc32(zeros[:MIB], crc)
    return chunk * (size // MIB) + compressor.flush(), crc


def zip_bomb(name: str, size: int, others: dict | None = None) -> bytes:
    """A ZIP archive whose member ``name`` honestly declares ``size`` inflated bytes of
    zeros, deflated to about ``size / 1000`` (written by hand: no inflating to build it)."""
    stream, crc = deflated_zeros(size)
    encoded = name.encode()
    prefix = zipped(others or {})
    end_at = prefix.rfind(b"PK\x05\x06")
    (directory_at,) = struct.unpack_from("<I", prefix, end_at + 16)
    body, central_entries = prefix[:directory_at], prefix[directory_at:end_at]
    offset = len(body)
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(stream), size,
                        len(encoded), 0)
    central = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(stream),
                          size, len(encoded), 0, 0, 0, 0, 0, offset)
    directory = central_entries + central + encoded
    count = len(others or {}) + 1
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory),
                      offset + len(local) + len(encoded) + len(stream), 0)
    return body + local + encoded + stream + directory + end


# ---------------------------------------------------------------- running loads
def run_in_subprocess(cases: list, folder, limit_mib: int = 1536, timeout: int = 180):
    """Load ``cases`` (``{"path", "kind"}``) in a fresh interpreter limited to
    ``limit_mib`` of address space: ``(results, peak RSS in MiB)``."""
    import subprocess
    import sys

    listing = os.path.join(folder, "cases.json")
    with open(listing, "w") as file:
        json.dump([{"path": c["path"], "kind": c["kind"]} for c in cases], file)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "load_in_subprocess.py")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, script, listing, str(limit_mib)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"the loading process failed ({done.returncode}): "
                           f"{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["results"], report["peak_rss_mib"]
