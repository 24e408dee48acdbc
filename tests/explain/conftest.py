"""One digits-mlp run, trained for one epoch (a few seconds), shared by the explain tests."""

from __future__ import annotations

import pytest

from dlpath import cli
from dlpath.workflow import RunFolder


@pytest.fixture(scope="session")
def digits_run(tmp_path_factory) -> RunFolder:
    parent = tmp_path_factory.mktemp("runs")
    assert cli.main(["train", "digits-mlp", "--epochs", "1", "--out", str(parent),
                     "--verbose", "0"]) == 0
    return RunFolder(next(parent.iterdir()))
