"""One Jupyter notebook per stage that walks through its labs (nbformat).

Each code or framework lab gets its task (Markdown), a cell with the functions to write (the
skeleton; with ``solved``, the reference solution), and a cell that checks them with
``dlpath.path.lab`` and records the attempt in the same progress store as the terminal.
"""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

from dlpath.path.labs import catalog, skeleton

_TEXT = {
    "intro": {"en": "Labs of the stage **{title}**. Write each function in its cell, run the "
                    "check cell below it; `q.hint()` gives a hint. Progress is recorded in the "
                    "same store as `dlpath progress`.",
              "zh": "本阶段 **{title}** 的实验。在每个单元格里写出函数，运行下面的检查单元格；"
                    "`q.hint()` 给出提示。进度与 `dlpath progress` 记录在同一处。"},
    "other": {"en": "Other labs of this stage: {labs}.", "zh": "本阶段的其他实验：{labs}。"},
}


def _code_without_header(lab, lang: str, solved: bool) -> str:
    """The lab file less its module docstring (the task is the Markdown cell above)."""
    source = skeleton.lab_file(lab, lang, solved=solved)
    tree = ast.parse(source)
    first = tree.body[0]
    lines = source.splitlines()
    return "\n".join(lines[first.end_lineno:]).strip() + "\n"


def build_notebook(stage_id: str, lang: str, solved: bool = False):
    import nbformat
    from nbformat import v4

    from dlpath.path.roadmap import load_roadmap

    stage = load_roadmap().stage(stage_id)
    labs = [lab for lab in catalog.definitions().values() if lab.stage == stage.id]
    cells = [v4.new_markdown_cell(f"# {stage.title(lang)}\n\n{stage.summary(lang)}\n\n"
                                  + _TEXT["intro"][lang].format(title=stage.title(lang))),
             v4.new_code_cell("from dlpath.path import lab")]
    others = []
    for lab in labs:
        if lab.kind not in ("code", "framework"):
            others.append(f"`{lab.id}`")
            continue
        functions = skeleton.learner_functions(lab)
        cells.append(v4.new_markdown_cell(f"## {lab.title(lang)} (`{lab.id}`)\n\n"
                                          f"```text\n{lab.task(lang)}\n```"))
        cells.append(v4.new_code_cell(_code_without_header(lab, lang, solved)))
        cells.append(v4.new_code_cell(f"q = lab({lab.id!r}, lang={lang!r})\n"
                                      f"q.check({', '.join(functions)})"))
    if others:
        cells.append(v4.new_markdown_cell(_TEXT["other"][lang].format(labs=", ".join(others))))
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.validate(notebook)
    return notebook


def write_notebook(stage_id: str, lang: str, path: Path, solved: bool = False) -> Path:
    import nbformat

    notebook = build_notebook(stage_id, lang, solved)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        nbformat.write(notebook, file)
    os.replace(tmp, path)
    return path
