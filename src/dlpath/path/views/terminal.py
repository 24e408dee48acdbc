"""The path in the terminal: the roadmap, one stage or skill, the roles, the progress.

Each view reads the same document as ``--json`` and the web page
(:mod:`dlpath.path.views.document`) and draws it with rich: colours, tables and bars on a
terminal, plain text (no escape codes) when the output is a file or a pipe.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources

import yaml

STATE_STYLE = {"verified": "bold green", "passed": "bold green", "in-progress": "yellow",
               "failed": "red", "started": "yellow", "not-started": "dim"}
STATE_MARK = {"verified": "●", "passed": "●", "in-progress": "◐", "failed": "✗",
              "started": "◐", "not-started": "○"}


@functools.lru_cache(maxsize=1)
def _strings() -> dict:
    text = (resources.files("dlpath.path.views") / "strings.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def say(key: str, lang: str, **params) -> str:
    """The UI string ``key`` in ``lang``, filled with ``params``."""
    return _strings()[key][lang].format(**params)


def console(file=None):
    from rich.console import Console

    file = file or sys.stdout
    terminal = hasattr(file, "isatty") and file.isatty()
    return Console(file=file, highlight=False, soft_wrap=not terminal,
                   width=None if terminal else 160, force_terminal=terminal,
                   no_color=not terminal, emoji=False)


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def _state(lang: str, state: str) -> str:
    return f"[{STATE_STYLE[state]}]{STATE_MARK[state]} {say(state, lang)}[/]"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def lab_command(lab_id: str, kind: str) -> str:
    if kind == "quiz":
        return f"dlpath quiz {lab_id}"
    if kind == "project":
        return f"dlpath lab check {lab_id} --model RUN_DIR"
    return f"dlpath lab start {lab_id}"


# ---------------------------------------------------------------------- the roadmap
def print_roadmap(document: dict, out=None) -> None:
    from rich.table import Table

    lang, role = document["lang"], document["role"]
    con = console(out)
    title = say("roadmap", lang)
    if role:
        title += " · " + say("role_track", lang, role=document["roles"][0]["title"])
    con.print(f"[bold]{_escape(title)}[/]\n")
    for stage in document["stages"]:
        counts = say("verified_count", lang, done=stage["verified"], total=stage["total"])
        con.print(f"[bold cyan]{stage['order']:>2}. {_escape(stage['title'])}[/]  "
                  f"[green]{_bar(stage['verified'], stage['total'])}[/] {counts}  "
                  f"[dim]{stage['id']}[/]")
        table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
        table.add_column(width=3)
        table.add_column()
        table.add_column()
        table.add_column()
        for skill in stage["skills"]:
            depth = say(skill["depth"][role], lang) if role else ""
            table.add_row("", f"{_escape(skill['title'])} [dim]({skill['id']})[/]",
                          _state(lang, skill["state"]), f"[dim]{depth}[/]")
        con.print(table)
        con.print()
    con.print(f"[dim]{say('next_steps', lang)}[/]")


# ---------------------------------------------------------------------- one item
def print_stage(document: dict, stage: dict, out=None) -> None:
    lang = document["lang"]
    con = console(out)
    counts = say("verified_count", lang, done=stage["verified"], total=stage["total"])
    con.print(f"[bold cyan]{stage['order']}. {_escape(stage['title'])}[/]  [dim]{stage['id']}"
              f"[/]  {counts}\n")
    con.print(_escape(stage["summary"]) + "\n")
    if stage["prerequisites"]:
        con.print(f"[bold]{say('prerequisites', lang)}:[/] {', '.join(stage['prerequisites'])}")
    con.print(f"[bold]{say('skills', lang)}:[/]")
    for skill in stage["skills"]:
        con.print(f"  {_state(lang, skill['state'])}  {_escape(skill['title'])} "
                  f"[dim]({skill['id']})[/]")


def print_skill(document: dict, skill: dict, out=None) -> None:
    from rich.markdown import Markdown

    lang = document["lang"]
    labs = document["labs"]
    con = console(out)
    con.print(f"[bold cyan]{_escape(skill['title'])}[/]  [dim]{skill['id']} · "
              f"{skill['stage']}[/]  {_state(lang, skill['state'])}\n")
    con.print(Markdown(skill["text"]))
    if skill["prerequisites"]:
        con.print(f"\n[bold]{say('prerequisites', lang)}:[/] {', '.join(skill['prerequisites'])}")
    depths = ", ".join(f"{role} {say(d, lang)}" for role, d in skill["depth"].items())
    con.print(f"[bold]{say('depth', lang)}:[/] {depths}")
    if skill["formulas"]:
        con.print(f"\n[bold]{say('formulas', lang)}[/]")
        for formula in skill["formulas"]:
            con.print(f"  {_escape(formula['name'])}:  [bold]{_escape(formula['tex'])}[/]")
            if formula["code"]:
                con.print(f"    [dim]{say('where_in_dlpath', lang)}: {formula['code']}[/]")
    if skill["code"]:
        con.print(f"\n[bold]{say('where_in_dlpath', lang)}:[/] {', '.join(skill['code'])}")
    if skill["labs"]:
        con.print(f"\n[bold]{say('labs', lang)}[/]")
        for lab_id in skill["labs"]:
            lab = labs.get(lab_id, {"title": lab_id, "kind": "code", "state": "not-started"})
            con.print(f"  {_state(lang, lab['state'])}  {_escape(lab['title'])} [dim]({lab_id},"
                      f" {say(lab['kind'], lang)})[/]  "
                      f"[dim]{lab_command(lab_id, lab['kind'])}[/]")
    if skill["recipes"]:
        con.print(f"\n[bold]{say('recipes', lang)}:[/] "
                  + ", ".join(f"dlpath train {r}" for r in skill["recipes"]))
    if skill["references"]:
        con.print(f"\n[bold]{say('references', lang)}[/]")
        for ref in skill["references"]:
            con.print("  " + _escape(format_reference(ref)))


def format_reference(ref: dict) -> str:
    authors = ", ".join(ref["authors"])
    text = f"{authors} ({ref['year']}). {ref['title']}. {ref['venue']}."
    return text + (f" {ref['url']}" if ref.get("url") else "")


# ---------------------------------------------------------------------- roles
def print_roles(document: dict, out=None) -> None:
    lang = document["lang"]
    con = console(out)
    titles = {s["id"]: s["title"] for stage in document["stages"] for s in stage["skills"]}
    for role in document["roles"]:
        con.print(f"[bold cyan]{_escape(role['title'])}[/]  [dim]{role['id']}[/]")
        con.print(_escape(role["summary"]))
        con.print(f"[bold]{say('responsibilities', lang)}:[/]")
        for item in role["responsibilities"]:
            con.print(f"  • {_escape(item)}")
        by_depth: dict[str, list] = {}
        for skill_id, depth in role["skills"].items():
            by_depth.setdefault(depth, []).append(titles.get(skill_id, skill_id))
        con.print(f"[bold]{say('needs', lang)}:[/]")
        for depth in reversed(document["depths"]):
            if depth in by_depth:
                con.print(f"  [bold]{say(depth, lang)}[/] ({len(by_depth[depth])}): "
                          + _escape("、".join(by_depth[depth]) if lang == "zh"
                                    else ", ".join(by_depth[depth])))
        con.print(f"[bold]{say('labs', lang)}:[/] {', '.join(role['labs'])}\n")


# ---------------------------------------------------------------------- progress
def print_progress(document: dict, rows: list[dict], out=None) -> None:
    from rich.table import Table

    lang = document["lang"]
    con = console(out)
    con.print(f"[bold]{say('progress_title', lang)}[/]\n")
    for stage in document["stages"]:
        counts = say("verified_count", lang, done=stage["verified"], total=stage["total"])
        con.print(f"  {stage['order']:>2}. {_escape(stage['title']):<28} "
                  f"[green]{_bar(stage['verified'], stage['total'])}[/] {counts}")
    con.print()
    if not rows:
        first = next((lab for lab, info in document["labs"].items()
                      if info["kind"] == "code"), "activations")
        con.print(say("nothing_verified", lang, lab=first))
        return
    table = Table(box=None, padding=(0, 2))
    for key in ("skill", "state", "verified_by", "when"):
        table.add_column(say(key, lang))
    for row in rows:
        table.add_row(_escape(row["title"]), _state(lang, row["state"]),
                      ", ".join(row["verified_by"]), (row["verified_at"] or "")[:19])
    con.print(table)
