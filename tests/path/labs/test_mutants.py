"""Mechanical mutants of every code lab's reference solution fail its checks far more often
than not (benchmarks/lab_mutants.py prints the table with the survivors)."""

import pytest

from dlpath.path.labs import catalog, mutants

CODE_LABS = [lab.id for lab in catalog.definitions().values() if lab.kind == "code"]


def test_mutants_change_one_thing_each():
    source = "def f(x):\n    return 2 * x + 1\n"
    found = mutants.mutants(source, ["f"])
    assert len(found) >= 4
    assert len({m.source for m in found}) == len(found)
    assert all(m.source != source for m in found)


@pytest.mark.parametrize("lab_id", CODE_LABS)
def test_the_checks_catch_most_mutants(lab_id):
    killed, total, survivors = mutants.kill_rate(catalog.get(lab_id), limit=40)
    assert total >= 8, f"{lab_id}: too few mutation sites to measure"
    assert killed / total >= 0.85, f"{lab_id}: {killed}/{total}; survivors: {survivors}"
