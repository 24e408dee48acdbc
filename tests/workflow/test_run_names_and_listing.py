"""A run is named as ``dlpath runs`` prints it; ``dlpath runs`` sorts, refuses unknown
columns and lists tuning studies."""

import json

import numpy as np
import pytest

from dlpath import cli
from dlpath.workflow import RunFolder, WorkflowError, listing


def fake_run(parent, name, recipe="digits-mlp", epochs=3, rows=(), done=True):
    """A run folder with config.json, metrics.json and, when ``done``, a model.keras."""
    path = parent / name
    (path / "checkpoints").mkdir(parents=True)
    (path / "config.json").write_text(json.dumps({"recipe": recipe,
                                                  "config": {"epochs": epochs}}))
    (path / "metrics.json").write_text(json.dumps(list(rows)))
    if done:
        (path / "model.keras").write_bytes(b"")
    return path


@pytest.fixture
def runs(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_RUNS", str(tmp_path))
    fake_run(tmp_path, "digits-mlp-20260101-120000", rows=[{"epoch": 1, "val_loss": 0.5}])
    fake_run(tmp_path, "digits-mlp-20260101-120000-2", rows=[{"epoch": 1, "val_loss": 0.2}])
    fake_run(tmp_path, "digits-mlp-20250101-000000", rows=[{"epoch": 1, "val_loss": 0.9}])
    fake_run(tmp_path, "mnist-mlp-20270101-000000", recipe="mnist-mlp", done=False)
    return tmp_path


def test_a_run_is_found_by_folder_by_name_and_by_recipe(runs, tmp_path, monkeypatch):
    name = "digits-mlp-20250101-000000"
    assert RunFolder.find(runs / name).path == runs / name
    assert RunFolder.find(name).path == runs / name
    # A recipe's name: its newest run, by the time in the names (-2: the same second).
    assert RunFolder.find("digits-mlp").path.name == "digits-mlp-20260101-120000-2"
    assert RunFolder.find("mnist-mlp").path.name == "mnist-mlp-20270101-000000"
    monkeypatch.chdir(tmp_path)
    assert RunFolder.find(name, parent=".").path.name == name


def test_an_unknown_run_is_an_error_that_names_the_runs_folder(runs):
    with pytest.raises(WorkflowError, match="no run 'nothing'.*dlpath runs"):
        RunFolder.find("nothing")
    (runs / "not-a-run").mkdir()
    with pytest.raises(WorkflowError, match="is not a run folder"):
        RunFolder.find(runs / "not-a-run")


def test_runs_are_listed_oldest_first_with_their_status(runs):
    entries = listing.collect(runs)
    assert [entry["run"] for entry in entries] == [
        "digits-mlp-20250101-000000", "digits-mlp-20260101-120000",
        "digits-mlp-20260101-120000-2", "mnist-mlp-20270101-000000"]
    assert [entry["status"] for entry in entries] == ["done"] * 3 + ["incomplete"]


def test_sort_puts_the_best_first_and_sorts_text_columns_alphabetically(runs):
    entries = listing.collect(runs)
    by_loss = [entry.get("val_loss") for entry in listing.sort(entries, "val_loss")]
    assert by_loss == [0.2, 0.5, 0.9, None]
    assert [e["recipe"] for e in listing.sort(entries, "recipe")][-1] == "mnist-mlp"


def test_sort_by_a_column_no_run_has_is_a_usage_error(runs, capsys):
    assert cli.main(["runs", "--sort", "NONSENSE"]) == 2
    error = capsys.readouterr().err
    assert "cannot sort by 'NONSENSE'" in error and "val_loss" in error


def test_runs_lists_tuning_studies_after_the_runs(runs, capsys):
    study = runs / "tune-digits-mlp"
    study.mkdir()
    (study / "best.json").write_text(json.dumps({
        "study": "tune-digits-mlp", "recipe": "digits-mlp", "metric": "val_accuracy",
        "trials": 5, "states": {"complete": 3, "pruned": 2},
        "best": {"number": 4, "value": 0.9481481, "params": {"learning_rate": 0.0090612,
                                                                "batch_size": 16}}}))
    assert cli.main(["runs"]) == 0
    out = capsys.readouterr().out
    runs_part, studies_part = out.split("tuning studies")
    assert "digits-mlp-20250101-000000" in runs_part
    line = studies_part.strip().splitlines()[-1].split()
    assert line[:7] == ["tune-digits-mlp", "digits-mlp", "val_accuracy", "5", "3", "2",
                        "0.9481"]
    assert "learning_rate=0.00906," in line and "batch_size=16" in line


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """A real one-epoch digits-mlp run, trained in this process."""
    parent = tmp_path_factory.mktemp("runs")
    assert cli.main(["train", "digits-mlp", "--epochs", "1", "--out", str(parent),
                     "--verbose", "0"]) == 0
    return next(parent.iterdir())


def test_evaluate_predict_and_report_take_the_name_that_runs_prints(digits_run, tmp_path,
                                                                    monkeypatch, capsys):
    from dlpath.datasets import digits

    monkeypatch.setenv("DLPATH_RUNS", str(digits_run.parent))
    capsys.readouterr()
    assert cli.main(["runs"]) == 0
    name = capsys.readouterr().out.splitlines()[1].split()[0]
    assert name == digits_run.name
    (x, _), _ = digits.load_data()
    np.save(tmp_path / "two.npy", x[:2])
    for argv in (["evaluate", name], ["predict", name, str(tmp_path / "two.npy")],
                 ["report", name], ["evaluate", "digits-mlp"]):
        assert cli.main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.count("test: loss") == 2 and "report:" in out
