"""Hand-made attacks on saved files: code execution attempts, zip/gzip/tar bombs,
declared-shape bombs, architecture bombs, malformed JSON and unsafe member names.

`build_attacks(bases, folder)` writes each attack next to the others and returns
``[{"id", "path", "kind", "expected", "marker"}]``: the loader kind, a regular expression
the `SaveFileError` message must match, and a file that must never appear (it would be
proof that code from the file ran).
"""

import io
import os
import pickle
import struct
import tarfile
import warnings
import zipfile

import numpy as np

from hostile_archives import (
    MIB, deflated_zeros, edit_json, members, npy, npy_with_header, patch_sizes, zip_bomb,
    zipped,
)

BOMB = 1 << 30  # each bomb inflates to 1 GiB, from about 1 MB


class Trap:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _trap_array(marker) -> bytes:
    trap = np.empty(1, dtype=object)
    trap[0] = Trap(marker)
    return npy(trap, allow_pickle=True)


def _replace_member(data, name, content, method=zipfile.ZIP_STORED) -> bytes:
    items = members(data)
    items[name] = (content, method)
    return zipped(items)


def _replace_array(data, key, content, npz="model.weights.npz") -> bytes:
    items = members(data)
    inner = members(items[npz][0])
    inner[f"{key}.npy"] = (content, zipfile.ZIP_STORED)
    items[npz] = (zipped(inner), items[npz][1])
    return zipped(items)


def _layer(index, **changes):
    def edit(config):
        config["config"]["layers"][index]["config"].update(changes)
        return config
    return edit


def _config(data, edit) -> bytes:
    return edit_json(data, "config.json", edit)


def _appended(entry):
    def edit(config):
        config["config"]["layers"].append(entry)
        return config
    return edit


def _updated(index, **changes):
    def edit(config):
        config["config"]["layers"][index].update(changes)
        return config
    return edit


def _nested_sequential(depth: int) -> dict:
    entry = {"class_name": "Dense", "config": {"units": 2}}
    for _ in range(depth):
        entry = {"class_name": "Sequential", "config": {"layers": [entry]}}
    return entry


def _patched_flags(data: bytes, name: str, flags: int) -> bytes:
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into("<H", data, offset + 6, flags)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name.encode():
            struct.pack_into("<H", data, at + 8, flags)
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def _directory_size(data: bytes, size: int) -> bytes:
    data = bytearray(data)
    struct.pack_into("<I", data, data.rfind(b"PK\x05\x06") + 12, size)
    return bytes(data)


def _gzip_bomb() -> bytes:
    stream, crc = deflated_zeros(BOMB)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + stream
            + struct.pack("<II", crc, BOMB & 0xFFFFFFFF))


def _tar_bomb() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("model.weights.npz")
        info.size = 0
        archive.addfile(info)
    header = bytearray(buffer.getvalue()[:512])
    header[124:136] = b"\x80" + (10 ** 11).to_bytes(11, "big")  # a 100 GB member
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header) + bytes(1024)


def _duplicate(data, name) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w") as archive:
            for key, (content, method) in members(data).items():
                archive.writestr(key, content, compress_type=method)
            archive.writestr(name, b"{}")
    return buffer.getvalue()


def _code_attacks(b, marker):
    mlp, weights, ckpt = b["mlp"], b["weights"], b["checkpoint"]
    trap_pickle = pickle.dumps(Trap(marker))
    header_eval = npy_with_header({"descr": "<f4", "fortran_order": False, "shape": (5,)})
    header_eval = header_eval.replace(b"'<f4'", f"__import__('os').system('touch {marker}')"
                                      .encode())[:len(header_eval)]
    return [
        ("pickled object array in model.weights.npz", "mlp.keras", "model",
         _replace_array(mlp, "layers/dense/0", _trap_array(marker)), "object array"),
        ("pickled object array in optimizer.npz", "mlp.keras", "model",
         _replace_array(mlp, "iterations", _trap_array(marker), "optimizer.npz"),
         "object array"),
        ("pickled object array in a weights file", "mlp.weights.npz", "weights",
         zipped({**{k: v for k, v in members(weights).items()},
                 "layers/dense/0.npy": _trap_array(marker)}), "object array"),
        ("a pickle as config.json", "mlp.keras", "model",
         _replace_member(mlp, "config.json", trap_pickle), "not valid JSON"),
        ("a pickle as compile.json", "mlp.keras", "model",
         _replace_member(mlp, "compile.json", trap_pickle), "not valid JSON"),
        ("a pickle as training.json", "last.keras", "checkpoint",
         _replace_member(ckpt, "training.json", trap_pickle), "not valid JSON"),
        ("a pickle as the whole file", "mlp.keras", "model", trap_pickle,
         "not a readable ZIP"),
        ("a pickle as the whole weights file", "mlp.weights.npz", "weights", trap_pickle,
         "not a readable ZIP"),
        ("code in an .npy header", "mlp.keras", "model",
         _replace_array(mlp, "layers/dense/1", header_eval), "malformed header"),
        ("a Lambda layer with marshalled code", "mlp.keras", "model",
         _config(mlp, _appended({"class_name": "Lambda", "config": {
             "function": ["4wEAAAAA", None, None], "function_type": "lambda"}})),
         "never runs code"),
        ("an activation holding code", "mlp.keras", "model",
         _config(mlp, _layer(1, activation={"function": "print", "function_type": "lambda"})),
         "never runs code"),
        ("a class from an importable module", "mlp.keras", "model",
         _config(mlp, _updated(1, class_name="Popen", module="subprocess")),
         "unknown class 'Popen'"),
        ("a registered name pointing at eval", "mlp.keras", "model",
         _config(mlp, _updated(1, class_name="eval", registered_name="builtins>eval")),
         "unknown class"),
        ("a class name that is Python code", "mlp.keras", "model",
         _config(mlp, _updated(1, class_name=f"__import__('os').system('touch {marker}')")),
         "unknown class"),
        ("a loss naming os.system", "mlp.keras", "model",
         edit_json(mlp, "compile.json", lambda c: {**c, "loss": "os.system"}), "os.system"),
        ("an optimizer naming subprocess.Popen", "mlp.keras", "model",
         edit_json(mlp, "compile.json", lambda c: {**c, "optimizer": {
             "class_name": "subprocess.Popen", "config": {"args": ["touch", marker]}}}),
         "compile.json"),
        ("a metric that is a Lambda", "mlp.keras", "model",
         edit_json(mlp, "compile.json", lambda c: {**c, "metrics": [
             {"class_name": "Lambda", "config": {"function": "print"}}]}), "never runs code"),
    ]


def _bomb_attacks(b):
    mlp, weights = b["mlp"], b["weights"]
    others = {k: v for k, v in members(mlp).items() if k != "config.json"}
    big = BOMB // 4
    manifest_for_bomb = _config(mlp, lambda c: {**c, "weights": [
        {**w, "shape": [big] if i == 0 else w["shape"]} for i, w in enumerate(c["weights"])]})
    items = members(manifest_for_bomb)
    items.pop("model.weights.npz")
    weights_bomb = zip_bomb("model.weights.npz", BOMB, items)
    inner_bomb = _replace_member(mlp, "model.weights.npz",
                                 zip_bomb("layers/dense/0.npy", BOMB))
    lying = patch_sizes(zip_bomb("config.json", BOMB, others), "config.json", 4000)
    stored = members(mlp)["model.weights.npz"][0]
    return [
        ("config.json is a zip bomb", "mlp.keras", "model",
         zip_bomb("config.json", BOMB, others), "compression ratio"),
        ("model.weights.npz is a zip bomb matching an edited manifest", "mlp.keras", "model",
         weights_bomb, "compression ratio"),
        ("an array inside model.weights.npz is a zip bomb", "mlp.keras", "model",
         inner_bomb, "model.weights.npz' declares .* bytes \\(expected at most"),
        ("an array of a weights file is a zip bomb", "mlp.weights.npz", "weights",
         zip_bomb("layers/dense/0.npy", BOMB), "compression ratio"),
        ("a bomb whose declared size lies", "mlp.keras", "model", lying, "not readable"),
        ("a stored member declaring 4 GB", "mlp.keras", "model",
         patch_sizes(mlp, "model.weights.npz", 0xFFFFFFFF), "declares 4294967295 bytes"),
        ("a directory declaring 4 GB", "mlp.keras", "model",
         _directory_size(mlp, 0xFFFFFFF0), "byte directory"),
        ("config.json beyond its cap", "mlp.keras", "model",
         _replace_member(mlp, "config.json", b" " * (33 * MIB)), "expected at most"),
        ("the file is a gzip bomb", "mlp.keras", "model", _gzip_bomb(), "not a readable ZIP"),
        ("the weights file is a gzip bomb", "mlp.weights.npz", "weights", _gzip_bomb(),
         "not a readable ZIP"),
        ("the file is a tar bomb", "mlp.keras", "model", _tar_bomb(), "not a readable ZIP"),
        ("model.weights.npz is a gzip bomb", "mlp.keras", "model",
         _replace_member(mlp, "model.weights.npz", _gzip_bomb()), "expected at most"),
        ("model.weights.npz is a tar bomb", "mlp.keras", "model",
         _replace_member(mlp, "model.weights.npz", _tar_bomb()), "not a readable ZIP"),
        ("model.weights.npz is a zip of zips", "mlp.keras", "model",
         _replace_member(mlp, "model.weights.npz", zipped(
             {f"{i}.zip": stored for i in range(8)})), "only .npy"),
        ("a weights file is a zip of zips", "mlp.weights.npz", "weights",
         zipped({f"{i}.zip": weights for i in range(8)}), "only .npy"),
    ]


def _shape_attacks(b):
    mlp, weights, sub = b["mlp"], b["weights"], b["subclassed"]
    huge = (100_000, 100_000)
    header = {"descr": "<f4", "fortran_order": False}
    both = _config(mlp, lambda c: {**c, "weights": [
        {**w, "shape": list(huge) if i == 0 else w["shape"]} for i, w in enumerate(
            c["weights"])]})
    both = _replace_array(both, "layers/dense/0", npy_with_header({**header, "shape": huge},
                                                                  bytes(80)))
    v2_header = b"\x93NUMPY\x02\x00" + (1 << 31).to_bytes(4, "little") + b"{" * 64
    return [
        ("an .npy header declaring 40 GB", "mlp.keras", "model",
         _replace_array(mlp, "layers/dense/0", npy_with_header({**header, "shape": huge})),
         "is recorded as shape"),
        ("a manifest and header both declaring 40 GB", "mlp.keras", "model", both,
         "but its member holds"),
        ("a weights file header declaring 2**62 elements", "mlp.weights.npz", "weights",
         zipped({**members(weights), "layers/dense/0.npy": npy_with_header(
             {**header, "shape": (1 << 40, 1 << 22)})}), "but its member holds"),
        ("an .npy header with a negative size", "mlp.keras", "model",
         _replace_array(mlp, "layers/dense/0", npy_with_header({**header, "shape": (-4, 5)})),
         "shape|malformed"),
        ("an .npy header with 64 axes", "mlp.weights.npz", "weights",
         zipped({**members(weights), "layers/dense/0.npy": npy_with_header(
             {**header, "shape": (1,) * 64})}), "shape|malformed"),
        ("an .npy header declaring a 2 GB void dtype", "mlp.weights.npz", "weights",
         zipped({**members(weights), "layers/dense/0.npy": npy_with_header(
             {"descr": "|V2000000000", "fortran_order": False, "shape": (4,)})}),
         "not a plain numeric dtype"),
        ("an .npy header declaring a 2 GiB header", "mlp.keras", "model",
         _replace_array(mlp, "layers/dense/0", v2_header), "has a header of"),
        ("an optimizer array declaring 40 GB", "mlp.keras", "model",
         _replace_array(mlp, "iterations", npy_with_header(
             {"descr": "<i8", "fortran_order": False, "shape": huge}), "optimizer.npz"),
         "but its member holds"),
        ("a manifest declaring 10 TB", "mlp.keras", "model",
         _config(mlp, lambda c: {**c, "weights": [
             {**w, "shape": [10 ** 13]} for w in c["weights"]]}), "declares more than"),
        ("Dense(units=10**12)", "mlp.keras", "model", _config(mlp, _layer(1, units=10 ** 12)),
         "'units' is 1000000000000"),
        ("Dense(2**21) on 2**21 features: sane sizes, a 16 TiB product", "mlp.keras",
         "model", _config(mlp, lambda c: _layer(1, units=1 << 21)(
             _layer(0, shape=[1 << 21])(c))), "bytes of weights in all"),
        ("units as a string", "mlp.keras", "model", _config(mlp, _layer(1, units="5")),
         "'units' is '5'"),
        ("units as a float", "mlp.keras", "model", _config(mlp, _layer(1, units=5.0)),
         "'units' is 5.0"),
        ("units as a boolean", "mlp.keras", "model", _config(mlp, _layer(1, units=True)),
         "'units' is True"),
        ("Conv1D(filters=10**9)", "cnn.keras", "model",
         _config(b["cnn"], _layer(2, filters=10 ** 9)), "'filters'"),
        ("Conv1D(kernel_size=10**6)", "cnn.keras", "model",
         _config(b["cnn"], _layer(2, kernel_size=[10 ** 6])), "'kernel_size'"),
        ("Embedding(input_dim=10**10)", "cnn.keras", "model",
         _config(b["cnn"], _layer(1, input_dim=10 ** 10)), "'input_dim'"),
        ("an Input of 10**12 elements", "mlp.keras", "model",
         _config(mlp, _layer(0, shape=[10 ** 6, 10 ** 6])), "'shape'"),
        ("a subclassed model built on 10**10 zeros", "subclassed.keras", "model",
         _config(sub, lambda c: {**c, "build_config": {"input_signature": {
             "shape": [None, 10 ** 5, 10 ** 5], "dtype": "float32"}}}), "'shape'"),
        ("a subclassed model built on an object dtype", "subclassed.keras", "model",
         _config(sub, lambda c: {**c, "build_config": {"input_signature": {
             "shape": [None, 4], "dtype": "object"}}}), "dtype"),
    ]


def _json_attacks(b):
    mlp, ckpt = b["mlp"], b["checkpoint"]
    return [
        ("config.json nested 100,000 deep", "mlp.keras", "model",
         _replace_member(mlp, "config.json", b"[" * 100_000 + b"]" * 100_000), "nests"),
        ("a 100,000-digit integer", "mlp.keras", "model",
         _replace_member(mlp, "config.json", b'{"a": ' + b"7" * 100_000 + b"}"),
         "integer literal"),
        ("Sequential models nested 200 deep", "mlp.keras", "model",
         _config(mlp, _appended(_nested_sequential(200))),
         "nests"),
        ("compile.json is null", "mlp.keras", "model",
         _replace_member(mlp, "compile.json", b"null"), "compile.json.*expected a JSON object"),
        ("compile.json is a list", "mlp.keras", "model",
         _replace_member(mlp, "compile.json", b"[]"), "compile.json.*expected a JSON object"),
        ("config.json is a string", "mlp.keras", "model",
         _replace_member(mlp, "config.json", b'"Sequential"'), "config.json.*JSON object"),
        ("metadata.json is not UTF-8", "mlp.keras", "model",
         _replace_member(mlp, "metadata.json", b"\xff\xfe{}"), "UTF-8"),
        ("training.json counts epochs in a string", "last.keras", "checkpoint",
         edit_json(ckpt, "training.json", lambda s: {**s, "epochs_done": "3"}), "epochs_done"),
        ("training.json holds a bogus random state", "last.keras", "checkpoint",
         edit_json(ckpt, "training.json", lambda s: {**s, "rng_state": {"bit_generator": 7}}),
         "random generator"),
        ("the weights manifest is a dict", "mlp.keras", "model",
         _config(mlp, lambda c: {**c, "weights": {"path": "x"}}), "'weights' is dict"),
        ("a weight listed twice", "mlp.keras", "model",
         _config(mlp, lambda c: {**c, "weights": c["weights"] + c["weights"][:1]}),
         "listed twice"),
    ]


def _name_attacks(b):
    mlp, weights = b["mlp"], b["weights"]
    inner = members(members(mlp)["model.weights.npz"][0])
    bz2 = {k: (v, zipfile.ZIP_BZIP2) for k, (v, _) in members(mlp).items()}
    attacks = [(f"the member name {name!r}", "mlp.keras", "model",
                zipped({**members(mlp), name: b"{}"}), "refusing member")
               for name in ("../evil.json", "/etc/passwd", "a/../../b", "C:\\evil.json",
                            "a\\..\\b", "./config.json", "x//y")]
    attacks += [
        ("an array named ../../layers/dense/0.npy", "mlp.keras", "model",
         _replace_member(mlp, "model.weights.npz", zipped(
             {**inner, "../../layers/dense/0.npy": inner["layers/dense/0.npy"]})),
         "refusing member"),
        ("an array with an absolute name", "mlp.weights.npz", "weights",
         zipped({**members(weights), "/layers/dense/0.npy": npy(np.zeros(5, "float32"))}),
         "refusing member"),
        ("config.json twice", "mlp.keras", "model", _duplicate(mlp, "config.json"),
         "occurs twice"),
        ("an encrypted member", "mlp.keras", "model",
         _patched_flags(mlp, "config.json", 0x1), "encrypted"),
        ("bzip2 members", "mlp.keras", "model", zipped(bz2), "compression method"),
    ]
    return attacks


def build_attacks(bases: dict, folder) -> list:
    """Write every attack under ``folder``; ``bases`` maps base names to their bytes."""
    marker = os.path.join(folder, "code_ran")
    catalog = (_code_attacks(bases, marker) + _bomb_attacks(bases) + _shape_attacks(bases)
               + _json_attacks(bases) + _name_attacks(bases))
    cases = []
    for index, (name, filename, kind, data, expected) in enumerate(catalog):
        path = os.path.join(folder, f"{index:03d}-{filename}")
        with open(path, "wb") as file:
            file.write(data)
        cases.append({"id": name, "path": path, "kind": kind, "expected": expected,
                      "marker": marker})
    return cases

