"""``dlpath train --workers 2`` trains as one process with the same global batch, and its
checkpoints resume under 1 rank and under 2 ranks to the same weights.

One run of the whole command (2 ranks, 1 epoch, report included), then the two resumes to
3 epochs (without the report step, for speed), and one process trained for 3 epochs from
the start with the same settings.
"""

from __future__ import annotations

import shutil

import numpy as np

import dp_workflow
from dlpath.cli import main
from dlpath.saving import load_model
from dlpath.workflow import RunFolder, run as run_module
from mpi_run import HERE, run_mpi

SCRIPT = HERE / "dp_workflow.py"


def _weights(folder) -> list:
    return [w.data.copy() for w in load_model(RunFolder(folder).checkpoint).weights]


def _only_folder(parent):
    (folder,) = [path for path in parent.iterdir() if (path / "config.json").is_file()]
    return folder


def _quiet(*args):
    return None


def test_two_workers_train_and_resume_under_one_or_two_like_one_process(
        tmp_path, capfd, monkeypatch):
    settings = [f"--set={key}={value}" for key, value in dp_workflow.SETTINGS.items()
                if key != "batch_size"]
    code = main(["train", "digits-mlp", "--workers", "2", "--out", str(tmp_path / "two"),
                 "--epochs", "1", "--batch-size", "32", "--verbose", "0", *settings])
    out, err = capfd.readouterr()
    assert code == 0, out + err
    assert out.count("run folder:") == 1 and out.count("report:") == 1  # rank 0 only
    first = _only_folder(tmp_path / "two")
    assert len(list((tmp_path / "two").iterdir())) == 1
    assert (first / "model.keras").is_file() and (first / "report.html").is_file()
    second = tmp_path / "copy" / first.name
    shutil.copytree(first, second)

    # Resume the copy under 2 ranks, the original under 1 rank (here), up to 3 epochs.
    result = run_mpi([SCRIPT, "resume", second, 3], timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.setattr(run_module, "_finish", dp_workflow.skip_finish)
    run_module.resume(first, epochs=3, verbose=0, log=_quiet)
    # One process from the start, with the same global batch.
    run_module.train("digits-mlp", dict(dp_workflow.SETTINGS, epochs=3),
                     parent=tmp_path / "alone", verbose=0, log=_quiet)
    alone = _only_folder(tmp_path / "alone")

    # float32, 3 epochs of 7 Adam steps: see test_data_parallel for the tolerance.
    for a, b, c in zip(_weights(first), _weights(second), _weights(alone)):
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=0)
        np.testing.assert_allclose(a, c, atol=1e-5, rtol=0)
    expected = RunFolder(alone).read_metrics()
    for folder in (first, second):
        rows = RunFolder(folder).read_metrics()
        assert [row["epoch"] for row in rows] == [1, 2, 3]
        for row, reference in zip(rows, expected):
            assert abs(row["loss"] - reference["loss"]) < 1e-5
            assert abs(row["val_loss"] - reference["val_loss"]) < 1e-5


def test_workers_must_be_positive(capsys):
    assert main(["train", "digits-mlp", "--workers", "0"]) == 2
    assert "--workers must be at least 1, got 0" in capsys.readouterr().err
