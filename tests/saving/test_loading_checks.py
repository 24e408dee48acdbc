"""What loading checks, and how it fails: every failure is a `SaveFileError` naming the
file and the member; sizes are bounded before allocation; NaN weights load with a warning;
a functional graph is rebuilt in linear time whatever the order of its layers."""

import io
import json
import math
import zipfile

import numpy as np
import pytest

from dlpath.layers import Dense
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from dlpath.saving import SaveFileError, functional, load_model, serialize
from dlpath.saving.config_checks import check_architecture, check_manifest
from dlpath.saving.json_reader import parse_json
from dlpath.saving.limits import LIMITS
from dlpath.saving.zip_reader import ZipReader


def _saved(tmp_path, compiled=True):
    model = Sequential([Input((3,)), Dense(2)])
    if compiled:
        model.compile(optimizer="adam", loss="mse")
    path = tmp_path / "model.keras"
    model.save(path)
    return path


def _rewrite(path, **replaced):
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(replaced)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def _weights_npz(arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _fail(problem):
    return SaveFileError(problem)


# ---------------------------------------------------------------- the error class
def test_a_failure_inside_a_layer_names_the_file_and_member_and_keeps_the_cause(tmp_path):
    path = _saved(tmp_path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    config["config"]["layers"][1]["config"]["activation"] = 5
    _rewrite(path, **{"config.json": json.dumps(config).encode()})
    with pytest.raises(SaveFileError, match=r"model.keras' member 'config.json'") as caught:
        load_model(path)
    assert caught.value.path == str(path) and caught.value.member == "config.json"
    assert isinstance(caught.value, ValueError) and caught.value.__cause__ is not None


@pytest.mark.parametrize("error", [MemoryError, RecursionError, OverflowError, TypeError,
                                   AttributeError, KeyError])
def test_any_error_while_rebuilding_becomes_a_save_file_error(tmp_path, monkeypatch, error):
    path = _saved(tmp_path)

    def explode(cls, config):
        raise error("from the layer")

    monkeypatch.setattr(Dense, "from_config", classmethod(explode))
    with pytest.raises(SaveFileError, match=r"member 'config.json'.*from the layer") as caught:
        load_model(path)
    causes, cause = [], caught.value
    while cause is not None:
        causes.append(type(cause))
        cause = cause.__cause__
    assert error in causes


def test_compile_json_null_is_an_error_not_an_uncompiled_model(tmp_path):
    path = _saved(tmp_path)
    _rewrite(path, **{"compile.json": b"null"})
    with pytest.raises(SaveFileError, match="compile.json.*expected a JSON object"):
        load_model(path)
    assert not load_model(path, compile=False).compiled


def test_an_uncompiled_model_has_no_compile_json_and_loads_uncompiled(tmp_path):
    assert not load_model(_saved(tmp_path, compiled=False)).compiled


# ---------------------------------------------------------------- weights
def test_nan_and_inf_weights_load_with_a_warning_naming_the_weight(tmp_path):
    path = _saved(tmp_path, compiled=False)
    kernel = np.ones((3, 2), "float32")
    kernel[0, 0], kernel[1, 1] = np.nan, np.inf
    _rewrite(path, **{"model.weights.npz": _weights_npz(
        {"layers/dense/0": kernel, "layers/dense/1": np.zeros(2, "float32")})})
    with pytest.warns(RuntimeWarning, match=r"'layers/dense/0'.*2 NaN or infinite"):
        model = load_model(path)
    assert np.isnan(model.get_weights()[0][0, 0])
    other = Sequential([Input((3,)), Dense(2)])
    with pytest.warns(RuntimeWarning, match=r"'layers/dense/0'.*kernel.*2 NaN"):
        other.load_weights(path)


def test_a_shape_declared_beyond_the_data_is_refused_before_allocating(tmp_path):
    path = _saved(tmp_path, compiled=False)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    config["weights"][0]["shape"] = [30_000, 30_000]
    header = {"descr": "<f4", "fortran_order": False, "shape": (30_000, 30_000)}
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as archive:
        archive.writestr("layers/dense/0.npy", buffer.getvalue() + bytes(24))
        archive.writestr("layers/dense/1.npy", _npy(np.zeros(2, "float32")))
    _rewrite(path, **{"config.json": json.dumps(config).encode(),
                      "model.weights.npz": npz.getvalue()})
    with pytest.raises(SaveFileError, match=r"3600000000 bytes\) but its member holds 24"):
        load_model(path)


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


def test_a_member_is_read_only_up_to_its_cap(tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data", b"x" * 1000)
    with ZipReader(str(path), str(path)) as reader:
        assert reader.read("data", 1000) == b"x" * 1000
        with pytest.raises(SaveFileError, match=r"'data' declares 1000 bytes \(expected at "
                                                r"most 999\)"):
            reader.read("data", 999)


# ---------------------------------------------------------------- config values
def _dense_entry(**config):
    return {"class_name": "Dense", "config": {"units": 2, **config}}


@pytest.mark.parametrize("config", [
    {"units": LIMITS.max_width}, {"kernel_size": [3, 3], "padding": "same"},
    {"padding": [[1, 1], [2, 2]]}, {"target_shape": [-1, 4]},
    {"batch_shape": [32, 4096, 4096, 3]}, {"value_dim": None},
])
def test_sane_architecture_values_pass(config):
    check_architecture(_dense_entry(**config), _fail)


@pytest.mark.parametrize("config, message", [
    ({"units": LIMITS.max_width + 1}, "'units' is 2097153"),
    ({"units": 0}, "'units' is 0"), ({"units": 2.5}, "'units' is 2.5"),
    ({"units": [2]}, r"'units' is \[2\]"), ({"filters": "8"}, "'filters'"),
    ({"kernel_size": [3, -1]}, "'kernel_size'"), ({"strides": [[[1]]]}, "'strides'"),
    ({"pool_size": 10 ** 5}, "'pool_size'"),
    ({"shape": [4096, 4096, 5]}, "elements per sample"),
    ({"shape": [None] * 40}, "at most 32 sizes"), ({"input_shape": "3"}, "'input_shape'"),
    ({"n": 10 ** 9}, "'n' is 1000000000"), ({"height": 10 ** 8}, "'height'"),
    ({"num_tokens": 10 ** 9}, "'num_tokens'"), ({"max_tokens": 1.5}, "'max_tokens'"),
])
def test_insane_architecture_values_are_refused(config, message):
    with pytest.raises(SaveFileError, match=message):
        check_architecture(_dense_entry(**config), _fail)


def test_layer_values_are_checked_inside_nested_models():
    entry = _dense_entry()
    for _ in range(5):
        entry = {"class_name": "Sequential", "config": {"layers": [entry]}}
    entry = {"class_name": "Sequential", "config": {"layers": [entry, _dense_entry(
        units=10 ** 12)]}}
    with pytest.raises(SaveFileError, match="'Dense' entry: 'units'"):
        check_architecture(entry, _fail)


def test_the_number_of_layers_is_bounded():
    many = {"class_name": "Sequential",
            "config": {"layers": [_dense_entry()] * (LIMITS.max_layers + 1)}}
    with pytest.raises(SaveFileError, match="more than 10000 layer entries"):
        check_architecture(many, _fail)


def test_the_weights_manifest_is_checked_and_sized():
    manifest = [{"path": "a", "shape": [3, 2], "dtype": "float32"},
                {"path": "b", "shape": [], "dtype": "int64"}]
    expected, nbytes = check_manifest(manifest, _fail)
    assert expected == {"a": ((3, 2), "float32"), "b": ((), "int64")} and nbytes == 32
    for bad, message in [({"path": "a", "shape": [-1], "dtype": "float32"}, "shape"),
                         ({"path": "a", "shape": [2], "dtype": "object"}, "dtype"),
                         ({"path": "a", "shape": [2], "dtype": "<U4"}, "dtype"),
                         ({"path": 3, "shape": [2], "dtype": "float32"}, "expected"),
                         ({"path": "a", "shape": [True], "dtype": "float32"}, "shape")]:
        with pytest.raises(SaveFileError, match=message):
            check_manifest([bad], _fail)


# ---------------------------------------------------------------- JSON
def test_json_nesting_and_integer_sizes_are_bounded():
    depth = LIMITS.max_json_depth
    assert parse_json(b"[" * depth + b"]" * depth, _fail) is not None
    with pytest.raises(SaveFileError, match=f"nests {depth + 1} levels"):
        parse_json(b"[" * (depth + 1) + b"]" * (depth + 1), _fail)
    assert parse_json(b"9" * 64, _fail) == int("9" * 64)
    with pytest.raises(SaveFileError, match="integer literal of 65 digits"):
        parse_json(b"9" * 65, _fail)
    with pytest.raises(SaveFileError, match="UTF-8"):
        parse_json(b"\xff", _fail)


# ---------------------------------------------------------------- functional graphs
def test_a_functional_graph_is_rebuilt_in_linear_time_whatever_its_layer_order(
        monkeypatch):
    inputs = Input((2,))
    outputs = inputs
    for _ in range(300):
        outputs = Dense(2)(outputs)
    config = serialize.serialize_layer(Model(inputs, outputs))
    layers = config["config"]["layers"]
    config["config"]["layers"] = layers[:1] + layers[1:][::-1]  # the worst order
    checks, original = [], functional._Graph.first_missing

    def counted(self, node):
        checks.append(1)
        return original(self, node)

    monkeypatch.setattr(functional._Graph, "first_missing", counted)
    rebuilt = serialize.deserialize_layer(json.loads(json.dumps(config)))
    assert len(rebuilt.layers) == 301
    assert len(checks) <= 2 * 300
    assert math.isfinite(float(np.asarray(rebuilt.predict(np.ones((1, 2)), verbose=0)).sum()))


def test_a_graph_waiting_on_itself_is_refused():
    inputs = Input((2,))
    config = serialize.serialize_layer(Model(inputs, Dense(2)(inputs)))
    dense = config["config"]["layers"][1]
    dense["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = [dense["name"], 0, 0]
    with pytest.raises(ValueError, match="wait for tensors that no layer produces"):
        serialize.deserialize_layer(config)
