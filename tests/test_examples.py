"""The engine-only example trains to the accuracy it promises."""

import runpy
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "engine_digits_mlp.py"


def test_engine_example_reaches_95_percent_on_digits():
    namespace = runpy.run_path(str(EXAMPLE))
    lines = []
    accuracy = namespace["run"](namespace["DemoConfig"](), log=lines.append)
    assert accuracy >= 0.95
    assert any(line.startswith("epoch 15/15") for line in lines)
