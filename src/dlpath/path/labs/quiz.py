"""Quizzes: a stage's questions, asked one by one or read from an answer sheet.

Choice questions are answered with a letter (A, B, ...), numeric ones with a number, which
is right within the question's tolerance. Each answer is followed by its explanation. A quiz
passes when the share of right answers reaches its ``pass_mark``; the attempt is recorded,
and a passed quiz verifies the skills that name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from dlpath.path.labs import catalog

LETTERS = "ABCDEFGHIJ"


class QuizError(ValueError):
    pass


@dataclass
class Answered:
    question: str
    given: object
    right: bool
    explanation: str


def quiz_for(name: str):
    """The quiz lab for a stage id or a quiz lab id."""
    labs = catalog.definitions()
    for candidate in (name, f"quiz-{name}"):
        if candidate in labs and labs[candidate].kind == "quiz":
            return labs[candidate]
    quizzes = [lab_id for lab_id, lab in labs.items() if lab.kind == "quiz"]
    stages = [q.removeprefix("quiz-") for q in quizzes]
    from dlpath.path.roadmap import unknown_id

    raise unknown_id("quiz", name, stages + quizzes)


def grade(question, answer) -> bool:
    if question.kind == "choice":
        text = str(answer).strip().upper()
        return len(text) == 1 and LETTERS.find(text) == int(question.answer)
    try:
        value = float(str(answer).strip())
    except ValueError:
        return False
    return abs(value - float(question.answer)) <= question.tolerance + 1e-9 * abs(
        float(question.answer))


def right_answer(question, lang: str) -> str:
    if question.kind == "choice":
        index = int(question.answer)
        return f"{LETTERS[index]}. {question.choices[index](lang)}"
    return f"{question.answer:g}"


def read_answer_sheet(path: Path, quiz) -> dict:
    """A YAML or JSON mapping of question id -> answer; unknown ids are an error."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise QuizError(f"{path}: cannot read the answer sheet: {error}") from None
    if not isinstance(data, dict):
        raise QuizError(f"{path}: expected a mapping of question id to answer, got "
                        f"{type(data).__name__}")
    ids = [q.id for q in quiz.questions]
    unknown = [key for key in data if key not in ids]
    if unknown:
        raise QuizError(f"{path}: no question {', '.join(map(str, unknown))} in {quiz.id}; "
                        f"its questions are {', '.join(ids)}")
    return data


def take(quiz, store, lang: str, answer_for) -> tuple[list[Answered], bool]:
    """Ask every question through ``answer_for(question) -> answer``; record the attempt."""
    results = []
    for question in quiz.questions:
        given = answer_for(question)
        right = given is not None and grade(question, given)
        results.append(Answered(question.id, given, right, question.explanation(lang)))
    score = sum(r.right for r in results) / len(results)
    passed = score >= quiz.pass_mark
    wrong = [r.question for r in results if not r.right]
    store.record(quiz.id, "quiz", passed, "all" if passed else "score",
                 f"{sum(r.right for r in results)}/{len(results)}"
                 + (f"; wrong: {', '.join(wrong)}" if wrong else ""))
    return results, passed
