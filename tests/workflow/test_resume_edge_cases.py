"""Resuming a run stopped at its edges: during the first epoch, and after the last epoch's
checkpoint but before the report."""

import json
import zipfile

import numpy as np
import pytest

from dlpath import cli
from dlpath.callbacks import Callback
from dlpath.recipes.digits_mlp import DigitsMLP
from dlpath.saving import load_model
from dlpath.workflow import RunFolder, listing
from dlpath.workflow.run import Interrupted


class CtrlCAt(Callback):
    """Raise KeyboardInterrupt (what Ctrl-C raises) after batch ``step`` of ``epoch``."""

    def __init__(self, epoch, step):
        super().__init__()
        self.at, self.epoch = (epoch, step), None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise KeyboardInterrupt


def ctrl_c_during_training(monkeypatch, epoch, step):
    original = DigitsMLP.train

    def train(self, run, config, data):
        run.callbacks.append(CtrlCAt(epoch, step))
        return original(self, run, config, data)

    monkeypatch.setattr(DigitsMLP, "train", train)


def train(parent, epochs):
    return cli.main(["train", "digits-mlp", "--epochs", str(epochs), "--out", str(parent),
                     "--verbose", "0"])


def epochs_in_checkpoint(folder) -> int:
    with zipfile.ZipFile(folder.checkpoint) as archive:
        return json.loads(archive.read("training.json"))["epochs_done"]


def assert_same_weights(path_a, path_b):
    for a, b in zip(load_model(path_a).get_weights(), load_model(path_b).get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.fixture(scope="module")
def whole_run(tmp_path_factory):
    """An uninterrupted two-epoch run to compare the resumed ones with."""
    parent = tmp_path_factory.mktemp("whole")
    assert train(parent, 2) == 0
    return RunFolder(next(parent.iterdir()))


def test_ctrl_c_in_the_first_epoch_keeps_the_initial_state_and_resumes_bit_for_bit(
        whole_run, tmp_path, monkeypatch, capsys):
    with monkeypatch.context() as patch:
        ctrl_c_during_training(patch, epoch=0, step=3)
        assert train(tmp_path, 2) == 130
    folder = RunFolder(next(tmp_path.iterdir()))
    error = capsys.readouterr().err
    assert "keeps the initial weights" in error
    assert f"Resume with: dlpath train --resume {folder.path}" in error
    assert epochs_in_checkpoint(folder) == 0 and folder.read_metrics() == []

    assert cli.main(["train", "--resume", str(folder.path), "--verbose", "0"]) == 0
    assert "resuming" in capsys.readouterr().out
    assert_same_weights(whole_run.model, folder.model)
    assert [row["epoch"] for row in folder.read_metrics()] == [1, 2]


def test_ctrl_c_before_the_report_is_finished_by_resume(tmp_path, monkeypatch, capsys):
    import dlpath.reports

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(dlpath.reports, "write_report", stopped)
        assert train(tmp_path, 1) == 130
    folder = RunFolder(next(tmp_path.iterdir()))
    error = capsys.readouterr().err
    assert "all 1 epochs are trained; finish the run" in error
    assert f"dlpath train --resume {folder.path}" in error
    assert not folder.model.exists() and not folder.report.exists()
    assert listing.collect(tmp_path)[0]["status"] == "resumable"

    assert cli.main(["train", "--resume", folder.path.name, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "finishing" in out and "test: loss" in out
    for path in (folder.model, folder.report, folder.test_metrics, folder.predictions,
                 folder.timing):
        assert path.is_file(), path
    assert_same_weights(folder.checkpoint, folder.model)
    assert listing.collect(tmp_path)[0]["status"] == "done"


def test_resuming_a_finished_run_asks_for_more_epochs(whole_run, capsys):
    assert cli.main(["train", "--resume", str(whole_run.path)]) == 1
    assert "pass --epochs N (N > 2)" in capsys.readouterr().err


def test_a_run_stopped_before_its_first_checkpoint_promises_no_resume(tmp_path, capsys):
    folder = RunFolder.create(tmp_path, "digits-mlp")
    folder.config.write_text(json.dumps({"recipe": "digits-mlp", "config": {}}))
    advice = Interrupted(folder, 0, 3).advice()
    assert "nothing to resume" in advice and "dlpath train digits-mlp" in advice
    assert "--resume" not in advice
    assert cli.main(["train", "--resume", str(folder.path)]) == 1
    assert "no checkpoint to resume from" in capsys.readouterr().err
