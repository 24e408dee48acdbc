"""The ``dlpath`` command: help, recipes, MNIST slices, and its errors and exit codes."""

import json

import pytest

from workflow.cli_run import dlpath, only_run


def test_no_arguments_prints_help_and_exits_2():
    result = dlpath()
    assert result.returncode == 2
    assert "train" in result.stderr and "recipes" in result.stderr


@pytest.mark.parametrize("command", ["recipes", "train", "evaluate", "predict", "runs",
                                     "report", "tune"])
def test_every_command_has_help(command):
    result = dlpath(command, "--help")
    assert result.returncode == 0 and "usage: dlpath" in result.stdout


def test_version_prints_the_package_version():
    from dlpath import __version__

    result = dlpath("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"dlpath {__version__}"


def test_runs_sort_by_an_unknown_column_is_a_usage_error(tmp_path):
    result = dlpath("runs", "--dir", tmp_path, "--sort", "NONSENSE")
    assert result.returncode == 2
    assert "cannot sort by 'NONSENSE'" in result.stderr and "test_accuracy" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_run_name_says_where_it_was_looked_for(tmp_path):
    result = dlpath("evaluate", "no-such-run", env={"DLPATH_RUNS": str(tmp_path)})
    assert result.returncode == 1
    assert "no run 'no-such-run'" in result.stderr and str(tmp_path) in result.stderr


def test_recipes_lists_names_data_sets_and_expected_accuracy():
    result = dlpath("recipes")
    assert result.returncode == 0
    assert "digits-mlp" in result.stdout and "mnist-cnn" in result.stdout
    assert "accuracy >= 0.985" in result.stdout


def test_unknown_recipe_is_a_usage_error_listing_the_recipes(tmp_path):
    result = dlpath("train", "no-such-recipe", "--out", tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "known recipes" in result.stderr and "digits-mlp" in result.stderr


@pytest.mark.parametrize("setting, message", [
    ("colour=blue", "has no setting 'colour'"),
    ("epochs=many", "setting 'epochs' expects an int, got 'many'"),
    ("learning_rate=fast", "setting 'learning_rate' expects a float"),
    ("epochs", "expects key=value"),
])
def test_bad_set_value_is_a_usage_error(tmp_path, setting, message):
    result = dlpath("train", "digits-mlp", "--set", setting, "--out", tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_data_set_exits_1_with_the_data_set_message(tmp_path):
    env = {"DLPATH_DATA": str(tmp_path), "DLPATH_CACHE": str(tmp_path / "cache"),
           "DLPATH_OFFLINE": "1"}
    result = dlpath("train", "mnist-mlp", "--out", tmp_path / "runs", env=env)
    assert result.returncode == 1
    assert "No MNIST data file found" in result.stderr and "DLPATH_DATA" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("recipe", ["mnist-mlp", "mnist-cnn"])
def test_mnist_recipes_train_on_a_slice(tmp_path, recipe):
    result = dlpath("train", recipe, "--set", "train_limit=256", "--set", "eval_limit=500",
                    "--epochs", 1, "--batch-size", 32, "--verbose", 0,
                    env={"DLPATH_RUNS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    run = only_run(tmp_path)
    saved = json.loads((run / "config.json").read_text())
    assert saved["data"]["sizes"] == {"train": 256, "validation": 500, "test": 500}
    assert json.loads((run / "test_metrics.json").read_text())["accuracy"] > 0.15
    assert (run / "report.html").stat().st_size > 10_000
