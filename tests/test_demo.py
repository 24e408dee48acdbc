"""The offline demo trains an MLP on digits to the promised accuracy."""

from dlpath.demo import DemoConfig, run


def test_demo_reaches_95_percent_test_accuracy_on_digits():
    lines = []
    accuracy = run(DemoConfig(), log=lines.append)
    assert accuracy >= 0.95
    assert any(line.startswith("epoch 15/15") for line in lines)
    assert "loss" in lines[1] and "accuracy" in lines[1]
