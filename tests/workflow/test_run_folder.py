"""``dlpath train`` writes a complete run folder; evaluate/predict/runs/report read it."""

import base64
import csv
import json
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from workflow.cli_run import dlpath, only_run


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    parent = tmp_path_factory.mktemp("runs")
    result = dlpath("train", "digits-mlp", "--epochs", 2, "--out", parent, "--verbose", 2)
    assert result.returncode == 0, result.stderr
    return only_run(parent)


def test_run_folder_is_named_after_the_recipe_and_time(digits_run):
    assert re.fullmatch(r"digits-mlp-\d{8}-\d{6}", digits_run.name)


def test_run_folder_holds_every_file(digits_run):
    for name in ("config.json", "metrics.csv", "metrics.json", "checkpoints/last.keras",
                 "model.keras", "test_metrics.json", "timing.json", "report.html",
                 "curves.png", "confusion_matrix.png", "misclassified.png"):
        assert (digits_run / name).is_file(), name
    assert not [p for p in digits_run.rglob("*.tmp")]


def test_config_records_settings_version_and_environment(digits_run):
    saved = json.loads((digits_run / "config.json").read_text())
    assert saved["recipe"] == "digits-mlp"
    assert saved["config"]["epochs"] == 2 and saved["config"]["seed"] == 0
    environment = saved["environment"]
    assert {"dlpath", "python", "numpy", "cpu_count", "seed"} <= set(environment)
    assert saved["data"]["sizes"] == {"train": 1257, "validation": 270, "test": 270}


def test_metrics_csv_has_one_row_per_epoch(digits_run):
    with open(digits_run / "metrics.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["epoch"] for row in rows] == ["1", "2"]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"} <= set(rows[0])
    assert json.loads((digits_run / "metrics.json").read_text())[1]["epoch"] == 2


def test_test_metrics_and_report_embed_images(digits_run):
    metrics = json.loads((digits_run / "test_metrics.json").read_text())
    assert 0.5 < metrics["accuracy"] <= 1.0
    page = (digits_run / "report.html").read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 4  # curves, confusion matrix, samples, explanations
    assert "Explanations" in page
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data in images)
    for text in ("precision", "Confusion matrix", "Total params", "cpu_count", "train_seconds"):
        assert text in page, text


def test_evaluate_prints_metrics_report_and_confusion_matrix(digits_run):
    result = dlpath("evaluate", digits_run)
    assert result.returncode == 0, result.stderr
    assert "test: loss" in result.stdout and "f1-score" in result.stdout
    assert "true \\ predicted" in result.stdout


def test_predict_reads_npy_arrays_and_image_files(digits_run, tmp_path):
    from dlpath.datasets import digits
    from matplotlib.image import imsave

    (x, y), _ = digits.load_data()
    np.save(tmp_path / "three.npy", x[:3])
    imsave(tmp_path / "digit.png", x[0] / 16.0, cmap="gray", vmin=0, vmax=1)
    result = dlpath("predict", digits_run, tmp_path / "three.npy", tmp_path / "digit.png")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    for line in lines:
        label, probability = line.split()[-2:]
        assert label in [str(i) for i in range(10)] and 0 < float(probability) <= 1


def test_runs_lists_the_run_and_report_rebuilds(digits_run):
    result = dlpath("runs", "--dir", digits_run.parent, "--sort", "test_accuracy")
    assert result.returncode == 0, result.stderr
    assert digits_run.name in result.stdout and "done" in result.stdout
    (digits_run / "report.html").unlink()
    result = dlpath("report", digits_run)
    assert result.returncode == 0, result.stderr
    assert (digits_run / "report.html").is_file()


def test_resume_reaches_the_same_weights_as_an_uninterrupted_run(digits_run, tmp_path):
    from dlpath.saving import load_model

    assert dlpath("train", "digits-mlp", "--epochs", 1, "--out", tmp_path,
                  "--verbose", 0).returncode == 0
    partial = only_run(tmp_path)
    result = dlpath("train", "--resume", partial, "--epochs", 2, "--verbose", 0)
    assert result.returncode == 0, result.stderr
    whole, resumed = load_model(digits_run / "model.keras"), load_model(partial / "model.keras")
    for a, b in zip(whole.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(json.loads((partial / "metrics.json").read_text())) == 2


def test_ctrl_c_keeps_the_checkpoint_and_says_how_to_resume(tmp_path):
    command = [sys.executable, "-m", "dlpath", "train", "digits-mlp", "--epochs", "500",
               "--out", str(tmp_path), "--verbose", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("*/checkpoints/last.keras")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "dlpath train --resume" in stderr and "Traceback" not in stderr
    assert (only_run(tmp_path) / "checkpoints" / "last.keras").is_file()


def test_model_file_prefers_the_final_model_then_the_checkpoint(tmp_path, capsys):
    from dlpath.workflow import RunFolder, WorkflowError

    folder = RunFolder(tmp_path)
    with pytest.raises(WorkflowError, match="no model.keras and no checkpoint to serve"):
        folder.model_file("serve")
    folder.checkpoint.parent.mkdir()
    folder.checkpoint.write_bytes(b"x")
    assert folder.model_file("export") == folder.checkpoint
    assert "using the checkpoint" in capsys.readouterr().err
    folder.model.write_bytes(b"x")
    assert folder.model_file() == folder.model
    assert capsys.readouterr().err == ""
