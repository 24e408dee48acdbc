"""docs/compatibility.md: generated from the code, in sync, and what missing names raise."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import dlpath as tf
from dlpath import keras
from dlpath.keras import compatibility
from dlpath.keras.missing import PAGE, NoSuchName, NotImplementedInDlpath

ROOT = Path(__file__).resolve().parents[2]
STATUSES = compatibility.statuses()


def test_the_page_is_in_sync_with_the_code():
    ok, message = compatibility.check(ROOT / PAGE)
    assert ok, message


def test_the_check_notices_a_stale_page(tmp_path):
    stale = tmp_path / "compatibility.md"
    stale.write_text(compatibility.render().replace("| supported |", "| not implemented |", 1))
    ok, message = compatibility.check(stale)
    assert not ok and "out of date" in message and "python -m dlpath.keras.compatibility" \
        in message
    assert compatibility.main(["--check", "--output", str(stale)]) == 1
    assert compatibility.main(["--output", str(stale)]) == 0
    assert compatibility.main(["--check", "--output", str(stale)]) == 0


def test_every_namespace_module_exists_and_names_resolve_as_the_page_says():
    for spelling, rows in STATUSES.items():
        namespace = compatibility.surface()[spelling]
        if namespace.module is not None:
            importlib.import_module(namespace.module)
            assert compatibility.resolve_namespace(spelling) is not None, spelling
        target = compatibility.resolve_namespace(spelling)
        for entry, status in rows:
            if status != "not implemented":
                getattr(target, entry.name)  # raises if the page is wrong


# Names real Keras programs use in their first lines: each must stay supported.
ESSENTIAL = {
    "tf": ["constant", "Variable", "GradientTape", "reduce_mean", "function", "one_hot",
           "argmax", "cast", "where", "concat", "stack", "reshape", "shape", "range"],
    "tf.keras.layers": ["Dense", "Conv2D", "LSTM", "GRU", "Embedding", "Lambda",
                        "TimeDistributed", "BatchNormalization", "Dropout", "Attention",
                        "TextVectorization", "Rescaling", "RandomFlip", "add", "concatenate"],
    "tf.keras.backend": ["image_data_format", "int_shape", "epsilon", "mean", "function",
                         "gradients", "ctc_batch_cost", "ctc_decode"],
    "tf.keras.utils": ["to_categorical", "Sequence", "plot_model", "get_file",
                       "image_dataset_from_directory"],
    "tf.keras.callbacks": ["EarlyStopping", "ModelCheckpoint", "TensorBoard",
                           "ReduceLROnPlateau", "BackupAndRestore"],
}


def test_the_names_keras_programs_begin_with_are_supported():
    for spelling, names in ESSENTIAL.items():
        status = {entry.name: s for entry, s in STATUSES[spelling]}
        for name in names:
            assert status[name] in ("supported", "partial"), f"{spelling}.{name}"


def test_partial_names_carry_a_note_saying_how():
    partial = [(s, e) for s, rows in STATUSES.items() for e, status in rows
               if status == "partial"]
    assert partial and all(entry.note for _, entry in partial)


def _not_implemented():
    for spelling, rows in STATUSES.items():
        target = compatibility.resolve_namespace(spelling)
        if target is None:
            continue
        for entry, status in rows:
            if status == "not implemented":
                yield spelling, target, entry


def test_every_missing_tracked_name_raises_the_error_that_points_to_the_page():
    missing = list(_not_implemented())
    assert len(missing) > 50
    for spelling, target, entry in missing:
        with pytest.raises(NotImplementedInDlpath) as info:
            getattr(target, entry.name)
        message = str(info.value)
        assert f"dlpath does not implement {spelling}.{entry.name} (yet)" in message
        assert PAGE in message
        # Both an AttributeError (hasattr) and a NotImplementedError (a known gap).
        assert isinstance(info.value, AttributeError)
        assert isinstance(info.value, NotImplementedError)
        assert not hasattr(target, entry.name)


def test_a_known_gap_names_the_closest_name_dlpath_has():
    with pytest.raises(NotImplementedInDlpath, match="JaxLayer.*Did you mean 'Layer'"):
        tf.keras.layers.JaxLayer  # noqa: B018
    with pytest.raises(NotImplementedInDlpath, match="tf.data.TFRecordDataset"):
        tf.data.TFRecordDataset  # noqa: B018


@pytest.mark.parametrize("namespace, typo, suggestion", [
    (keras.layers, "Dense2", "Dense"),
    (keras.layers, "conv2d", "Conv2D"),
    (keras.optimizers, "Adamw", "AdamW"),
    (keras.losses, "SparseCategoricalCrossEntropy", "SparseCategoricalCrossentropy"),
    (tf, "reduce_men", "reduce_mean"),
])
def test_a_typo_gets_did_you_mean(namespace, typo, suggestion):
    with pytest.raises(NoSuchName) as info:
        getattr(namespace, typo)
    assert not isinstance(info.value, NotImplementedError)
    assert f"did you mean {suggestion!r}" in str(info.value) and PAGE in str(info.value)


def test_every_namespace_module_has_the_hook():
    for spelling, namespace in compatibility.surface().items():
        if namespace.module is None:
            continue
        module = importlib.import_module(namespace.module)
        with pytest.raises(NoSuchName, match=PAGE):
            getattr(module, "surely_not_a_name_xyz")


def test_private_names_and_submodules_stay_plain_attribute_errors():
    # Probes by the import system, IPython and inspect must be cheap and plain.
    for probe in ("__wrapped__", "_ipython_canary_method_should_not_exist_", "__path__x"):
        with pytest.raises(AttributeError) as info:
            getattr(keras.layers, probe)
        assert type(info.value) is AttributeError
    assert getattr(keras.layers, "NoSuchLayerAtAll", None) is None
    # A submodule not imported yet is still found by the import system.
    import dlpath.keras.preprocessing.image as image  # noqa: F401
    assert hasattr(tf, "keras") and hasattr(tf.keras, "layers")


def test_import_dlpath_reads_no_compatibility_data():
    code = ("import sys, dlpath; import dlpath.keras.layers as L; L.Dense; "
            "print('yaml' in sys.modules, 'dlpath.keras.compatibility' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_a_malformed_data_file_is_refused_with_its_place(tmp_path, monkeypatch):
    bad = tmp_path / "compatibility.yaml"
    bad.write_text("tf:\n  module: dlpath\n  names:\n    - abs\n    - abs\n")
    monkeypatch.setattr(compatibility, "DATA_FILE", bad)
    compatibility.surface.cache_clear()
    try:
        with pytest.raises(compatibility.CompatibilityFileError, match="'abs' is listed twice"):
            compatibility.surface()
        bad.write_text("tf:\n  module: dlpath\n  names:\n    - abs: {status: partial}\n")
        compatibility.surface.cache_clear()
        with pytest.raises(compatibility.CompatibilityFileError, match="needs a note"):
            compatibility.surface()
    finally:
        compatibility.surface.cache_clear()


@pytest.mark.parametrize("statement", [
    "from dlpath.optimizers.schedules import LearningRateSchedule",
    "from dlpath.tf_api.nn import relu",
    "from dlpath.tf_api.math import reduce_mean",
    "from dlpath.random import normal",
    "from dlpath.data import Dataset",
])
def test_importing_from_a_hooked_module_first_does_not_load_keras(statement):
    # The import system probes such a module for __path__; the hook must answer that
    # without loading the Keras namespace (which would import this module circularly).
    code = f"import sys; {statement}; print('dlpath.keras' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]
