"""The self-contained ``report.html``: every figure embedded as a base64 PNG data URI."""

from __future__ import annotations

import base64
import html
import json

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.subtitle { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.7em; text-align: right; }
th { background: #f4f4f4; } td.name, th.name { text-align: left; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
img { max-width: 100%; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1.2em; }
.card .value { font-size: 1.6em; font-weight: bold; }
.ok { color: #1a7f37; } .below { color: #b35900; }
.snippet { border-left: 3px solid #ddd; padding-left: 0.8em; margin: 0.8em 0; }
"""


def escape(text) -> str:
    return html.escape(str(text))


def image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def cards(values: dict, expected: dict) -> str:
    """One box per test metric; the recipe's expected value beside it."""
    boxes = []
    for name, value in values.items():
        note = ""
        if name in expected:
            reached = value >= expected[name]
            note = (f'<div class="{"ok" if reached else "below"}">expected &ge; '
                    f'{expected[name]:g}</div>')
        boxes.append(f'<div class="card"><div>test {escape(name)}</div>'
                     f'<div class="value">{value:.4f}</div>{note}</div>')
    return f'<div class="cards">{"".join(boxes)}</div>'


def table(header: list, rows: list) -> str:
    """A table; the first column is left-aligned (names), numbers are right-aligned."""
    head = "".join(f'<th class="{"name" if i == 0 else ""}">{escape(h)}</th>'
                   for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = "".join(f'<td class="{"name" if i == 0 else ""}">{_cell(v)}</td>'
                        for i, v in enumerate(row))
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


def pre(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def json_block(value) -> str:
    return pre(json.dumps(value, indent=2))


def page(title: str, subtitle: str, sections: list) -> str:
    """The whole document: ``sections`` are ``(heading, html)`` pairs."""
    body = "\n".join(f"<section><h2>{escape(h)}</h2>\n{content}</section>"
                     for h, content in sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>"
            f'<h1>{escape(title)}</h1><p class="subtitle">{escape(subtitle)}</p>\n'
            f"{body}\n</body></html>\n")
