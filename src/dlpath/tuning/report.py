"""The report of a search: Optuna's optimization history and parameter importances as PNG
files, and ``report.html`` with the best trial and every trial's parameters."""

from __future__ import annotations

import html
import io
import json
import os
import tempfile
from pathlib import Path

from dlpath.tuning.search import best_trial_or_none


def write_tuning_report(study, folder) -> Path:
    """Write the figures, ``best.json`` and ``report.html`` into ``folder``; its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures, notes = _figures(study)
    for name, png in figures.items():
        _write_bytes(folder / name, png)
    best = best_trial_or_none(study)
    summary = {"study": study.study_name, "trials": len(study.trials),
               "best": None if best is None else {"number": best.number, "value": best.value,
                                                  "params": best.params}}
    _write_bytes(folder / "best.json", (json.dumps(summary, indent=2) + "\n").encode())
    _write_bytes(folder / "report.html", _page(study, best, figures, notes).encode())
    return folder / "report.html"


def _figures(study) -> tuple:
    """``({file name: PNG bytes}, [notes on figures that could not be drawn])``."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt
    import optuna.visualization.matplotlib as ovm

    figures, notes = {}, []
    plots = (("optimization_history.png", ovm.plot_optimization_history),
             ("param_importances.png", ovm.plot_param_importances))
    for name, plot in plots:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Optuna marks these plots experimental
                axes = plot(study)
        except (ValueError, RuntimeError, ZeroDivisionError) as error:
            notes.append(f"{name}: not drawn ({' '.join(str(error).split())})")
            continue
        figure = getattr(axes, "figure", None) or axes.flat[0].figure
        figure.set_size_inches(7, 4.5)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        plt.close(figure)
        figures[name] = buffer.getvalue()
    return figures, notes


def _page(study, best, figures: dict, notes: list) -> str:
    esc = html.escape
    parts = [f"<h1>dlpath tune: {esc(study.study_name)}</h1>"]
    if best is None:
        parts.append("<p>No trial has completed yet.</p>")
    else:
        params = ", ".join(f"{esc(k)} = {esc(repr(v))}" for k, v in best.params.items())
        parts.append(f"<p><b>Best trial {best.number}</b>: value {best.value:.4f}; "
                     f"{params}</p>")
    for name in figures:
        parts.append(f'<img src="{esc(name)}" alt="{esc(name)}">')
    parts += [f"<p><i>{esc(note)}</i></p>" for note in notes]
    names = sorted({key for trial in study.trials for key in trial.params})
    header = "".join(f"<th>{esc(n)}</th>" for n in ["trial", "state", "value"] + names)
    rows = []
    for trial in study.trials:
        value = "" if trial.value is None else f"{trial.value:.4f}"
        cells = [str(trial.number), trial.state.name.lower(), value]
        cells += [_format(trial.params.get(n, "")) for n in names]
        rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    parts.append(f"<h2>Trials</h2><table><tr>{header}</tr>{''.join(rows)}</table>")
    style = ("body{font-family:sans-serif;margin:2em}img{max-width:48%;margin:4px}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{esc(study.study_name)}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


def _format(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file in the same folder, then ``os.replace``."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
