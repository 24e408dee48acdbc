"""The README's set-up, ``dlpath`` command and listing sections say what a first user needs."""

import os
import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def section(heading: str) -> str:
    """The text from ``heading`` to the next ``## `` heading."""
    text = README.split(heading + "\n", 1)[1]
    return text.split("\n## ", 1)[0]


def sh_blocks(text: str) -> list:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_set_up_is_two_commands_and_the_path_section_stays():
    assert sh_blocks(section("## Set-up on a fresh machine")) == ["make demo", "make test"]
    assert "## Next step: the path" in README


def test_where_the_tests_find_the_data_sets_is_said_before_the_test_command():
    set_up = section("## Set-up on a fresh machine")
    before_tests = " ".join(set_up.split("```sh\nmake test")[0].split())
    for words in ("MNIST", "CIFAR-10", "IMDb", "`DLPATH_DATA`", "download cache",
                  "checksum-verified", "atomically", "offline", "which files to put in which"
                  " folder"):
        assert words in before_tests, words


def test_the_dlpath_commands_start_a_fresh_shell_and_use_an_absolute_data_path(tmp_path):
    commands = sh_blocks(section("## The `dlpath` command"))[0].splitlines()
    assert commands[0].startswith("source .venv/bin/activate")
    export = [line for line in commands if line.startswith("export DLPATH_DATA=")]
    assert len(export) == 1
    value = export[0].split("=", 1)[1].split("#")[0].strip()
    expanded = subprocess.run(["bash", "-c", f"echo {value}"], cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout.strip()
    assert os.path.isabs(expanded) and expanded.startswith(str(tmp_path))


def test_the_listing_builds_its_model_without_a_warning():
    listing = re.search(r"```python\n(import dlpath as tf.*?)```", README, re.S)[1]
    assert "input_shape" not in listing
    until_fit = listing.split("model.fit(")[0]
    result = subprocess.run([sys.executable, "-W", "error", "-c", until_fit + "model.summary()"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "Total params: 101,770" in result.stdout
