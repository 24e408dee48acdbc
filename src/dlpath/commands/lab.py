"""``dlpath lab``: list, start, check, hint, solution, watch and notebook.

    dlpath lab list [--stage S] [--role R] [--json]
    dlpath lab start LAB [--dir DIR]
    dlpath lab check [LAB] [--dir DIR] [--model FILE_OR_RUN_DIR]
    dlpath lab hint LAB
    dlpath lab solution LAB [--force]
    dlpath lab watch [LAB] [--dir DIR]
    dlpath lab notebook STAGE [--out FILE.ipynb] [--solved]

``check`` exits 0 when every check passed and 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dlpath.commands._path_common import (add_language_option, add_role_option, language,
                                          open_store)


def _labs_table(args, store) -> list[dict]:
    from dlpath.path.labs import catalog
    from dlpath.path.labs.order import labs_in_order
    from dlpath.path.progress.states import lab_states
    from dlpath.path.roadmap import load_roadmap

    roadmap = load_roadmap()
    if args.stage:
        roadmap.stage(args.stage)
    lang = language(args)
    states = lab_states(store.attempts(), catalog.lab_ids())
    rows = []
    for lab_id in labs_in_order(roadmap, args.role):
        lab = catalog.get(lab_id)
        if args.stage and lab.stage != args.stage:
            continue
        rows.append({"id": lab.id, "kind": lab.kind, "stage": lab.stage,
                     "state": states[lab.id].state, "title": lab.title(lang),
                     "tries": states[lab.id].tries,
                     "skills": roadmap.skills_verified_by(lab.id)})
    return rows


def cmd_list(args, store) -> int:
    from rich.table import Table

    from dlpath.path.views import terminal

    rows = _labs_table(args, store)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    lang = language(args)
    table = Table(box=None, padding=(0, 2))
    for key in ("lab", "title", "kind", "stage", "state", "tries"):
        table.add_column(terminal.say(key, lang))
    for row in rows:
        table.add_row(row["id"], terminal._escape(row["title"]),
                      terminal.say(row["kind"], lang), row["stage"],
                      terminal._state(lang, row["state"]), str(row["tries"]))
    terminal.console().print(table)
    return 0


def cmd_start(args, store) -> int:
    from dlpath.path.labs import actions

    lang = language(args)
    started = actions.start(args.lab, store, lang, _folder(args))
    if started.created:
        print({"en": f"wrote {started.path}: fill in the functions, then run "
                     f"'dlpath lab check {args.lab}'",
               "zh": f"已写入 {started.path}：补全其中的函数，然后运行 "
                     f"'dlpath lab check {args.lab}'"}[lang])
    else:
        print({"en": f"{started.path} already exists: kept your work as it is",
               "zh": f"{started.path} 已存在：保留你的代码，不做改动"}[lang])
    return 0


def print_report(report, lang: str, out=None) -> None:
    from dlpath.path.views import terminal

    con = terminal.console(out)
    for check in report.checks:
        mark = "[green]✓[/]" if check["passed"] else "[red]✗[/]"
        con.print(f"{mark} [bold]{check['name']}[/]: {terminal._escape(check['message'][lang])}")
    if not report.passed and report.output.strip():
        title = {"en": "your code printed", "zh": "你的代码输出了"}[lang]
        con.print(f"[dim]{title}:[/]\n[dim]{terminal._escape(report.output.strip()[:1000])}[/]")
    verdict = {True: {"en": f"{report.lab}: passed", "zh": f"{report.lab}：通过"},
               False: {"en": f"{report.lab}: not passed yet", "zh": f"{report.lab}：尚未通过"}}
    con.print(("[bold green]" if report.passed else "[bold red]")
              + verdict[report.passed][lang] + "[/]")


def cmd_check(args, store) -> int:
    from dlpath.path.labs import actions

    lang = language(args)
    report = actions.check(args.lab, store, lang, _folder(args),
                           Path(args.model) if args.model else None)
    print_report(report, lang)
    return 0 if report.passed else 1


def cmd_hint(args, store) -> int:
    from dlpath.path.labs import actions

    lang = language(args)
    number, count, text = actions.hint(args.lab, store, lang)
    print({"en": f"hint {number}/{count}: ", "zh": f"提示 {number}/{count}："}[lang] + text)
    return 0


def cmd_solution(args, store) -> int:
    from dlpath.path.labs import actions

    print(actions.solution(args.lab, store, language(args), force=args.force), end="")
    return 0


def cmd_watch(args, store) -> int:
    from dlpath.path.labs.watch import watch

    return watch(args.lab or store.last_started(), store, language(args), _folder(args),
                 role=args.role)


def cmd_notebook(args, store) -> int:
    from dlpath.path.labs.notebooks import write_notebook

    lang = language(args)
    out = Path(args.out or f"dlpath-{args.stage}.ipynb")
    write_notebook(args.stage, lang, out, solved=args.solved)
    print({"en": f"wrote {out}", "zh": f"已写入 {out}"}[lang])
    return 0


def _folder(args) -> Path | None:
    return Path(args.dir) if getattr(args, "dir", None) else None


def cmd_lab(args) -> int:
    handlers = {"list": cmd_list, "start": cmd_start, "check": cmd_check, "hint": cmd_hint,
                "solution": cmd_solution, "watch": cmd_watch, "notebook": cmd_notebook}
    if args.lab_action is None:
        args.stage = args.role = None
        args.json = False
        args.lab_action = "list"
    with open_store() as store:
        return handlers[args.lab_action](args, store)


def add_parser(commands, parents) -> None:
    sub = commands.add_parser("lab", parents=parents, help="labs: exercises that verify skills",
                              description="Labs verify the path's skills by running your "
                              "code. Progress is recorded only when the checks pass.")
    add_language_option(sub)
    sub.set_defaults(handler=cmd_lab)
    actions = sub.add_subparsers(dest="lab_action", metavar="ACTION")

    def action(name, help_text):
        parser = actions.add_parser(name, parents=parents, help=help_text)
        add_language_option(parser, nested=True)
        return parser

    p = action("list", "every lab with its stage, kind and your state")
    p.add_argument("--stage", metavar="STAGE")
    add_role_option(p)
    p.add_argument("--json", action="store_true")
    p = action("start", "write a lab's exercise file")
    p.add_argument("lab", metavar="LAB")
    p.add_argument("--dir", metavar="DIR", help="workspace (default ./dlpath-labs)")
    p = action("check", "run a lab's checks on your file (or model)")
    p.add_argument("lab", metavar="LAB", nargs="?", help="default: the lab started last")
    p.add_argument("--dir", metavar="DIR", help="workspace (default ./dlpath-labs)")
    p.add_argument("--model", metavar="FILE_OR_RUN_DIR", help="project labs: the model")
    p = action("hint", "the next hint")
    p.add_argument("lab", metavar="LAB")
    p = action("solution", "the reference solution (after passing or three failures)")
    p.add_argument("lab", metavar="LAB")
    p.add_argument("--force", action="store_true", help="show it now (recorded as seen)")
    p = action("watch", "re-check on every save; move on to the next lab when it passes")
    p.add_argument("lab", metavar="LAB", nargs="?", help="default: the lab started last")
    p.add_argument("--dir", metavar="DIR", help="workspace (default ./dlpath-labs)")
    add_role_option(p)
    p = action("notebook", "write a Jupyter notebook that walks through a stage's labs")
    p.add_argument("stage", metavar="STAGE")
    p.add_argument("--out", metavar="FILE.ipynb")
    p.add_argument("--solved", action="store_true", help="with the reference solutions")
