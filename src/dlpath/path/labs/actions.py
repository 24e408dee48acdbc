"""What a learner does with a lab — start, check, hint, solution — for every view.

The terminal commands and the Jupyter API call these; each records what happened in the
progress store, from which all states are derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dlpath.path.labs import catalog, runner, skeleton

DEFAULT_DIR = Path("dlpath-labs")
FAILURES_BEFORE_SOLUTION = 3


class LabError(RuntimeError):
    """A lab action that cannot be done (the message says why, in the learner's language)."""


def lab_path(lab, folder: Path | None = None) -> Path:
    return Path(folder or DEFAULT_DIR) / f"{lab.module_name}.py"


@dataclass
class Started:
    path: Path
    created: bool  # False: the file was there and was kept


def start(lab_id: str, store, lang: str, folder: Path | None = None) -> Started:
    """Write the lab's skeleton to ``folder/<lab>.py``; an existing file is never touched."""
    lab = catalog.get(lab_id)
    if lab.kind in ("quiz", "project"):
        raise LabError(_TEXT["no_file"][lang].format(id=lab.id, kind=lab.kind))
    path = lab_path(lab, folder)
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(skeleton.lab_file(lab, lang), encoding="utf-8")
        tmp.replace(path)
    store.record(lab.id, "start", False, digest=runner.digest_of(path))
    return Started(path, created)


def check(lab_id: str | None, store, lang: str, folder: Path | None = None,
          subject: Path | None = None) -> runner.CheckReport:
    """Run the lab's checks on the learner's file (or the model ``subject`` of a project lab)
    and record the attempt."""
    lab_id = lab_id or store.last_started()
    if lab_id is None:
        raise LabError(_TEXT["which_lab"][lang])
    lab = catalog.get(lab_id)
    if lab.kind == "quiz":
        raise LabError(_TEXT["quiz"][lang].format(id=lab.id))
    if lab.kind == "project":
        if subject is None:
            raise LabError(_TEXT["need_model"][lang].format(id=lab.id))
        path = Path(subject)
    else:
        path = Path(subject) if subject is not None else lab_path(lab, folder)
    if not path.exists():
        raise LabError(_TEXT["missing"][lang].format(path=path, id=lab.id))
    report = runner.run_checks(lab, path)
    store.record(lab.id, "check", report.passed, report.failed_check() or "all",
                 report.failure(lang), report.digest)
    return report


def hint(lab_id: str, store, lang: str) -> tuple[int, int, str]:
    """The next hint: ``(number, count, text)``; after the last one, the last again."""
    lab = catalog.get(lab_id)
    if not lab.hints:
        raise LabError(_TEXT["no_hints"][lang].format(id=lab.id))
    shown = len(store.attempts(lab.id, kinds=("hint",)))
    index = min(shown, len(lab.hints) - 1)
    store.record(lab.id, "hint", False, message=str(index + 1))
    return index + 1, len(lab.hints), lab.hints[index](lang)


def solution(lab_id: str, store, lang: str, force: bool = False) -> str:
    """The solved lab file, once the lab has passed or failed three times (or ``force``)."""
    lab = catalog.get(lab_id)
    if lab.kind in ("quiz", "project"):
        raise LabError(_TEXT["no_solution"][lang].format(id=lab.id, kind=lab.kind))
    checked = store.attempts(lab.id, kinds=("check",))
    passed = any(a.passed for a in checked)
    failures = sum(not a.passed for a in checked)
    if not (passed or failures >= FAILURES_BEFORE_SOLUTION or force):
        raise LabError(_TEXT["solution_locked"][lang].format(
            id=lab.id, failures=failures, needed=FAILURES_BEFORE_SOLUTION))
    store.record(lab.id, "solution", False, message="forced" if force and not passed else "")
    return skeleton.lab_file(lab, lang, solved=True)


_TEXT = {
    "which_lab": {"en": "which lab? No lab was started yet: dlpath lab start LAB",
                  "zh": "要检查哪个实验？还没有开始任何实验：dlpath lab start LAB"},
    "missing": {"en": "{path} does not exist: write it first with 'dlpath lab start {id}'",
                "zh": "{path} 不存在：请先用 'dlpath lab start {id}' 生成它"},
    "need_model": {"en": "{id} checks a trained model: dlpath lab check {id} --model "
                         "MODEL.keras_OR_RUN_DIR",
                   "zh": "{id} 检查的是训练好的模型：dlpath lab check {id} --model "
                         "MODEL.keras 或运行目录"},
    "quiz": {"en": "{id} is a quiz: answer it with 'dlpath quiz {id}'",
             "zh": "{id} 是测验：请用 'dlpath quiz {id}' 作答"},
    "no_file": {"en": "{id} is a {kind} lab and has no file to start; see 'dlpath lab list'",
                "zh": "{id} 是 {kind} 类实验，没有要生成的文件；见 'dlpath lab list'"},
    "no_hints": {"en": "{id} has no hints", "zh": "{id} 没有提示"},
    "no_solution": {"en": "{id} is a {kind} lab: it has no single solution file",
                    "zh": "{id} 是 {kind} 类实验，没有唯一的参考答案文件"},
    "solution_locked": {
        "en": "the solution of {id} opens once the lab has passed or after {needed} failed "
              "checks ({failures} so far); --force shows it now and records that it was seen",
        "zh": "{id} 的参考答案在实验通过后、或失败 {needed} 次后开放（目前 {failures} 次）；"
              "--force 可立即查看，并会记录你看过答案"},
}
