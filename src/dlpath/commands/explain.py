"""``dlpath explain``: attribution maps of a run's model for given inputs, and their
sanity checks, as PNG files and one self-contained HTML page.

    dlpath explain RUN INPUT... [--method saliency|smoothgrad|ig|gradcam|occlusion|all]
                   [--layer NAME] [--out DIR] [--no-label-test]

INPUTs are read as ``dlpath predict`` reads them (image files or .npy arrays for image
recipes; texts or text files for text recipes). For each input and method the overlay
(input + heat map of the predicted class) goes to ``DIR/<input>_<method>.png`` (default
DIR: ``<run>/explain``), and ``DIR/explain.html`` shows them with the sanity checks
(`dlpath.explain.sanity`): model-parameter randomization (cascading and independent) and,
unless ``--no-label-test``, label randomization (the same architecture trained for one
epoch on 512 training samples with shuffled labels). A method whose maps survive
randomization (Spearman rho > 0.5) is marked FAILED. Text recipes get word attributions
(Integrated Gradients on the embedding output) and, for Transformers, attention maps.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

IMAGE_METHODS = ("saliency", "smoothgrad", "ig", "gradcam", "occlusion")
TITLES = {"saliency": "Saliency (gradient)", "smoothgrad": "SmoothGrad",
          "ig": "Integrated Gradients", "gradcam": "Grad-CAM", "occlusion": "Occlusion",
          "edge detector": "Edge detector (ignores the model)"}
LABEL_SAMPLES = 512
SANITY_IG_STEPS = 64  # the randomized models' IG stops here (the check is on the maps)
INTRO = ("<p>Each input with the predicted class and its probability. Below, one heat map "
         "per method for the predicted class over the input: red is where the class score "
         "depends most on the pixels (|attribution|, scaled to the largest per image; "
         "occlusion: the largest drop of the probability).</p>")


def add_parser(commands, parents) -> None:
    sub = commands.add_parser("explain", parents=parents, help="attribution maps of a run's "
                              "model, with sanity checks",
                              description="Heat maps of what the model's prediction rests "
                              "on, for image files, .npy arrays or texts, as PNGs and an "
                              "HTML page with the randomization sanity checks.")
    sub.add_argument("run", metavar="RUN", help="a run folder, a run's name, or a recipe's "
                     "name for its newest run")
    sub.add_argument("inputs", nargs="+", metavar="INPUT")
    sub.add_argument("--method", default="all", choices=IMAGE_METHODS + ("all",),
                     help="attribution method (default: all)")
    sub.add_argument("--layer", metavar="NAME", help="Grad-CAM's layer (default: the "
                     "last convolution)")
    sub.add_argument("--out", metavar="DIR", help="output folder (default <run>/explain)")
    sub.add_argument("--no-label-test", action="store_true", dest="no_label_test",
                     help="skip the label-randomization test (it trains a model briefly)")
    sub.set_defaults(handler=cmd_explain)


def cmd_explain(args) -> int:
    from dlpath.saving import load_model
    from dlpath.workflow import RunFolder
    from dlpath.workflow.predict import load_inputs
    from dlpath.workflow.run import resolve

    folder = RunFolder.find(args.run)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved["config"])
    model = load_model(folder.model_file("explain"))
    kind = saved["data"]["kind"]
    labels, x = load_inputs(recipe, config, kind, args.inputs)
    names = saved["data"]["class_names"]
    out = Path(args.out) if args.out else folder.path / "explain"
    out.mkdir(parents=True, exist_ok=True)
    if kind == "sequence":
        sections = _explain_texts(model, labels, x, names, out)
    else:
        methods = list(IMAGE_METHODS) if args.method == "all" else [args.method]
        data = None if args.no_label_test else _training_sample(recipe, saved)
        sections = _explain_images(model, recipe, labels, x, names, methods, args.layer,
                                   data, out)
    page = out / "explain.html"
    from dlpath.reports import html

    page.write_text(html.page(f"dlpath explain: {recipe.name}", f"run {folder.path.name} · "
                              f"{len(labels)} input(s)", sections), encoding="utf-8")
    print(f"explanations: {page}")
    return 0


def _training_sample(recipe, saved) -> tuple:
    """The first training samples of the run's recipe (label randomization trains on them)."""
    config = recipe.make_config({**saved.get("config", {}), "train_limit": LABEL_SAMPLES,
                                 "eval_limit": 1})
    return recipe.load_data(config).train


def _method(name: str, layer):
    from dlpath import explain

    if name not in IMAGE_METHODS:
        raise explain.ExplainError(f"unknown method '{name}'; the methods: "
                                   f"{', '.join(IMAGE_METHODS)}")

    def run(model, x, targets):
        if name == "saliency":
            return explain.saliency(model, x, targets)
        if name == "smoothgrad":
            return explain.smoothgrad(model, x, targets)
        if name == "ig":
            return explain.integrated_gradients(model, x, targets,
                                                max_steps=SANITY_IG_STEPS).attributions
        if name == "gradcam":
            return explain.gradcam(model, x, targets, layer=layer)
        return explain.occlusion(model, x, targets)
    run.__name__ = name
    return run


def _explain_images(model, recipe, labels, x, names, methods, layer, data, out) -> list:
    from dlpath import explain
    from dlpath.explain import render
    from dlpath.reports import html
    from dlpath.workflow import UsageError

    probabilities = explain._model.probabilities(model, x)
    predicted = probabilities.argmax(axis=1)
    shape = getattr(recipe, "image_shape", None) if x.ndim == 2 else None
    stems = _file_stems(labels)
    inputs = []
    for index, (label, stem) in enumerate(zip(labels, stems)):
        image = x[index].reshape(shape) if shape is not None else x[index]
        title = f"{stem}: {_class(names, predicted[index])} ({probabilities[index].max():.2f})"
        inputs.append(html.image(render.overlay(image, None, title), f"{label} input"))
    rows = [("Inputs and predictions", "".join(inputs) + INTRO)]
    checks, notes = [], []
    shuffled = None if data is None else explain.train_on_shuffled_labels(
        model, data, samples=LABEL_SAMPLES)
    for name in methods:
        try:
            if name == "ig":
                ig = explain.integrated_gradients(model, x, predicted)
                notes.append(f"Integrated Gradients: {ig.summary()}")
                maps = ig.attributions
            else:
                maps = _method(name, layer)(model, x, predicted)
        except explain.ExplainError as error:
            if name == "gradcam" and len(methods) > 1 and layer is None:
                notes.append(f"Grad-CAM skipped: {error}")
                continue
            raise UsageError(str(error)) from None
        if name == "occlusion":
            maps = np.maximum(maps, 0.0)  # drawn: the drops; a rise is no importance
        cells = []
        for index, (label, stem) in enumerate(zip(labels, stems)):
            image = x[index].reshape(shape) if shape is not None else x[index]
            title = f"{stem}: {_class(names, predicted[index])}"
            png = render.overlay(image, render.as_map(maps[index], shape), title)
            (out / f"{stem}_{name}.png").write_bytes(png)
            cells.append(html.image(png, f"{label} {name}"))
        rows.append((TITLES[name], "".join(cells)))
        print(f"{TITLES[name]}: {len(labels)} map(s)", file=sys.stderr)
        checks.append(explain.sanity_check(model, x, _method(name, layer), name,
                                           targets=predicted, shuffled=shuffled))
    checks.append(explain.sanity_check(model, x, edge_detector, "edge detector",
                                       targets=predicted, shuffled=shuffled))
    sections = [(f"{title}", cells) for title, cells in rows]
    sections.append(("Sanity checks (Adebayo et al. 2018)", _sanity_html(checks, notes)))
    return sections


def edge_detector(model, x, targets):
    """The control of the sanity checks: image gradients (|dI/dr| + |dI/dc|), no model."""
    image = np.asarray(x, dtype=np.float32)
    if image.ndim == 4:
        image = image.mean(axis=-1)
    if image.ndim != 3:
        return np.abs(np.diff(image, axis=-1, prepend=0))
    return (np.abs(np.diff(image, axis=1, prepend=0)) +
            np.abs(np.diff(image, axis=2, prepend=0)))


def _sanity_html(checks, notes) -> str:
    from dlpath.reports import html

    rows = []
    for check in checks:
        verdict = "FAILED" if check.failed else "passed"
        independent = ", ".join(f"{n} {r:.2f}" for n, r in check.independent)
        rows.append([TITLES.get(check.method, check.method), verdict,
                     check.cascading[-1][1] if check.cascading else "",
                     "" if check.label is None else check.label, independent])
    table = html.table(["method", "verdict", "rho, all layers random",
                        "rho, shuffled labels", "rho, one layer random"], rows,
                       text_columns=(0, 1, 4))
    table = table.replace("<td>FAILED</td>", '<td class="below"><b>FAILED</b></td>')
    table = table.replace('<td class="name">FAILED</td>',
                          '<td class="name below"><b>FAILED</b></td>')
    cascade = "".join(
        f"<li>{html.escape(TITLES.get(c.method, c.method))}: " +
        " &rarr; ".join(f"{html.escape(n)} {r:.2f}" for n, r in c.cascading) +
        (f" <b>{html.escape('; '.join(c.reasons))}</b>" if c.failed else "") + "</li>"
        for c in checks)
    label_note = next((c.label_training for c in checks if c.label_training), "")
    text = (f"<p>Spearman rank correlation of |map| between the trained model and the "
            f"randomized one, averaged over the inputs (positions where both maps are 0 "
            f"left out). A method is FAILED when a fully randomized model or a model "
            f"trained on shuffled labels still gives maps correlated above "
            f"{checks[0].threshold:.2f}: then its maps show the input, not the model. The "
            f"edge detector is the control that must fail.</p>")
    if label_note:
        text += f"<p>Label randomization: {html.escape(label_note)}.</p>"
    notes_html = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    return (text + table + "<p>Cascading randomization, top layer first:</p><ul>" +
            cascade + "</ul>" + notes_html)


def _explain_texts(model, labels, x, names, out) -> list:
    from dlpath import explain
    from dlpath.explain import render
    from dlpath.explain.report import _vocabulary
    from dlpath.reports import html

    scores, ig = explain.token_attributions(model, x)
    probabilities = explain._model.probabilities(model, x)
    vocabulary = _vocabulary()
    blocks = []
    for label, ids, row, probs in zip(labels, x, scores, probabilities):
        kept = [(vocabulary.get(int(t), "?"), s) for t, s in zip(ids, row) if int(t) > 1]
        title = f"{label}: {_class(names, probs.argmax())} ({probs.max():.2f})"
        blocks.append(render.coloured_words([w for w, _ in kept], [s for _, s in kept],
                                            title))
    sections = [("Word attributions (Integrated Gradients)",
                 "".join(blocks) + f"<p>{html.escape(ig.summary())}</p>")]
    if explain.attention.attention_layers(model):
        received = explain.token_attention(explain.attention_maps(model, x))
        blocks = []
        for label, stem, ids, row in zip(labels, _file_stems(labels), x, received):
            kept = [(vocabulary.get(int(t), "?"), s) for t, s in zip(ids, row) if int(t) > 1]
            blocks.append(render.coloured_words([w for w, _ in kept], [s for _, s in kept],
                                                label))
            png = _attention_png(explain.attention_maps(model, ids[None]), ids, vocabulary)
            (out / f"{stem}_attention.png").write_bytes(png)
            blocks.append(html.image(png, f"{label} attention"))
        sections.append(("Attention received per word (mean over heads and queries)",
                         "".join(blocks)))
    return sections


def _attention_png(maps: dict, ids, vocabulary) -> bytes:
    """The last attention layer's map (mean over heads) over the review's words."""
    from matplotlib.figure import Figure

    from dlpath.explain.render import _png

    keep = np.flatnonzero(np.asarray(ids) > 1)[-40:]  # the last 40 words at most
    matrix = list(maps.values())[-1][0].mean(axis=0)[np.ix_(keep, keep)]
    words = [vocabulary.get(int(ids[i]), "?") for i in keep]
    side = min(7.0, 2.5 + 0.15 * len(words))  # inches: a short review, a small figure
    fontsize = 8 if len(words) <= 20 else 6
    figure = Figure(figsize=(side, side * 0.93))
    axes = figure.add_subplot(1, 1, 1)
    axes.imshow(matrix, cmap="viridis")
    axes.set_xticks(range(len(words)), labels=words, rotation=90, fontsize=fontsize)
    axes.set_yticks(range(len(words)), labels=words, fontsize=fontsize)
    axes.set_xlabel("attended word (key)")
    axes.set_ylabel("query word")
    figure.tight_layout()
    return _png(figure)


def _class(names, index) -> str:
    index = int(index)
    return names[index] if names and index < len(names) else str(index)


def _slug(label: str) -> str:
    """A file name from an input's label: ``dir/seven.png`` -> ``seven``, the sample i of
    an array file ``batch.npy[i]`` -> ``batch_i``, a text -> its words joined by ``_``."""
    sample = re.fullmatch(r"(.*)\[(\d+)\]", label)
    if sample:
        return f"{_slug(sample[1])}_{sample[2]}"
    stem = Path(label).stem if Path(label).suffix else label
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)[:60] or "input"


def _file_stems(labels: list) -> list:
    """`_slug` of each label, made unique with ``-2``, ``-3``, ... (``a/x.png``, ``b/x.png``)."""
    stems, taken = [], set()
    for label in labels:
        stem, count = _slug(label), 1
        while stem in taken:
            count += 1
            stem = f"{_slug(label)}-{count}"
        taken.add(stem)
        stems.append(stem)
    return stems
