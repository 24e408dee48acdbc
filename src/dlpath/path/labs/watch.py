"""``dlpath lab watch``: check the lab file on every save; when it passes, start the next
lab of the learner's track and watch that one (rustlings' loop, with dlpath's checks)."""

from __future__ import annotations

import sys
from pathlib import Path

from dlpath.path.labs import actions, catalog


def _say(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _signature(path: Path):
    """What a save changes: size, modification time and content."""
    try:
        return path.stat().st_size, path.stat().st_mtime_ns, path.read_bytes()
    except OSError:
        return None


def _wait_for_change(path: Path, checked) -> None:
    """Block until ``path`` differs from what was checked. File events wake it at once; it
    also looks every half second, so a save made just before the watcher started (or an
    event lost by an editor's rename) is not missed."""
    import watchfiles

    for _ in watchfiles.watch(path.parent, debounce=200, step=50, rust_timeout=500,
                              yield_on_timeout=True):
        current = _signature(path)
        if current is not None and current != checked:
            return


def watch(lab_id: str | None, store, lang: str, folder: Path | None = None,
          role: str | None = None, stop_after: int | None = None) -> int:
    """Watch until interrupted (or ``stop_after`` checks, for tests); returns 0."""
    from dlpath.commands.lab import print_report
    from dlpath.path.labs.order import next_lab
    from dlpath.path.progress.states import lab_states
    from dlpath.path.roadmap import load_roadmap

    if lab_id is None:
        raise actions.LabError(_say(lang, "which lab? start one: dlpath lab start LAB",
                                    "要监视哪个实验？先开始一个：dlpath lab start LAB"))
    checks = 0
    while lab_id is not None:
        lab = catalog.get(lab_id)
        path = actions.start(lab.id, store, lang, folder).path
        print(_say(lang, f"watching {path} (Ctrl-C to stop)", f"正在监视 {path}（Ctrl-C 退出）"),
              flush=True)
        checked = _signature(path)  # before the check: a save during it is a change
        report = actions.check(lab.id, store, lang, folder)
        checks += 1
        print_report(report, lang)
        sys.stdout.flush()
        while not report.passed:
            if stop_after is not None and checks >= stop_after:
                return 0
            _wait_for_change(path, checked)
            checked = _signature(path)
            report = actions.check(lab.id, store, lang, folder)
            checks += 1
            print_report(report, lang)
            sys.stdout.flush()
        if stop_after is not None and checks >= stop_after:
            return 0
        states = lab_states(store.attempts(), catalog.lab_ids())
        lab_id = next_lab(load_roadmap(), states, lab.id, role)
        if lab_id:
            print(_say(lang, f"next lab: {lab_id}", f"下一个实验：{lab_id}"), flush=True)
    print(_say(lang, "every lab of the track has passed", "本方向的所有实验都已通过"))
    return 0
