"""The progress store: attempts recorded, states derived, concurrent writers, bad files."""

import hashlib
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from dlpath.path.progress import ProgressError, ProgressStore
from dlpath.path.progress.states import lab_states, needed_labs, skill_states
from dlpath.path.schema import Skill, Text


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_attempts_are_recorded_in_order_with_their_fields(tmp_path):
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:
        store.record("softmax", "start", False)
        store.record("softmax", "check", False, "overflow", "returned nan", "abc")
        store.record("softmax", "check", True, "all", "", "def")
        rows = store.attempts("softmax")
    assert [(r.kind, r.passed, r.check_name) for r in rows] == [
        ("start", False, ""), ("check", False, "overflow"), ("check", True, "all")]
    assert rows[1].message == "returned nan" and rows[2].digest == "def"
    assert rows[0].at < rows[2].at or rows[0].at == rows[2].at


def test_the_store_reopens_with_its_attempts_and_uses_wal(tmp_path):
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path) as store:
        store.record("adam", "check", True, "all")
    with ProgressStore.open(path) as store:
        assert [a.lab for a in store.attempts()] == ["adam"]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_dlpath_home_chooses_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_HOME", str(tmp_path / "home"))
    with ProgressStore.open() as store:
        assert store.path == tmp_path / "home" / "progress.sqlite3"


def test_an_unknown_attempt_kind_is_refused(tmp_path):
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:
        with pytest.raises(ValueError, match="kind"):
            store.record("adam", "ticked", True)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore.open(path).close()
    writer = textwrap.dedent(f"""
        import sys
        from dlpath.path.progress import ProgressStore
        store = ProgressStore.open({str(path)!r})
        for i in range(200):
            store.record(f"lab-{{sys.argv[1]}}", "check", i % 2 == 0, str(i))
    """)
    processes = [subprocess.Popen([sys.executable, "-c", writer, str(n)]) for n in range(2)]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    with ProgressStore.open(path) as store:
        rows = store.attempts()
    assert len(rows) == 400
    for n in range(2):
        assert sorted(int(r.check_name) for r in rows if r.lab == f"lab-{n}") == list(range(200))


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"my notes, not a database\n" * 100)
    before = _sha(path)
    with pytest.raises(ProgressError, match="not a dlpath progress database"):
        ProgressStore.open(path)
    assert _sha(path) == before


def test_a_damaged_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with ProgressStore.open(path) as store:
        for i in range(300):
            store.record("lab", "check", True, "x" * 200)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 997):  # scribble over the b-tree pages
        data[offset:offset + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(ProgressError, match="damaged"):
        ProgressStore.open(path)
    assert _sha(path) == before


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (name TEXT)")
    db.commit()
    db.close()
    before = _sha(path)
    with pytest.raises(ProgressError, match="another program"):
        ProgressStore.open(path)
    assert _sha(path) == before


# ---------------------------------------------------------------------- derived states
class _Attempt:
    def __init__(self, lab, kind, passed, at="2026-01-01T00:00:00", check="all"):
        self.lab, self.kind, self.passed, self.at = lab, kind, passed, at
        self.check_name, self.message = check, ""


def _skill(labs, depth):
    text = Text(en="x", zh="x")
    return Skill(id="s", title=text, text=text, depth=depth, labs=labs)


def test_lab_states_come_from_attempts_only():
    attempts = [_Attempt("a", "start", False), _Attempt("b", "check", False),
                _Attempt("c", "check", False), _Attempt("c", "check", True, "t2"),
                _Attempt("d", "hint", False), _Attempt("d", "solution", False)]
    states = lab_states(attempts, ["a", "b", "c", "d", "e"])
    assert {k: v.state for k, v in states.items()} == {
        "a": "started", "b": "failed", "c": "passed", "d": "not-started", "e": "not-started"}
    assert states["c"].tries == 2 and states["c"].failures == 1 and states["c"].passed_at == "t2"


def test_a_role_needs_the_labs_up_to_its_depth():
    kinds = {"quiz-x": "quiz", "code-x": "code", "project-x": "project"}
    skill = _skill(["code-x", "quiz-x", "project-x"],
                   {"product-manager": "explain", "algorithm-engineer": "implement",
                    "ml-engineer": "ship", "data-scientist": "aware"})
    assert needed_labs(skill, kinds, "product-manager") == ("quiz-x",)
    assert needed_labs(skill, kinds, "algorithm-engineer") == ("code-x", "quiz-x")
    assert needed_labs(skill, kinds, "ml-engineer") == ("code-x", "quiz-x", "project-x")
    assert needed_labs(skill, kinds, "data-scientist") == ("quiz-x",)  # the shallowest
    assert needed_labs(skill, kinds, None) == ("code-x", "quiz-x", "project-x")


def test_a_skill_is_verified_when_every_lab_it_needs_passed():
    class Roadmap:
        skills = {"s": _skill(["code-x", "quiz-x"], {"product-manager": "explain",
                                                     "algorithm-engineer": "implement"})}

    kinds = {"quiz-x": "quiz", "code-x": "code"}
    attempts = [_Attempt("quiz-x", "quiz", True, "t1"), _Attempt("code-x", "check", False)]
    labs = lab_states(attempts, kinds)
    assert skill_states(Roadmap, labs, kinds, "product-manager")["s"].state == "verified"
    assert skill_states(Roadmap, labs, kinds, "algorithm-engineer")["s"].state == "in-progress"
    assert skill_states(Roadmap, lab_states([], kinds), kinds)["s"].state == "not-started"
