"""The report of a search, in the run report's style: ``report.html`` (self-contained) with
the best trial, Optuna's optimization history and parameter importances, the settings and
every trial; the figures also as PNG files; and ``best.json``, the summary that
``dlpath runs`` lists (rewritten after each trial, so a stopped search is listed too)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dlpath.reports import html
from dlpath.reports.plots import to_png
from dlpath.tuning.search import best_trial_or_none, format_params, format_value
from dlpath.workflow import files

SUMMARY_FILE = "best.json"
# Fewer complete trials than this say nothing about which parameter matters.
IMPORTANCE_MIN_TRIALS = 3


def summary(study) -> dict:
    """The study in numbers: recipe, metric, settings, trials per state, the best trial."""
    best = best_trial_or_none(study)
    states = {}
    for trial in study.get_trials(deepcopy=False):
        name = trial.state.name.lower()
        states[name] = states.get(name, 0) + 1
    attrs = study.user_attrs
    return {"study": study.study_name, "recipe": attrs.get("recipe"),
            "metric": attrs.get("metric"), "direction": "maximize",
            "settings": attrs.get("settings", {}), "trials": len(study.trials),
            "states": states,
            "best": None if best is None else {"number": best.number, "value": best.value,
                                               "params": best.params}}


def write_summary(study, folder) -> Path:
    """Write ``best.json`` into ``folder``; its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files.write_text(folder / SUMMARY_FILE, json.dumps(summary(study), indent=2) + "\n")
    return folder / SUMMARY_FILE


def write_tuning_report(study, folder) -> Path:
    """Write the figures, ``best.json`` and ``report.html`` into ``folder``; its path."""
    folder = Path(folder)
    write_summary(study, folder)
    figures, notes = _figures(study, summary(study)["metric"] or "objective")
    for name, png in figures.items():
        files.write_bytes(folder / name, png)
    files.write_text(folder / "report.html", _page(study, figures, notes))
    return folder / "report.html"


def _figures(study, metric: str) -> tuple:
    """``({file name: PNG bytes}, [notes on figures that could not be drawn])``."""
    import warnings

    import optuna

    figures, notes = {"optimization_history.png": _history(study, metric)}, []
    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if len(complete) < IMPORTANCE_MIN_TRIALS:
        notes.append(f"Parameter importances need {IMPORTANCE_MIN_TRIALS} complete trials; "
                     f"the study has {len(complete)}.")
        return figures, notes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Optuna's notes on small studies
            importances = optuna.importance.get_param_importances(study)
    except (ValueError, RuntimeError, ZeroDivisionError, ImportError) as error:
        notes.append(f"Parameter importances: not computed ({' '.join(str(error).split())})")
    else:
        if importances:
            figures["param_importances.png"] = _importances(importances)
    return figures, notes


def _history(study, metric: str) -> bytes:
    """Each trial's value (pruned trials: their last reported value, as crosses) and the
    best value so far, against the trial number; the run report's plotting style."""
    import optuna

    figure = Figure(figsize=(5.2, 3.4))
    axes = figure.add_subplot(1, 1, 1)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    pruned = [t for t in study.trials if t.state == optuna.trial.TrialState.PRUNED
              and t.intermediate_values]
    if done:
        axes.plot([t.number for t in done], [t.value for t in done], "o", label="trial")
        best, line = -np.inf, []
        for trial in done:
            best = max(best, trial.value)
            line.append(best)
        axes.step([t.number for t in done], line, where="post", label="best so far")
    if pruned:
        last = [t.intermediate_values[max(t.intermediate_values)] for t in pruned]
        axes.plot([t.number for t in pruned], last, "x", color="grey", label="pruned")
    axes.set_xlabel("trial")
    axes.set_title(metric)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    if done or pruned:
        axes.legend()
    figure.tight_layout()
    return to_png(figure)


def _importances(importances: dict) -> bytes:
    """Optuna's parameter importances (fANOVA, summing to 1) as horizontal bars."""
    names = list(importances)[::-1]
    figure = Figure(figsize=(5.2, 0.5 * len(names) + 1.4))
    axes = figure.add_subplot(1, 1, 1)
    axes.barh(names, [importances[name] for name in names])
    for index, name in enumerate(names):
        axes.text(importances[name], index, f" {importances[name]:.2f}", va="center")
    axes.set_xlim(0, 1.15)
    axes.set_xlabel("importance")
    axes.set_title("parameter importances")
    axes.grid(alpha=0.3, axis="x")
    figure.tight_layout()
    return to_png(figure)


def _page(study, figures: dict, notes: list) -> str:
    numbers = summary(study)
    metric = numbers["metric"] or "objective"
    best = best_trial_or_none(study)
    sections = []
    # 1. The best trial: its value as a card, its parameters as a table.
    if best is None:
        sections.append(("Best trial", "<p>No trial has completed yet.</p>"))
    else:
        sections.append((f"Best trial: number {best.number}", html.cards(
            {metric: best.value}, {}, prefix="best") + html.key_values(
            {key: format_value(value) for key, value in best.params.items()})))
    # 2. The figures side by side, and why one is missing.
    titles = {"optimization_history.png": "Optimization history",
              "param_importances.png": "Parameter importances"}
    content = html.side_by_side([(titles.get(name, name), html.image(png, name))
                                 for name, png in figures.items()])
    content += "".join(f"<p>{html.escape(note)}</p>" for note in notes)
    sections.append(("Search", content))
    # 3. Every trial, then what was searched and how.
    names = sorted({key for trial in study.trials for key in trial.params})
    rows = [[trial.number, trial.state.name.lower(),
             "" if trial.value is None else float(trial.value)]
            + [format_value(trial.params[n]) if n in trial.params else "" for n in names]
            for trial in study.trials]
    sections.append((f"Trials ({len(rows)})", html.table(["trial", "state", metric] + names,
                                                         rows, text_columns=(1,))))
    states = ", ".join(f"{count} {state}" for state, count in numbers["states"].items())
    sections.append(("Study", html.key_values({
        "recipe": numbers["recipe"] or "", "maximized": f"{metric} (each trial's best epoch)",
        "fixed settings": format_params(numbers["settings"]) or "none",
        "trials": f"{numbers['trials']} ({states})" if states else "0"})))
    subtitle = f"dlpath tune of recipe {numbers['recipe'] or '?'} · maximizing {metric}"
    return html.page(f"dlpath tune: {study.study_name}", subtitle, sections)
