"""README shows the path and a first lab as the learner's next steps after the demo."""

import shlex
from pathlib import Path

from dlpath.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_path_and_a_first_lab_follow_make_demo():
    text = README.read_text(encoding="utf-8")
    demo = text.index("make demo")
    for command in ("dlpath path", "dlpath lab start activations", "dlpath lab check",
                    "dlpath progress"):
        assert demo < text.index(command), command


def test_every_path_command_in_the_readme_parses():
    parser = build_parser()
    text = README.read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for line in text.splitlines()
                if line.startswith(("dlpath path", "dlpath lab", "dlpath quiz",
                                    "dlpath progress"))]
    assert len(commands) >= 8
    for command in commands:
        args = parser.parse_args(shlex.split(command)[1:])
        assert args.handler is not None, command
