"""``dlpath quiz STAGE``: a stage's questions, interactively or from ``--answers FILE``.

Passing a stage's quiz verifies the skills it covers (those that name it).
"""

from __future__ import annotations

import sys

from dlpath.commands._path_common import add_language_option, language, open_store


def cmd_quiz(args) -> int:
    from rich.prompt import Prompt

    from dlpath.path.labs import quiz as quizzes
    from dlpath.path.views import terminal

    lang = language(args)
    quiz = quizzes.quiz_for(args.stage)
    sheet = quizzes.read_answer_sheet(args.answers, quiz) if args.answers else None
    if sheet is None and not sys.stdin.isatty():
        raise quizzes.QuizError({"en": "no terminal to ask in: give --answers FILE (question "
                                       "id: letter or number)",
                                 "zh": "当前没有可交互的终端：请用 --answers FILE 提供答案（题目 id: "
                                       "字母或数字）"}[lang])
    con = terminal.console()
    con.print(f"[bold]{terminal._escape(quiz.title(lang))}[/]\n{terminal._escape(quiz.task(lang))}\n")

    def answer_for(question):
        con.print(f"[bold]{question.id}[/]  {terminal._escape(question.prompt(lang))}")
        for letter, choice in zip(quizzes.LETTERS, question.choices):
            con.print(f"   {letter}. {terminal._escape(choice(lang))}")
        if sheet is not None:
            given = sheet.get(question.id)
            con.print(f"   > {given}")
        else:
            prompt = {"en": "your answer", "zh": "你的答案"}[lang]
            given = Prompt.ask("   " + prompt, console=con)
        right = given is not None and quizzes.grade(question, given)
        mark = "[green]✓[/]" if right else (
            "[red]✗[/] " + {"en": "right answer: ", "zh": "正确答案："}[lang]
            + terminal._escape(quizzes.right_answer(question, lang)))
        con.print(f"   {mark}\n   [dim]{terminal._escape(question.explanation(lang))}[/]\n")
        return given

    with open_store() as store:
        results, passed = quizzes.take(quiz, store, lang, answer_for)
    score = sum(r.right for r in results)
    verdict = ({"en": "passed", "zh": "通过"} if passed else {"en": "not passed yet",
                                                          "zh": "尚未通过"})[lang]
    con.print(f"[bold]{quiz.id}: {score}/{len(results)} — {verdict}[/] "
              f"({ {'en': 'pass mark', 'zh': '及格线'}[lang]} {quiz.pass_mark:.0%})")
    return 0 if passed else 1


def add_parser(commands, parents) -> None:
    sub = commands.add_parser("quiz", parents=parents, help="a stage's quiz",
                              description="Answer a stage's questions; passing verifies its "
                              "'can explain' skills.")
    sub.add_argument("stage", metavar="STAGE", help="a stage id or a quiz lab id")
    sub.add_argument("--answers", metavar="FILE", help="an answer sheet (YAML or JSON: "
                     "question id -> letter or number)")
    add_language_option(sub)
    sub.set_defaults(handler=cmd_quiz)
