"""The "Explanations" section of a run's report, read from the run folder.

Training writes ``explanations/explanations.json`` and the PNG it names at its end
(`dlpath.explain.report.write_explanations`); the report only reads them, so writing the
page runs no model. Runs without that folder (older runs, non-image recipes) get no
section.
"""

from __future__ import annotations

from dlpath.reports import html
from dlpath.workflow import files

EXPLANATIONS_DIR = "explanations"
EXPLANATIONS_FILE = "explanations.json"
HEADING = "Explanations"


def section(run_path):
    """``(heading, html)`` from ``<run>/explanations``, or None when it is not there."""
    folder = run_path / EXPLANATIONS_DIR
    index = folder / EXPLANATIONS_FILE
    if not index.is_file():
        return None
    saved = files.read_json(index)
    if saved.get("error"):
        return HEADING, f"<p>No explanations for this model: {html.escape(saved['error'])}</p>"
    image = folder / saved.get("image", "")
    if not saved.get("image") or not image.is_file():
        return HEADING, f"<p>The explanations' picture {html.escape(image.name)} is missing.</p>"
    methods = ", ".join(saved.get("methods", []))
    counts = saved.get("counts", {})
    return HEADING, (
        html.image(image.read_bytes(), "attributions") +
        f"<p>{html.escape(methods)} of the predicted class over "
        f"{counts.get('correct', 0)} correctly classified test images and the "
        f"{counts.get('wrong', 0)} most confident mistakes (red: where the class score "
        f"depends most on the pixels). Integrated Gradients from a black image: "
        f"{html.escape(saved.get('integrated_gradients', ''))}. Computed when training "
        f"ended; run <code>dlpath explain RUN IMAGE...</code> for other inputs, occlusion "
        f"and the sanity checks.</p>")
