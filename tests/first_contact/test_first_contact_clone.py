"""A fresh clone outside the project's folder layout: ``make demo``, then the README's
``dlpath`` commands as written, in a new shell (only ``DLPATH_DATA`` points at the test
data)."""

import os
import re
import shlex
import shutil
import site
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_DATA = Path(os.environ["DLPATH_DATA"])  # tests/conftest.py sets it


def git(*args, cwd=REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def working_tree_files() -> list:
    """Tracked and untracked, not ignored, files: the tree as it will be once committed."""
    names = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    return [name for name in names if name and (REPO / name).is_file()]


def make_venv(clone: Path) -> None:
    """The ``.venv`` that ``make demo``'s ``pip install -e .`` makes, without the network:
    the clone's ``src`` first, then the packages this interpreter has, and the
    ``dlpath`` console script."""
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = next(venv.glob("lib/python*/site-packages"))
    (packages / "dlpath-clone.pth").write_text(
        "\n".join([str(clone / "src"), *site.getsitepackages()]) + "\n")
    script = venv / "bin" / "dlpath"
    script.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom dlpath.cli import main"
                      f"\nif __name__ == '__main__':\n    sys.exit(main())\n")
    script.chmod(0o755)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    where = tmp_path_factory.mktemp("elsewhere") / "dlpath"
    git("clone", "-q", str(REPO), str(where))
    # The clone holds the last commit; lay the working tree over it (files deleted there go).
    keep = set(working_tree_files())
    for name in git("ls-files", "-z", cwd=where).split("\0"):
        if name and name not in keep:
            (where / name).unlink(missing_ok=True)
    for name in keep:
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, where / name)
    make_venv(where)
    found = subprocess.run([str(where / ".venv" / "bin" / "python"), "-c",
                            "import dlpath; print(dlpath.__file__)"], check=True,
                           capture_output=True, text=True, env=fresh_shell_env(where))
    assert found.stdout.startswith(str(where / "src")), found.stdout
    return where


def fresh_shell_env(home: Path) -> dict:
    """A new login's environment: no virtual environment, no dlpath variables."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DLPATH_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PATH="/usr/local/bin:/usr/bin:/bin", HOME=str(home), DLPATH_OFFLINE="1")
    return env


def readme_block(readme: str, heading: str) -> str:
    """The first ``sh`` block under ``heading``."""
    section = readme.split(heading, 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S)[1]


def test_make_demo_then_the_readme_commands_work_as_written(clone, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = fresh_shell_env(home)
    # make demo, without its install step (done above, by hand).
    demo = subprocess.run(["make", "-o", "install", "demo"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert list((clone / "runs").glob("digits-mlp-*/report.html"))
    assert shutil.which("dlpath", path=env["PATH"]) is None  # hence `source .venv/...`

    # The user's own inputs for `dlpath predict`: an image file and an array of images.
    from dlpath.datasets import mnist
    from matplotlib.image import imsave

    (_, _), (x_test, _) = mnist.load_data(TEST_DATA / "mnist")
    imsave(clone / "digit.png", x_test[0], cmap="gray", vmin=0, vmax=255)
    np.save(clone / "sample.npy", x_test[1:4])

    commands = readme_block((clone / "README.md").read_text(), "## The `dlpath` command")
    assert commands.startswith("source .venv/bin/activate")
    commands, count = re.subn(r"^export DLPATH_DATA=\S+",
                              f"export DLPATH_DATA={shlex.quote(str(TEST_DATA))}", commands,
                              flags=re.M)
    assert count == 1
    result = subprocess.run(["bash", "-e", "-c", commands], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=600)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    assert re.search(r"^dlpath \d+\.\d+", out, re.M)
    assert re.search(r"run folder: runs/mnist-mlp-\d{8}-\d{6}", out)
    assert out.count("test: loss") == 3  # train, evaluate, resume
    assert re.search(r"^digit\.png\s+\d\s+[01]\.\d{4}$", out, re.M)
    assert len(re.findall(r"^sample\.npy\[\d\]\s+\d", out, re.M)) == 3
    assert "resuming runs/mnist-mlp-" in out and "maximizing val_accuracy" in out
    run = next((clone / "runs").glob("mnist-mlp-*"))
    assert len((run / "metrics.csv").read_text().splitlines()) == 3  # header, 2 epochs
    assert (clone / "runs" / "tune-digits-mlp" / "report.html").is_file()
