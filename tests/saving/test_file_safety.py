"""Files are written atomically and read without running anything: overwrite, failed writes,
corrupt or tampered archives, unknown or code-carrying classes, unsupported formats."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

from dlpath.layers import Dense, Layer
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential
from dlpath.saving import SaveFileError, archive, load_model


@pytest.fixture(autouse=True)
def no_unpickling(monkeypatch):
    """Any unpickling during these tests fails them."""
    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)


def _model():
    return Sequential([Input((3,)), Dense(2)])


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.keras"
    _model().save(path)
    return path


def _rewrite(path, change):
    """Rewrite the archive at ``path`` with ``change(members)`` applied to its members."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def _edit_config(path, edit):
    def change(members):
        config = json.loads(members["config.json"])
        edit(config)
        members["config.json"] = json.dumps(config).encode()
    _rewrite(path, change)


# ---------------------------------------------------------------- writing
def test_overwrite_false_refuses_an_existing_file(saved):
    before = saved.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        _model().save(saved, overwrite=False)
    assert saved.read_bytes() == before
    weights = saved.with_name("model.weights.npz")
    _model().save_weights(weights)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        _model().save_weights(weights, overwrite=False)
    _model().save(saved)  # overwrite=True is the default


@pytest.mark.parametrize("what", ["model", "weights"])
def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(
        tmp_path, monkeypatch, what):
    path = tmp_path / ("model.keras" if what == "model" else "model.weights.npz")
    model = _model()
    save = model.save if what == "model" else model.save_weights
    save(path)
    before = path.read_bytes()

    def fail(fd):
        raise OSError("disk full")

    monkeypatch.setattr(archive.os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]


def test_a_failure_in_the_middle_of_the_archive(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    original = archive.write_archive

    def half_then_fail(file, members):
        original(file, members)
        file.seek(file.tell() // 2)
        file.truncate()
        raise KeyboardInterrupt

    monkeypatch.setattr(archive, "write_archive", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        _model().save(path)
    assert os.listdir(tmp_path) == []


def test_saved_file_has_ordinary_permissions(saved):
    umask = os.umask(0)
    os.umask(umask)
    assert saved.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("name, message", [
    ("model.h5", "HDF5"), ("model.hdf5", "HDF5"), ("model", "'.keras'"),
    ("model.pkl", "accepted: .keras, .dlpath"),
])
def test_unsupported_model_extensions(tmp_path, name, message):
    with pytest.raises(ValueError, match=message):
        _model().save(tmp_path / name)
    with pytest.raises(ValueError, match=message):
        load_model(tmp_path / name)


def test_dlpath_extension_and_savedmodel_format(tmp_path):
    _model().save(tmp_path / "model.dlpath")
    assert isinstance(load_model(tmp_path / "model.dlpath"), Sequential)
    with pytest.raises(ValueError, match="SavedModel"):
        _model().save(tmp_path / "model.keras", save_format="tf")


def test_a_layer_holding_code_is_not_saved(tmp_path):
    class Lambda(Layer):
        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match="holds Python code"):
        Sequential([Input((3,)), Lambda()]).save(tmp_path / "model.keras")
    assert not (tmp_path / "model.keras").exists()


def test_custom_layer_without_get_config_is_refused(tmp_path):
    class Shift(Layer):
        def __init__(self, amount, **kwargs):
            super().__init__(**kwargs)
            self.amount = amount

        def call(self, inputs):
            return inputs + self.amount

    with pytest.raises(ValueError, match=r"__init__ takes \['amount'\].*get_config"):
        Sequential([Input((3,)), Shift(1.0)]).save(tmp_path / "model.keras")


# ---------------------------------------------------------------- reading
def test_truncated_archive(saved):
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    with pytest.raises(SaveFileError, match="model.keras.*truncated or corrupt"):
        load_model(saved)


def test_not_a_zip_file(saved):
    saved.write_bytes(b"this is not an archive")
    with pytest.raises(SaveFileError, match="model.keras"):
        load_model(saved)


@pytest.mark.parametrize("member", ["config.json", "metadata.json", "model.weights.npz"])
def test_corrupted_member_data(saved, member):
    with zipfile.ZipFile(saved) as archive_file:
        info = archive_file.getinfo(member)
    data = bytearray(saved.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)  # member data
    middle = start + info.compress_size // 2
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])
    saved.write_bytes(bytes(data))
    with pytest.raises(SaveFileError, match="model.keras"):
        load_model(saved)


@pytest.mark.parametrize("member", ["config.json", "metadata.json", "model.weights.npz"])
def test_missing_member(saved, member):
    _rewrite(saved, lambda members: members.pop(member))
    with pytest.raises(SaveFileError, match=f"no member '{member}'"):
        load_model(saved)


def test_invalid_json(saved):
    _rewrite(saved, lambda members: members.update({"config.json": b"{not json"}))
    with pytest.raises(SaveFileError, match="config.json.*not valid JSON"):
        load_model(saved)


def test_weights_that_do_not_match_the_recorded_shapes(saved):
    def change(members):
        buffer = io.BytesIO()
        np.savez(buffer, **{"layers/dense/0": np.zeros((3, 5), "float32"),
                            "layers/dense/1": np.zeros((2,), "float32")})
        members["model.weights.npz"] = buffer.getvalue()
    _rewrite(saved, change)
    with pytest.raises(SaveFileError, match=r"'layers/dense/0' is recorded as shape \(3, 2\)"):
        load_model(saved)


def test_foreign_metadata(saved):
    _rewrite(saved, lambda members: members.update(
        {"metadata.json": json.dumps({"keras_version": "3.0"}).encode()}))
    with pytest.raises(SaveFileError, match="not describe a dlpath archive"):
        load_model(saved)


def test_keras_written_archive(saved):
    def change(members):
        members["model.weights.h5"] = members.pop("model.weights.npz")
    _rewrite(saved, change)
    with pytest.raises(SaveFileError, match="written by Keras"):
        load_model(saved)


class _Trap:
    """Unpickling this object would create a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickled_object_array_is_refused_without_running_it(saved, tmp_path):
    marker = tmp_path / "code_ran"

    def change(members):
        buffer = io.BytesIO()
        trap = np.empty(1, dtype=object)
        trap[0] = _Trap(str(marker))
        with zipfile.ZipFile(buffer, "w") as npz, npz.open("layers/dense/0.npy", "w") as member:
            np.lib.format.write_array(member, trap, allow_pickle=True)
        members["model.weights.npz"] = buffer.getvalue()
    _rewrite(saved, change)
    with pytest.raises(SaveFileError, match="object array"):
        load_model(saved)
    assert not marker.exists()


def test_a_pickle_disguised_as_a_weights_file_is_refused(tmp_path):
    path = tmp_path / "model.weights.npz"
    path.write_bytes(b"\x80\x04\x95" + b"\x00" * 40)
    with pytest.raises(SaveFileError, match="model.weights.npz"):
        _model().load_weights(path)


def test_unknown_class_is_refused_with_the_registered_names(saved):
    _edit_config(saved, lambda c: c["config"]["layers"][1].update(class_name="os.system"))
    with pytest.raises(ValueError, match=r"unknown class 'os.system'.*Registered: .*'Dense'"):
        load_model(saved)


def test_class_names_are_never_imported(saved):
    _edit_config(saved, lambda c: c["config"]["layers"][1].update(
        class_name="Popen", module="subprocess"))
    with pytest.raises(ValueError, match="unknown class 'Popen'"):
        load_model(saved)


@pytest.mark.parametrize("entry", [
    {"class_name": "Lambda", "config": {"function": "print"}},
    {"class_name": "__lambda__", "config": {"code": "..."}},
    {"class_name": "Dense", "config": {"units": 2, "activation": {
        "function": ["4wEAAAAA", None, None], "function_type": "lambda"}}},
])
def test_code_carrying_entries_are_refused(saved, entry):
    _edit_config(saved, lambda c: c["config"]["layers"].append(entry))
    with pytest.raises(ValueError, match="never runs code"):
        load_model(saved)


def test_a_directory_is_not_an_archive(tmp_path):
    (tmp_path / "model.keras").mkdir()
    with pytest.raises(SaveFileError, match="directory"):
        load_model(tmp_path / "model.keras")
