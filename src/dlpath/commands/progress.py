"""``dlpath progress``: what is verified, when and by which check; ``export`` for a portfolio.

    dlpath progress [--role ROLE] [--lang zh|en]
    dlpath progress export FILE.json [--role ROLE]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from dlpath.commands._path_common import add_language_option, add_role_option, document


def progress_rows(doc: dict, progress) -> list[dict]:
    """Skills that are verified or in progress, with the labs that verified them."""
    rows = []
    for stage in doc["stages"]:
        for skill in stage["skills"]:
            if skill["state"] == "not-started":
                continue
            verified_by = [lab for lab in skill["needs"]
                           if progress.labs[lab].state == "passed"]
            rows.append({"id": skill["id"], "title": skill["title"], "state": skill["state"],
                         "verified_at": skill["verified_at"], "verified_by": verified_by})
    return rows


def portfolio(doc: dict, progress) -> dict:
    labs = []
    for lab_id, state in progress.labs.items():
        if state.state == "not-started":
            continue
        labs.append({"id": lab_id, "title": doc["labs"].get(lab_id, {}).get("title", lab_id),
                     "state": state.state, "tries": state.tries, "passed_at": state.passed_at,
                     "verified_by_check": state.check_name or None})
    return {"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "lang": doc["lang"], "role": doc["role"],
            "skills": progress_rows(doc, progress), "labs": labs}


def write_json_atomically(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=1)
            file.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_progress(args) -> int:
    from dlpath.path.views import terminal

    _, progress, doc = document(args, role=args.role)
    if getattr(args, "progress_action", None) == "export":
        data = portfolio(doc, progress)
        write_json_atomically(data, Path(args.file))
        verified = sum(row["state"] == "verified" for row in data["skills"])
        passed = sum(lab["state"] == "passed" for lab in data["labs"])
        print(terminal.say("exported", doc["lang"], path=args.file, skills=verified,
                           labs=passed))
        return 0
    terminal.print_progress(doc, progress_rows(doc, progress))
    return 0


def add_parser(commands, parents) -> None:
    sub = commands.add_parser("progress", parents=parents, help="your verified progress",
                              description="What is verified, when, and by which check. "
                              "Progress comes only from passed checks.")
    add_role_option(sub)
    add_language_option(sub)
    sub.set_defaults(handler=cmd_progress)
    actions = sub.add_subparsers(dest="progress_action", metavar="ACTION")
    export = actions.add_parser("export", parents=parents, help="write a JSON portfolio")
    export.add_argument("file", metavar="FILE.json")
    export.add_argument("--role", metavar="ROLE", default=argparse.SUPPRESS)
    add_language_option(export, nested=True)
    export.set_defaults(handler=cmd_progress)
