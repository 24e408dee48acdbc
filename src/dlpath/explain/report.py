"""The "Explanations" section of a run's report: a few test samples, right and wrong.

Image recipes: saliency, SmoothGrad, Integrated Gradients and (for convolutional models)
Grad-CAM of the predicted class, drawn over CORRECT test images and the most confident
MISTAKES. Text recipes: reviews with each word coloured by its Integrated Gradients
attribution on the embedding output. Kept small so the report stays quick (a second or
two): 4 + 4 images, 2 + 2 reviews, few SmoothGrad samples and IG steps. The completeness
check of IG is stated under the figure. The sanity checks live in ``dlpath explain``.
"""

from __future__ import annotations

import numpy as np

from dlpath.explain import render
from dlpath.explain._model import ExplainError

SHOWN = {"image": 4, "sequence": 2}  # correct and as many misclassified
IG_STEPS, IG_MAX_STEPS = 16, 128
TEXT_IG_STEPS, TEXT_IG_MAX_STEPS = 8, 32
SMOOTHGRAD_SAMPLES = 8
HEADING = "Explanations"


def explanations_section(folder, recipe, model, result):
    """``(heading, html)`` for the report, or None for runs it does not apply to."""
    if result is None or result.kind not in SHOWN:
        return None
    try:
        indices, x, titles = _samples(folder, recipe, result, SHOWN[result.kind])
        if not len(indices):
            return None
        if result.kind == "image":
            return HEADING, _images(model, recipe, x, titles)
        return HEADING, _texts(model, x, titles)
    except (ExplainError, KeyError, ValueError) as error:  # the report is written anyway
        from dlpath.reports import html

        return HEADING, f"<p>No explanations for this model: {html.escape(error)}</p>"


def _samples(folder, recipe, result, count: int) -> tuple:
    """(test indices, their inputs, titles): ``count`` correct ones, then mistakes."""
    correct = np.flatnonzero(result.y_true == result.y_pred)[:count]
    wrong = result.mistakes(count)
    inputs = []
    if len(correct):
        inputs.append(result.x[correct] if result.x is not None else
                      _test_inputs(folder, recipe, correct))
    if len(wrong):
        inputs.append(result.inputs(wrong))
    indices = np.concatenate([correct, wrong]).astype(np.int64)
    titles = []
    for i, right in zip(indices, [True] * len(correct) + [False] * len(wrong)):
        name = result.class_names[result.y_pred[i]]
        truth = "" if right else f" (true {result.class_names[result.y_true[i]]})"
        titles.append(f"{'correct' if right else 'wrong'}: {name}{truth}")
    return indices, (np.concatenate(inputs) if inputs else np.zeros(0)), titles


def _test_inputs(folder, recipe, indices) -> np.ndarray:
    """Test inputs at ``indices``, loaded as the run loaded them (only the first test
    samples, one training sample: cheap)."""
    saved = folder.read_config()
    settings = {**saved.get("config", {}), "train_limit": 1,
                "eval_limit": int(indices.max()) + 1}
    config = recipe.make_config(settings)
    return recipe.load_data(config).test[0][indices]


def _images(model, recipe, x, titles) -> str:
    from dlpath import explain
    from dlpath.reports import html

    maps = {"saliency": explain.saliency(model, x),
            "SmoothGrad": explain.smoothgrad(model, x, samples=SMOOTHGRAD_SAMPLES)}
    ig = explain.integrated_gradients(model, x, steps=IG_STEPS, max_steps=IG_MAX_STEPS)
    maps["Integrated Gradients"] = ig.attributions
    try:
        maps["Grad-CAM"] = explain.gradcam(model, x)
    except ExplainError:
        pass  # no convolution: no Grad-CAM column
    shape = getattr(recipe, "image_shape", None) if x.ndim == 2 else None
    png = render.overlay_grid(x, maps, titles, shape=shape)
    return (html.image(png, "attributions") +
            f"<p>Heat maps of the predicted class (red: most important). Integrated "
            f"Gradients from a black image: {html.escape(ig.summary())}. Run "
            f"<code>dlpath explain RUN IMAGE...</code> for other inputs, occlusion and "
            f"the sanity checks.</p>")


def _texts(model, x, titles) -> str:
    from dlpath import explain
    from dlpath.reports import html

    scores, ig = explain.token_attributions(model, x, steps=TEXT_IG_STEPS,
                                            max_steps=TEXT_IG_MAX_STEPS)
    vocabulary = _vocabulary()
    blocks = []
    for ids, row, title in zip(x, scores, titles):
        kept = [(vocabulary.get(int(t), "?"), s) for t, s in zip(ids, row) if int(t) > 1]
        words = [w for w, _ in kept]
        blocks.append(render.coloured_words(words, [s for _, s in kept], title))
    return ("".join(blocks) +
            f"<p>Words coloured by their Integrated Gradients attribution to the predicted "
            f"class (on the embedding output, summed per word; green for, red against). "
            f"{html.escape(ig.summary())}.</p>")


def _vocabulary() -> dict:
    """IMDb ids -> words (Keras' ids: word rank + 3; 2 is out of vocabulary)."""
    from dlpath.datasets import imdb

    words = {rank + 3: word for word, rank in imdb.get_word_index().items()}
    words[2] = "?"
    return words
