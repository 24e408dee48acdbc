"""dlpath tune: an Optuna search over a recipe, stored, resumable, pruned, reported."""

import re

import optuna
import pytest

from dlpath import cli
from dlpath.recipes import get_recipe
from dlpath.tuning import OptunaPruningCallback, default_search_space, tune


class AlwaysPrune(optuna.pruners.BasePruner):
    def prune(self, study, trial):
        return True


def test_tune_digits_stores_resumes_and_reports(tmp_path, capsys):
    argv = ["tune", "digits-mlp", "--trials", "3", "--epochs", "2", "--out", str(tmp_path)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    database = tmp_path / "tune-digits-mlp.db"
    assert database.is_file()
    assert "maximizing val_accuracy" in out
    assert "best trial" in out and "learning_rate=" in out and "batch_size=" in out
    report = tmp_path / "tune-digits-mlp"
    for name in ("report.html", "optimization_history.png", "best.json"):
        assert (report / name).is_file()

    # Running again with the same settings (the default seed spelled out) adds trials.
    assert cli.main(argv[:3] + ["1"] + argv[4:] + ["--set", "seed=0"]) == 0
    study = optuna.load_study(study_name="tune-digits-mlp",
                              storage=f"sqlite:///{database}")
    assert len(study.trials) == 4
    assert 0.0 < study.best_value <= 1.0


def test_resuming_a_study_with_other_settings_is_refused(tmp_path, capsys):
    storage = ["--storage", f"sqlite:///{tmp_path / 'shared.db'}", "--out", str(tmp_path)]
    base = ["tune", "digits-mlp", "--trials", "1", *storage]
    assert cli.main(base + ["--epochs", "1"]) == 0
    capsys.readouterr()
    assert cli.main(base + ["--epochs", "2"]) == 2
    error = capsys.readouterr().err
    assert "was run with epochs=1" in error and "asks for epochs=2" in error
    assert "--study-name" in error
    # A new study name is a new search; another recipe under the same name is refused.
    assert cli.main(base + ["--epochs", "2", "--study-name", "longer"]) == 0
    assert cli.main(["tune", "mnist-mlp", "--trials", "1", "--study-name", "longer",
                     *storage]) == 2
    assert "searches recipe 'digits-mlp', not 'mnist-mlp'" in capsys.readouterr().err


def test_printed_values_are_rounded(tmp_path, capsys):
    assert cli.main(["tune", "digits-mlp", "--trials", "2", "--epochs", "1", "--out",
                     str(tmp_path)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith(("trial ", "best trial"))]
    assert len(lines) == 3
    for line in lines:
        for number in re.findall(r"\d+\.\d+(?:e-?\d+)?", line):
            digits = number.split("e")[0].replace(".", "").lstrip("0")
            assert len(digits) <= 4, line


def test_studies_are_listed_by_dlpath_runs_and_reported_like_runs(tmp_path, capsys):
    assert cli.main(["tune", "digits-mlp", "--trials", "2", "--epochs", "1", "--out",
                     str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["runs", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "tuning studies" in out
    row = out.strip().splitlines()[-1].split()
    assert row[:4] == ["tune-digits-mlp", "digits-mlp", "val_accuracy", "2"]

    from dlpath.reports import html

    page = (tmp_path / "tune-digits-mlp" / "report.html").read_text()
    assert html._STYLE in page  # the run report's stylesheet
    assert 'src="data:image/png;base64,' in page and 'src="optimization_history' not in page
    assert "best val_accuracy" in page and "Trials (2)" in page


def test_a_pruner_that_always_prunes_stops_every_trial_after_its_first_epoch(tmp_path):
    storage = f"sqlite:///{tmp_path / 'pruned.db'}"
    study = tune(get_recipe("digits-mlp"), trials=2, storage=storage, study_name="pruned",
                 fixed={"epochs": 3}, pruner=AlwaysPrune(), log=lambda *a: None)
    states = [trial.state for trial in study.trials]
    assert states == [optuna.trial.TrialState.PRUNED] * 2
    # Each trial reported one epoch's validation accuracy before it was pruned.
    assert [list(t.intermediate_values) for t in study.trials] == [[0], [0]]


def test_the_pruning_callback_reports_and_raises():
    study = optuna.create_study(direction="maximize", pruner=AlwaysPrune())
    trial = study.ask()
    callback = OptunaPruningCallback(trial)
    with pytest.raises(optuna.TrialPruned):
        callback.on_epoch_end(0, {"val_accuracy": 0.5})
    assert callback.best == 0.5
    with pytest.raises(KeyError, match="val_accuracy"):
        callback.on_epoch_end(1, {"loss": 0.1})


def test_default_search_space_draws_learning_rate_and_batch_size():
    trial = optuna.trial.FixedTrial({"learning_rate": 0.003, "batch_size": 64})
    assert default_search_space(trial) == {"learning_rate": 0.003, "batch_size": 64}


def test_unknown_recipe_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["tune", "no-such-recipe", "--trials", "1", "--out", str(tmp_path)]) == 2
    assert "unknown recipe" in capsys.readouterr().err


def test_a_recipe_without_validation_accuracy_cannot_be_tuned(tmp_path, capsys):
    assert cli.main(["tune", "mnist-gan", "--trials", "1", "--out", str(tmp_path)]) == 2
    assert "cannot be tuned" in capsys.readouterr().err
