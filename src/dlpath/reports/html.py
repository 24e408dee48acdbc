"""The self-contained ``report.html``: every figure embedded as a base64 PNG data URI."""

from __future__ import annotations

import base64
import html

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.subtitle { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.7em; text-align: right; }
th { background: #f4f4f4; } td.name, th.name { text-align: left; }
table.facts th { font-weight: normal; color: #444; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
img { max-width: 100%; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1.2em; }
.card .value { font-size: 1.6em; font-weight: bold; }
.ok { color: #1a7f37; } .below { color: #b35900; }
.snippet { border-left: 3px solid #ddd; padding-left: 0.8em; margin: 0.8em 0; }
.blocks { display: flex; gap: 2.5em; flex-wrap: wrap; align-items: flex-start; }
.blocks h3 { margin: 0.4em 0 0.2em; font-size: 1em; }
td.name { max-width: 26em; overflow-wrap: anywhere; }
"""


def escape(text) -> str:
    return html.escape(str(text))


def image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def cards(values: dict, expected: dict, prefix: str = "test") -> str:
    """One box per metric (named ``prefix name``); the recipe's expected value beside it."""
    boxes = []
    for name, value in values.items():
        note = ""
        if name in expected:
            reached = value >= expected[name]
            note = (f'<div class="{"ok" if reached else "below"}">expected &ge; '
                    f'{expected[name]:g}</div>')
        boxes.append(f'<div class="card"><div>{escape(prefix)} {escape(name)}</div>'
                     f'<div class="value">{value:.4f}</div>{note}</div>')
    return f'<div class="cards">{"".join(boxes)}</div>'


def table(header: list, rows: list, text_columns=(0,)) -> str:
    """A table; ``text_columns`` (the first: names) are left-aligned, numbers right-aligned."""
    def css(i):
        return ' class="name"' if i in text_columns else ""

    head = "".join(f"<th{css(i)}>{escape(h)}</th>" for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = "".join(f"<td{css(i)}>{_cell(v)}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return escape(value)


def per_class_table(report: dict) -> str:
    """scikit-learn's ``classification_report(output_dict=True)`` as a table."""
    rows = []
    for name, scores in report.items():
        if isinstance(scores, dict):
            rows.append([name, scores["precision"], scores["recall"], scores["f1-score"],
                         int(scores["support"])])
        else:  # "accuracy": a single number
            rows.append([name, "", "", float(scores), ""])
    return table(["class", "precision", "recall", "F1", "support"], rows)


def side_by_side(parts: list) -> str:
    """``(heading, html)`` pairs as small blocks in a row, wrapped on narrow screens."""
    blocks = "".join(f"<div><h3>{escape(h)}</h3>{content}</div>" for h, content in parts)
    return f'<div class="blocks">{blocks}</div>'


def pre(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def key_values(values: dict) -> str:
    """A two-column table of names and values; nested dicts and lists read as text."""
    rows = "".join(f'<tr><th class="name">{escape(name)}</th><td class="name">'
                   f"{escape(_plain(value))}</td></tr>" for name, value in values.items())
    return f'<table class="facts">{rows}</table>'


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def page(title: str, subtitle: str, sections: list) -> str:
    """The whole document: ``sections`` are ``(heading, html)`` pairs."""
    body = "\n".join(f"<section><h2>{escape(h)}</h2>\n{content}</section>"
                     for h, content in sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>"
            f'<h1>{escape(title)}</h1><p class="subtitle">{escape(subtitle)}</p>\n'
            f"{body}\n</body></html>\n")
