"""The benchmarks' memory helper measures what a step holds at its peak."""

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

STEP = """
import sys
sys.path.insert(0, {path!r})
import numpy as np
from harness import step_peak_mib

kept = []

def make_step():
    kept.append(np.ones({kept_mib} << 18, np.float32))  # the model: held from here on
    def step():
        temporary = np.ones({step_mib} << 18, np.float32)  # freed when the step ends
        return float(temporary.sum())
    return step

print(step_peak_mib(make_step, warmup=1))
"""


def peak_in_fresh_process(kept_mib: int, step_mib: int) -> float:
    code = STEP.format(path=str(BENCHMARKS), kept_mib=kept_mib, step_mib=step_mib)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return float(done.stdout.split()[-1])


def test_a_200_mib_temporary_raises_the_peak_by_200_mib():
    assert 190 < peak_in_fresh_process(kept_mib=0, step_mib=200) < 215


def test_the_model_counts_and_an_empty_step_adds_nothing():
    assert 45 < peak_in_fresh_process(kept_mib=50, step_mib=0) < 60
    assert peak_in_fresh_process(kept_mib=0, step_mib=0) < 8


def test_memory_script_help():
    done = subprocess.run([sys.executable, str(BENCHMARKS / "memory.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--models" in done.stdout and "transformer" in done.stdout
