"""The "Explanations" section of a run's report, read from the run folder.

Training writes ``explanations/explanations.json`` and the PNG it names at its end
(`dlpath.explain.report.write_explanations`); the report only reads them, so writing the
page runs no model. Runs without that folder (older runs, recipes that are not image or
text classifiers) get no section. A text run's file holds each review's words and their
attributions; each word is drawn on a background whose colour is its attribution (red for
the predicted class, blue against it, the review's strongest word in full colour).
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
    if "reviews" in saved:
        try:
            return HEADING, _reviews(saved)
        except (KeyError, TypeError, ValueError) as error:
            return HEADING, (f"<p>{html.escape(index.name)} does not hold readable word "
                             f"attributions: {html.escape(error)}</p>")
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


# ---------------------------------------------------------------- text runs
FOR, AGAINST = "214,39,40", "31,119,180"  # red, blue (RGB)
STRONGEST = 0.85  # opacity of the strongest word's background: its text stays readable


def _reviews(saved: dict) -> str:
    """The key, one block of coloured words per review, and what was computed."""
    reviews = saved["reviews"]
    counts = saved.get("counts", {})
    key = (f"<p>{_span('red', 1.0, 0.0)}: the word pushes towards the predicted class; "
           f"{_span('blue', -1.0, 0.0)}: against it; the stronger the colour, the larger "
           f"the attribution (each review scaled to its strongest word; hover a word for "
           f"its value).</p>")
    blocks = "".join(_review(review) for review in reviews)
    shown = saved.get("words_shown")
    cut = f", at most the last {int(shown)} words of each" if shown else ""
    words = "" if saved.get("vocabulary", True) else (
        " The IMDb word index was not found: words are shown as their ids.")
    return (key + blocks +
            f"<p>{html.escape(saved.get('method', 'Integrated Gradients'))} of the "
            f"predicted class's score, on the embedding, from a review of padding only, "
            f"summed per word, over {counts.get('correct', 0)} correctly classified test "
            f"reviews and the {counts.get('wrong', 0)} most confident mistakes{cut}: "
            f"{html.escape(saved.get('integrated_gradients', ''))}.{words} Computed when "
            f"training ended; run <code>dlpath explain RUN TEXT...</code> for other "
            f"reviews.</p>")


def _review(review: dict) -> str:
    words, scores = review["words"], [float(a) for a in review["attributions"]]
    if len(words) != len(scores):
        raise ValueError(f"review {review.get('test_index')}: {len(words)} words but "
                         f"{len(scores)} attributions")
    peak = max((abs(a) for a in scores), default=0.0) or 1.0
    verdict = "correct" if review.get("correct") else f"wrong (true {review['true']})"
    head = (f"{verdict}: {review['predicted']} ({float(review['probability']):.2f}), "
            f"test review {int(review['test_index'])}")
    if review.get("complete") is False:
        head += ", completeness not reached"
    earlier = int(review.get("earlier_words", 0))
    before = f"<i>[{earlier} earlier words]</i> " if earlier else ""
    spans = " ".join(_span(word, a / peak, a) for word, a in zip(words, scores))
    return (f'<div class="snippet" style="line-height: 1.8"><b>{html.escape(head)}</b>'
            f"<br>{before}{spans}</div>")


def _span(word: str, strength: float, value: float) -> str:
    """``word`` on a red (strength > 0) or blue (< 0) background, ``value`` on hover."""
    colour = FOR if strength >= 0 else AGAINST
    alpha = STRONGEST * min(1.0, abs(strength))
    return (f'<span title="{value:+.3g}" style="background: rgba({colour},{alpha:.2f}); '
            f'padding: 0 1px">{html.escape(word)}</span>')
