"""What of TensorFlow and Keras dlpath implements: the data, the check, the page.

``compatibility.yaml`` lists the API surface dlpath tracks, per namespace (``tf``,
``tf.keras.layers``, ``keras.ops``, ...). A name's status is found in the code, not in the
file: a name that resolves on dlpath's module for the namespace is *supported*, unless the
file marks it ``partial`` (with a note saying how); a name that does not resolve is *not
implemented*. `render()` turns that into ``docs/compatibility.md``::

    python -m dlpath.keras.compatibility            # write docs/compatibility.md
    python -m dlpath.keras.compatibility --check    # exit 1 if the page is out of date

Nothing here runs at ``import dlpath``: the file is read when a page is built or when a
missing name's error message is being written (`dlpath.keras.missing`).
"""

from __future__ import annotations

import argparse
import difflib
import functools
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).with_name("compatibility.yaml")
PAGE = "docs/compatibility.md"
STATUSES = ("supported", "partial", "not implemented")
_ROOTS = {"tf": "dlpath", "keras": "dlpath.keras"}


class CompatibilityFileError(ValueError):
    """compatibility.yaml does not have the expected form."""


@dataclass(frozen=True)
class Entry:
    """One tracked name: ``partial`` and ``note`` as the file gives them."""

    name: str
    partial: bool = False
    note: str = ""


@dataclass(frozen=True)
class Namespace:
    """A namespace as users spell it (``tf.keras.layers``) and dlpath's module for it."""

    spelling: str
    module: str | None
    entries: tuple[Entry, ...]

    def entry(self, name: str) -> Entry | None:
        return _index(self).get(name)


@functools.lru_cache(maxsize=None)
def _index(namespace: Namespace) -> dict[str, Entry]:
    return {entry.name: entry for entry in namespace.entries}


@functools.lru_cache(maxsize=1)
def surface() -> dict[str, Namespace]:
    """The namespaces of compatibility.yaml, by spelling (read once)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(DATA_FILE, encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=loader)
    if not isinstance(raw, dict):
        raise CompatibilityFileError(f"{DATA_FILE}: expected a mapping of namespaces, got "
                                     f"{type(raw).__name__}")
    return {spelling: _namespace(spelling, body) for spelling, body in raw.items()}


def _namespace(spelling: str, body) -> Namespace:
    where = f"{DATA_FILE.name}: namespace {spelling!r}"
    if not isinstance(body, dict) or not isinstance(body.get("names"), list):
        raise CompatibilityFileError(f"{where}: expected a mapping with a 'names' list")
    if spelling.split(".")[0] not in _ROOTS:
        raise CompatibilityFileError(f"{where}: expected a name starting with 'tf' or 'keras'")
    entries = tuple(_entry(where, item) for item in body["names"])
    seen = set()
    for entry in entries:
        if entry.name in seen:
            raise CompatibilityFileError(f"{where}: {entry.name!r} is listed twice")
        seen.add(entry.name)
    return Namespace(spelling, body.get("module"), entries)


def _entry(where: str, item) -> Entry:
    if isinstance(item, str):
        return Entry(item)
    if not (isinstance(item, dict) and len(item) == 1):
        raise CompatibilityFileError(f"{where}: expected a name or 'name: {{status, note}}', "
                                     f"got {item!r}")
    (name, fields), = item.items()
    fields = fields or {}
    unknown = set(fields) - {"status", "note"}
    status = fields.get("status")
    if unknown or status not in (None, "partial"):
        raise CompatibilityFileError(f"{where}: {name!r} takes 'status: partial' and 'note' "
                                     f"only, got {fields!r}")
    if status == "partial" and not fields.get("note"):
        raise CompatibilityFileError(f"{where}: {name!r} is partial and needs a note "
                                     f"saying how")
    return Entry(str(name), status == "partial", str(fields.get("note") or ""))


def namespace_for_module(module_name: str) -> Namespace | None:
    """The namespace dlpath's module ``module_name`` stands for, if the file lists it."""
    for namespace in surface().values():
        if namespace.module == module_name:
            return namespace
    return None


_MISSING = object()


def resolve_namespace(spelling: str):
    """dlpath's object for ``spelling`` (``tf.keras.layers`` -> dlpath.keras.layers), or None.

    It is reached as users reach it, attribute by attribute from ``dlpath`` (``tf``) or
    ``dlpath.keras`` (``keras``)."""
    root, *parts = spelling.split(".")
    target = importlib.import_module(_ROOTS[root])
    for part in parts:
        target = _lookup(target, part)
        if target is _MISSING:
            return None
    return target


def _lookup(target, name: str):
    from dlpath.keras import missing

    with missing.probing():
        try:
            return getattr(target, name)
        except AttributeError:
            return _MISSING


def status_of(target, entry: Entry) -> str:
    """'supported', 'partial' or 'not implemented' for ``entry`` on ``target``."""
    if target is None or _lookup(target, entry.name) is _MISSING:
        return "not implemented"
    return "partial" if entry.partial else "supported"


def statuses() -> dict[str, list[tuple[Entry, str]]]:
    """Every tracked name with its status, per namespace."""
    table = {}
    for spelling, namespace in surface().items():
        target = resolve_namespace(spelling)
        table[spelling] = [(entry, status_of(target, entry))
                           for entry in namespace.entries]
    return table


def render() -> str:
    """The Markdown page: counts at the top, then a table per namespace."""
    table = statuses()
    lines = ["# Compatibility with TensorFlow and Keras", "",
             "What dlpath implements of the TensorFlow and Keras names it tracks "
             "(tf.keras 2.15 and Keras 3). Generated from the code and "
             "`src/dlpath/keras/compatibility.yaml` by "
             "`python -m dlpath.keras.compatibility`; a test checks it is up to date.", "",
             "Asking for a name dlpath does not implement raises `NotImplementedInDlpath` "
             "(an `AttributeError`), which points here.", "",
             "| namespace | supported | partial | not implemented |",
             "|---|---:|---:|---:|"]
    totals = dict.fromkeys(STATUSES, 0)
    for spelling, rows in table.items():
        counts = _counts(rows)
        for status in STATUSES:
            totals[status] += counts[status]
        cells = " | ".join(str(counts[status]) for status in STATUSES)
        lines.append(f"| [`{spelling}`](#{_anchor(spelling)}) | {cells} |")
    cells = " | ".join(f"**{totals[status]}**" for status in STATUSES)
    lines.append(f"| **all** | {cells} |")
    for spelling, rows in table.items():
        lines += ["", f"## {spelling}", ""]
        module = surface()[spelling].module
        lines.append(f"dlpath module: `{module}`." if module else
                     "dlpath has no module for this namespace.")
        lines += ["", "| name | status | note |", "|---|---|---|"]
        for entry, status in rows:
            lines.append(f"| `{spelling}.{entry.name}` | {status} | "
                         f"{_cell(entry.note)} |")
    return "\n".join(lines) + "\n"


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for _, status in rows:
        counts[status] += 1
    return counts


def _anchor(spelling: str) -> str:
    # GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped.
    return "".join(ch for ch in spelling.lower() if ch.isalnum() or ch in "-_")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def check(path: Path) -> tuple[bool, str]:
    """Whether the page at ``path`` equals `render()`, and a short summary of differences."""
    expected = render()
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return True, f"{path} is up to date"
    diff = list(difflib.unified_diff(actual.splitlines(), expected.splitlines(),
                                     str(path), "generated", lineterm="", n=0))
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    summary = [f"{path} is out of date ({len(changed)} lines differ); regenerate it with "
               f"`python -m dlpath.keras.compatibility`"] + changed[:20]
    if len(changed) > 20:
        summary.append(f"... and {len(changed) - 20} more")
    return False, "\n".join(summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlpath.keras.compatibility",
                                     description="Write or check docs/compatibility.md.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the page differs from what the code gives")
    parser.add_argument("--output", type=Path, default=Path(PAGE),
                        help=f"the page (default: {PAGE})")
    args = parser.parse_args(argv)
    if args.check:
        ok, message = check(args.output)
        print(message, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
