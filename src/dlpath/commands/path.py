"""``dlpath path``: the roadmap in the terminal, as JSON, one stage or skill, the roles, and
the web page.

    dlpath path [--role ROLE] [--json] [--lang zh|en]
    dlpath path show ID
    dlpath path roles
    dlpath path html OUT.html
"""

from __future__ import annotations

import argparse
import json
import sys

from dlpath.commands._path_common import add_language_option, add_role_option, document


def cmd_path(args) -> int:
    from dlpath.path.views import terminal

    action = getattr(args, "path_action", None)
    if action == "show":
        return cmd_show(args)
    if action == "roles":
        return cmd_roles(args)
    if action == "html":
        return cmd_html(args)
    _, _, doc = document(args, role=args.role)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        terminal.print_roadmap(doc)
    return 0


def cmd_show(args) -> int:
    from dlpath.path.views import terminal

    roadmap, _, doc = document(args)
    item = roadmap.find(args.id)
    for stage in doc["stages"]:
        if stage["id"] == item.id:
            terminal.print_stage(doc, stage)
            return 0
        for skill in stage["skills"]:
            if skill["id"] == item.id:
                if args.json:
                    json.dump(skill, sys.stdout, ensure_ascii=False, indent=1)
                    print()
                else:
                    terminal.print_skill(doc, skill)
                return 0
    raise AssertionError(f"{item.id} is in the roadmap but not in its document")


def cmd_roles(args) -> int:
    from dlpath.path.views import terminal

    _, _, doc = document(args)
    if args.json:
        json.dump(doc["roles"], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        terminal.print_roles(doc)
    return 0


def cmd_html(args) -> int:
    from dlpath.path.views import html, terminal

    _, _, doc = document(args, role=getattr(args, "role", None))
    html.write_page(doc, args.out)
    print(terminal.say("page_written", doc["lang"], path=args.out))
    return 0


def add_parser(commands, parents) -> None:
    sub = commands.add_parser(
        "path", parents=parents, help="the learning path: stages, skills, roles",
        description="The deep-learning engineer's path: stages and skills in order, each with "
                    "your verified state.")
    add_role_option(sub)
    sub.add_argument("--json", action="store_true", help="print the roadmap as JSON")
    add_language_option(sub)
    sub.set_defaults(handler=cmd_path)
    actions = sub.add_subparsers(dest="path_action", metavar="ACTION")

    show = actions.add_parser("show", parents=parents, help="one stage or skill in full")
    show.add_argument("id", metavar="ID", help="a stage or skill id (see 'dlpath path')")
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                      help="print the skill as JSON")
    add_language_option(show, nested=True)
    show.set_defaults(handler=cmd_path)

    roles = actions.add_parser("roles", parents=parents, help="the roles and what each needs")
    roles.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                       help="print the roles as JSON")
    add_language_option(roles, nested=True)
    roles.set_defaults(handler=cmd_path)

    page = actions.add_parser("html", parents=parents, help="write the roadmap as a web page")
    page.add_argument("out", metavar="OUT.html", help="the page to write (self-contained)")
    page.add_argument("--role", metavar="ROLE", default=argparse.SUPPRESS,
                      help="open the page on this role's track")
    add_language_option(page, nested=True)
    page.set_defaults(handler=cmd_path)
