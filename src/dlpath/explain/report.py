"""The explanations a run keeps for its report, computed once when training ends.

Image recipes: saliency, SmoothGrad, Integrated Gradients and (for convolutional models)
Grad-CAM of the predicted class, drawn over CORRECT test images and the most confident
MISTAKES, as one grid ``<run>/explanations/attributions.png`` with
``explanations.json`` beside it (methods, samples, the completeness check of IG). The
report (`dlpath.reports.explanations`) only reads these files. Kept small so that the
end of training stays quick (a second or two): 4 + 4 images, few SmoothGrad samples and
IG steps. The sanity checks live in ``dlpath explain``.

Text recipes (token ids, ``kind == "sequence"``): word attributions, Integrated Gradients on
the embedding output from the all-padding review (`dlpath.explain.text`), of 4 correct and
4 misclassified test reviews, kept in ``explanations.json`` as each review's last words
with their attributions, the predicted and true class and the predicted probability.
"""

from __future__ import annotations

import numpy as np

from dlpath.explain import render
from dlpath.explain._model import ExplainError

SHOWN = 4  # correct test images, and as many misclassified ones
IG_STEPS, IG_MAX_STEPS = 16, 32  # the page states whether completeness held
SMOOTHGRAD_SAMPLES = 8
IMAGE_FILE = "attributions.png"
WORDS_SHOWN = 150  # a review's last words: a padded review is read up to its end
TEXT_IG_STEPS, TEXT_IG_MAX_STEPS = 8, 16


def write_explanations(folder, recipe, model, result) -> bool:
    """Write ``<run>/explanations/`` for an image or text classifier's test ``result`` (an
    `Evaluation` with its inputs); False, writing nothing, for other runs. A model the
    methods cannot explain leaves a JSON that says why (the run finishes anyway)."""
    from dlpath.reports.explanations import EXPLANATIONS_DIR, EXPLANATIONS_FILE
    from dlpath.workflow import files

    if result is None or result.x is None or not (
            result.kind == "image" or _token_ids(result)):
        return False
    indices, correct, titles = _samples(result, SHOWN)
    if not len(indices):
        return False
    out = folder.path / EXPLANATIONS_DIR
    out.mkdir(exist_ok=True)
    try:
        if result.kind == "image":
            saved = _images(model, recipe, result.x[indices], titles, out)
            saved["samples"] = [{"test_index": int(i), "title": t, "correct": bool(c)}
                                for i, t, c in zip(indices, titles, correct)]
        else:
            saved = _reviews(model, result, indices, titles)
        saved["counts"] = {"correct": int(sum(correct)),
                           "wrong": int(len(correct) - sum(correct))}
    except (ExplainError, KeyError, ValueError) as error:
        saved = {"error": " ".join(str(error).split())}
    files.write_json(out / EXPLANATIONS_FILE, saved)
    return True


def _samples(result, count: int) -> tuple:
    """(test indices, correct or not, titles): ``count`` correct ones, then mistakes."""
    right = np.flatnonzero(result.y_true == result.y_pred)[:count]
    wrong = result.mistakes(count)
    indices = np.concatenate([right, wrong]).astype(np.int64)
    correct = [True] * len(right) + [False] * len(wrong)
    titles = []
    for i, ok in zip(indices, correct):
        name = result.class_names[result.y_pred[i]]
        truth = "" if ok else f" (true {result.class_names[result.y_true[i]]})"
        titles.append(f"{'correct' if ok else 'wrong'}: {name}{truth}")
    return indices, correct, titles


def _images(model, recipe, x, titles, out) -> dict:
    """The grid PNG into ``out``; returns what the JSON records about it."""
    from dlpath import explain

    maps = {"saliency": explain.saliency(model, x),
            "SmoothGrad": explain.smoothgrad(model, x, samples=SMOOTHGRAD_SAMPLES)}
    ig = explain.integrated_gradients(model, x, steps=IG_STEPS, max_steps=IG_MAX_STEPS)
    maps["Integrated Gradients"] = ig.attributions
    try:
        maps["Grad-CAM"] = explain.gradcam(model, x)
    except ExplainError:
        pass  # no convolution: no Grad-CAM column
    shape = getattr(recipe, "image_shape", None) if x.ndim == 2 else None
    (out / IMAGE_FILE).write_bytes(render.overlay_grid(x, maps, titles, shape=shape))
    return {"image": IMAGE_FILE, "methods": list(maps),
            "integrated_gradients": ig.summary(),
            "integrated_gradients_complete": [bool(c) for c in ig.complete]}


def _token_ids(result) -> bool:
    """A text classifier's result: (N, T) integer token ids."""
    x = result.x
    return result.kind == "sequence" and x.ndim == 2 and x.dtype.kind in "iu"


def _reviews(model, result, indices, titles) -> dict:
    """Word attributions of the test reviews at ``indices`` for their predicted class,
    each review cut to its last `WORDS_SHOWN` words (padding and the start mark dropped;
    completeness is checked on the whole input)."""
    from dlpath import explain

    ids = result.x[indices]
    predicted = result.y_pred[indices]
    scores, ig = explain.token_attributions(model, ids, targets=predicted,
                                            steps=TEXT_IG_STEPS,
                                            max_steps=TEXT_IG_MAX_STEPS)
    vocabulary = _known_words()
    reviews = []
    for row, (i, title, complete) in enumerate(zip(indices, titles, ig.complete)):
        keep = np.flatnonzero(ids[row] > 1)  # no padding (0), no start mark (1)
        shown = keep[-WORDS_SHOWN:]
        names = result.class_names
        reviews.append({
            "test_index": int(i), "title": title,
            "correct": bool(result.y_true[i] == predicted[row]),
            "predicted": names[predicted[row]], "true": names[result.y_true[i]],
            "probability": round(float(result.probabilities[i, predicted[row]]), 4),
            "earlier_words": int(len(keep) - len(shown)),
            "words": [vocabulary.get(int(t), f"#{int(t)}") for t in ids[row][shown]],
            "attributions": [float(f"{a:.4g}") for a in scores[row][shown]],
            "complete": bool(complete)})
    return {"method": "Integrated Gradients", "baseline": "padding",
            "integrated_gradients": ig.summary(), "reviews": reviews,
            "words_shown": WORDS_SHOWN, "vocabulary": bool(vocabulary)}


def _known_words() -> dict:
    """`_vocabulary`, or {} (words shown as ids) where the IMDb word index is missing."""
    try:
        return _vocabulary()
    except (OSError, ValueError):
        return {}


def _vocabulary() -> dict:
    """IMDb ids -> words (Keras' ids: word rank + 3; 2 is out of vocabulary)."""
    from dlpath.datasets import imdb

    words = {rank + 3: word for word, rank in imdb.get_word_index().items()}
    words[2] = "?"
    return words
