"""A run's report: ``report.html`` (self-contained) and the same figures as PNG files.

Sections: the test metrics against the recipe's expectation, loss and metric curves
(training and validation), the confusion matrix, per-class precision/recall/F1, the most
confident mistakes (images, or text snippets for text recipes), the attribution maps that
training saved in ``explanations/`` (`explanations`), the model's layers, and
tables of the configuration, data, timing and environment. Runs that are not single-output
classifiers (a GAN) get the curves, their ``extra_metrics.json`` and the rest, without the
per-class parts. The test predictions come from the caller (``dlpath train`` computes them,
``dlpath report`` reads them back from ``test_predictions.npz``), so writing the page runs
no model.
"""

from __future__ import annotations

import re

from dlpath.reports import explanations, html, plots, samples
from dlpath.workflow import evaluation, files

# How many misclassified test samples the report shows.
MISTAKES_SHOWN = {"image": 24, "sequence": 6}
EXTRA_METRICS_FILE = "extra_metrics.json"
# Generative recipes (mnist-gan) save a grid of samples per epoch here: samples/epoch_001.png.
SAMPLES_DIR = "samples"
SAMPLE_GRIDS_SHOWN = 4
SUMMARY_WIDTH = 400


def write_report(folder, recipe, model, result=None) -> None:
    """Write ``report.html`` and its PNG figures into the run ``folder``.

    ``result`` is the test `evaluation.Evaluation` (None when the model is no classifier).
    """
    saved = folder.read_config()
    rows = folder.read_metrics()
    timing = files.read_json(folder.timing) if folder.timing.is_file() else {}
    extra_path = folder.path / EXTRA_METRICS_FILE
    extra = files.read_json(extra_path) if extra_path.is_file() else {}
    expected = dict(getattr(recipe, "expected", {}) or {})
    sections = []

    # 1. Test metrics and the curves.
    if result is not None or extra:
        values = dict(result.metrics) if result is not None else {}
        values.update(extra)
        sections.append(("Test metrics", html.cards(values, expected)))
    figures = {"curves.png": plots.curves(rows)}
    if figures["curves.png"] is not None:
        sections.append(("Training curves", html.image(figures["curves.png"], "curves")))
        sections.append(("Per epoch", _epoch_table(rows)))
    if (folder.path / SAMPLES_DIR).is_dir():
        title = getattr(recipe, "samples_title", "Generated samples")
        sections.append(_generated_samples(folder.path / SAMPLES_DIR, title))
    # 2. The classifier's parts: confusion matrix, per-class scores, mistakes.
    if result is not None:
        figures["confusion_matrix.png"] = plots.confusion(
            evaluation.confusion_matrix(result), result.class_names)
        sections.append(("Confusion matrix", html.image(figures["confusion_matrix.png"],
                                                        "confusion matrix")))
        sections.append(("Per-class precision, recall and F1", html.per_class_table(
            evaluation.classification_report(result, as_dict=True))))
        sections.append(_mistakes(result, figures))
    explained = explanations.section(folder.path)  # written when training ended
    if explained is not None:
        sections.append(explained)
    for name, png in figures.items():
        if png is not None:
            files.write_bytes(folder.path / name, png)
    # 3. What the run was: the model, then configuration, data, timing and environment.
    sections.append(("Model", _model_summary(model)))
    sections.append(("Configuration, data, timing, environment", html.side_by_side([
        ("Configuration", html.key_values(saved.get("config", {}))),
        ("Data", html.key_values(_data_rows(saved.get("data", {})))),
        ("Timing", html.key_values(timing)),
        ("Environment", html.key_values(saved.get("environment", {}))),
    ])))
    subtitle = (f"{recipe.description} · data set {recipe.dataset} · run "
                f"{folder.path.name}")
    files.write_text(folder.report, html.page(f"dlpath run: {recipe.name}", subtitle,
                                              sections))


def _mistakes(result, figures: dict) -> tuple:
    """The section of the most confident mistakes: an image grid or text snippets."""
    wrong = result.mistakes(MISTAKES_SHOWN.get(result.kind, 12))
    total = int((result.y_true != result.y_pred).sum())
    heading = (f"Most confident mistakes ({len(wrong)} shown; {total} of "
               f"{len(result.y_true)} test samples wrong)")
    titles = [f"true {result.class_names[result.y_true[i]]}\n"
              f"pred {result.class_names[result.y_pred[i]]} "
              f"({result.probabilities[i, result.y_pred[i]]:.2f})" for i in wrong]
    if not len(wrong):
        return heading, "<p>No misclassified test samples.</p>"
    if result.kind == "image":
        figures["misclassified.png"] = plots.image_grid(result.inputs(wrong), titles)
        return heading, html.image(figures["misclassified.png"], "misclassified")
    if result.kind == "sequence":
        decode = samples.imdb_decoder()
        snippets = "".join(
            f'<div class="snippet"><b>{html.escape(title.replace(chr(10), ", "))}</b><br>'
            f"{html.escape(_shorten(decode(x), 600))}</div>"
            for x, title in zip(result.inputs(wrong), titles))
        return heading, snippets
    return heading, html.table(["sample", "true", "predicted"], [
        [int(i), result.class_names[result.y_true[i]], result.class_names[result.y_pred[i]]]
        for i in wrong])


def _generated_samples(samples_dir, title: str) -> tuple:
    """The section of per-epoch sample pictures (a generative run's grids, a detector's
    boxes, a reader's lines): the first and the last ones, under the recipe's ``title``."""
    grids = sorted(samples_dir.glob("epoch_*.png"))
    shown = grids if len(grids) <= SAMPLE_GRIDS_SHOWN else (
        grids[:1] + grids[-(SAMPLE_GRIDS_SHOWN - 1):])
    if not shown:
        return title, "<p>No sample picture was saved.</p>"
    images = "".join(html.image(path.read_bytes(), path.stem) for path in shown)
    return f"{title} ({len(shown)} of {len(grids)} epochs)", images


def _model_summary(model) -> str:
    """``model.summary()`` as a table of layers and a line of parameter counts."""
    lines = []
    # Wide enough that no column is cut short, so runs of spaces separate the columns.
    model.summary(line_length=SUMMARY_WIDTH,
                  print_fn=lambda line, *args, **kwargs: lines.append(line))
    rules = [i for i, line in enumerate(lines) if line.startswith("=")]
    if len(rules) != 2:  # not the tf.keras layout: show the text as it is
        return html.pre("\n".join(lines))
    header = _columns(lines[rules[0] - 1])
    rows = [_columns(line) for line in lines[rules[0] + 1:rules[1]] if line.strip()]
    rows = [row + [""] * (len(header) - len(row)) for row in rows]
    counts = " · ".join(line.strip() for line in lines[rules[1] + 1:] if ":" in line)
    text_columns = [i for i, name in enumerate(header) if name != "Param #"]
    return (html.table(header, rows, text_columns=text_columns) +
            f"<p>{html.escape(counts)}</p>")


def _columns(line: str) -> list:
    """A line of the summary's table, split at its runs of two or more spaces."""
    return re.split(r"\s{2,}", line.strip())


def _data_rows(data: dict) -> dict:
    """config.json's ``data`` as table rows: kind, classes, samples per split."""
    rows = {"kind": data.get("kind", ""),
            "classes": ", ".join(map(str, data.get("class_names", [])))}
    for split, count in data.get("sizes", {}).items():
        rows[f"{split} samples"] = count
    return rows


def _epoch_table(rows: list) -> str:
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    return html.table(columns, [[row.get(c, "") for c in columns] for row in rows])


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."
