"""Checkpoint and model writes go through uniquely named temporary files: concurrent saves
of one path never collide, and what a killed save leaves is removed by the next save or
load of that path (and only that: other paths' files and live saves are left alone)."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from dlpath.layers import Dense
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential
from dlpath.saving import archive, load_model, temporaries
from dlpath.workflow import checkpoint


def _model():
    model = Sequential([Input((3,)), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _leftovers(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp")
                  or name.startswith(".partial-"))


def test_each_write_uses_a_new_temporary_named_after_the_process(tmp_path, monkeypatch):
    used, replace = [], os.replace

    def record(source, target):
        used.append(os.path.basename(source))
        replace(source, target)

    monkeypatch.setattr(archive.os, "replace", record)
    model = _model()
    for _ in range(3):
        checkpoint.save(model, tmp_path / "last.keras", epochs_done=1)
    assert len(set(used)) == 3
    assert all(name.startswith(f".last.keras.{os.getpid()}.") for name in used)
    assert _leftovers(tmp_path) == []


def test_threads_saving_the_same_checkpoint_do_not_collide(tmp_path):
    path, errors = tmp_path / "last.keras", []

    def save_several():
        try:
            model = _model()
            for epoch in range(5):
                checkpoint.save(model, path, epochs_done=epoch)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=save_several) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _, state = checkpoint.load(path)
    assert state["epochs_done"] == 4
    assert _leftovers(tmp_path) == []


_SAVE_MANY = """
import sys
from dlpath.layers import Dense
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential
from dlpath.workflow import checkpoint

model = Sequential([Input((3,)), Dense(2)])
model.compile(optimizer="adam", loss="mse")
for epoch in range(15):
    checkpoint.save(model, sys.argv[1], epochs_done=epoch)
"""


def test_two_processes_saving_the_same_checkpoint_do_not_collide(tmp_path):
    path = str(tmp_path / "last.keras")
    processes = [subprocess.Popen([sys.executable, "-c", _SAVE_MANY, path],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in processes:
        _, error = process.communicate(timeout=120)
        assert process.returncode == 0, error
    model, state = checkpoint.load(path)
    assert state["epochs_done"] == 14 and model.compiled
    assert _leftovers(tmp_path) == []


_KILLED_SAVE = """
import os, signal, sys
from dlpath.layers import Dense
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential
from dlpath.saving import archive
from dlpath.workflow import checkpoint

def write_then_die(file, members):
    file.write(b"PK half an archive")
    file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

archive.write_archive = write_then_die
model = Sequential([Input((3,)), Dense(2)])
model.compile(optimizer="adam", loss="mse")
checkpoint.save(model, sys.argv[1], epochs_done=1)
"""


@pytest.mark.parametrize("next_step", ["save", "load"])
def test_a_killed_save_leaves_a_temporary_that_the_next_save_or_load_removes(
        tmp_path, next_step):
    path = tmp_path / "last.keras"
    checkpoint.save(_model(), path, epochs_done=3)
    killed = subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(path)], timeout=120)
    assert killed.returncode != 0
    left = _leftovers(tmp_path)
    assert len(left) == 1 and left[0].startswith(".last.keras.")
    assert checkpoint.load(path)[1]["epochs_done"] == 3  # the previous checkpoint is intact
    if next_step == "save":
        checkpoint.save(_model(), path, epochs_done=4)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["checkpoint.save", "checkpoint.load", "model.save",
                                  "load_model", "load_weights"])
def test_only_stale_temporaries_of_that_path_are_removed(tmp_path, step):
    path = tmp_path / "last.keras"
    model = _model()
    checkpoint.save(model, path, epochs_done=1)
    dead, alive = _dead_pid(), os.getppid()
    stale = [f".last.keras.{dead}.abcd_123.tmp", ".last.keras.k2j4h5g6.tmp",
             ".partial-last.keras"]
    kept = [f".last.keras.{alive}.abcd_123.tmp", f".other.keras.{dead}.abcd_123.tmp",
            f".last.keras.bak.{dead}.abcd_123.tmp", "last.keras.bak", ".last.keras.notes"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"partial")
    if step == "checkpoint.save":
        checkpoint.save(model, path, epochs_done=2)
    elif step == "checkpoint.load":
        checkpoint.load(path)
    elif step == "model.save":
        model.save(path)
    elif step == "load_model":
        load_model(path)
    else:
        model.load_weights(path)
    remaining = set(os.listdir(tmp_path))
    assert not remaining & set(stale)
    assert set(kept) <= remaining


def test_stale_temporaries_of_a_read_only_folder_are_left_quietly(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    _model().save(path)
    (tmp_path / f".model.keras.{_dead_pid()}.abcd_123.tmp").write_bytes(b"x")

    def refuse(name):
        raise PermissionError("read-only")

    monkeypatch.setattr(temporaries.os, "remove", refuse)
    np.testing.assert_array_equal(load_model(path).get_weights()[1], np.zeros(2))
