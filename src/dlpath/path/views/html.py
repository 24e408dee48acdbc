"""The learning path as one self-contained web page.

    write_page(roadmap_document(roadmap, progress, "zh"), "path.html")

The page shows the document of :mod:`dlpath.path.views.document` (the data of
``dlpath path --json``), embedded as JSON, with its CSS and JavaScript inlined from
``views/page/``: it loads nothing from the network and works when opened from ``file://``.
Before embedding, every formula gets a ``mathml`` field rendered from its ``tex``, every
skill a ``text_html`` (its Markdown text as HTML, inline ``$...$`` math as MathML) and every
stage a ``summary_html``; nothing else of the document changes. A formula that cannot be
converted keeps its TeX, shown as code. All content text is escaped: the only markup in the
page is what this module and ``page.js`` build.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ElementTree
from importlib import resources
from pathlib import Path

DOCUMENT_ID = "dlpath-document"
CONFIG_ID = "dlpath-page-config"
ADDED_FIELDS = {"formula": ("mathml",), "skill": ("text_html",), "stage": ("summary_html",)}

# ---------------------------------------------------------------------- MathML
_MATHML_ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mstyle", "merror",
    "mpadded", "mphantom", "menclose", "mtable", "mtr", "mtd", "mlabeledtr", "mmultiscripts",
    "mprescripts", "none", "semantics", "annotation", "maligngroup", "malignmark", "mfenced",
}
_MATHML_ATTRIBUTES = {
    "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "stretchy", "fence",
    "form", "separator", "separators", "open", "close", "lspace", "rspace", "minsize",
    "maxsize", "symmetric", "largeop", "movablelimits", "accent", "accentunder", "width",
    "height", "depth", "linethickness", "columnalign", "rowalign", "columnspacing",
    "rowspacing", "columnlines", "rowlines", "frame", "framespacing", "equalrows",
    "equalcolumns", "columnspan", "rowspan", "notation", "encoding",
}


# Commands the converter writes out as their own names, and what they stand for.
_LEFT_AS_NAMES = {"\\arg": "arg", "\\lVert": "\u2016", "\\rVert": "\u2016",
                  "\\Vert": "\u2016", "\\lvert": "|", "\\rvert": "|", "\\vert": "|",
                  "\\langle": "\u27e8", "\\rangle": "\u27e9"}


# \mathrm of one letter loses its upright style in the converter; \text keeps it.
_SINGLE_UPRIGHT = re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}")


def _strip_namespace(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@functools.lru_cache(maxsize=8192)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """``tex`` as a MathML ``<math>`` element, or None when it cannot be converted.

    The converter's output is parsed and rebuilt from MathML elements and attributes only,
    with every text escaped, so no TeX (``\\text{<b>}`` say) can put markup into the page.
    A command the converter does not know comes out as its own name (``\\foo``) and counts
    as not converted.
    """
    try:
        from latex2mathml.converter import convert
    except ImportError:  # the package is missing: every formula is shown as TeX
        return None
    try:
        raw = convert(_SINGLE_UPRIGHT.sub(r"\\text{\1}", tex),
                      display="block" if display else "inline")
        root = ElementTree.fromstring(raw)
    except Exception:  # latex2mathml raises many kinds of error on TeX it cannot read
        return None
    for element in root.iter():
        element.tag = _strip_namespace(element.tag)
        if element.tag not in _MATHML_ELEMENTS:
            return None
        if element.tag in ("mi", "mo", "mn") and "\\" in (element.text or ""):
            element.text = _LEFT_AS_NAMES.get(element.text.strip())
            if element.text is None:
                return None
        for name in list(element.attrib):
            if _strip_namespace(name) not in _MATHML_ATTRIBUTES:
                del element.attrib[name]
        if (element.tag == "mo" and element.text in ("\u2016", "|", "\u2223")
                and "stretchy" not in element.attrib and "minsize" not in element.attrib):
            element.set("stretchy", "false")  # \lVert, |, \mid keep their size, as in TeX
    _space_function_names(root)
    return ElementTree.tostring(root, encoding="unicode", method="xml")


_CLOSING = {")", "]", "}", "\u27e9", "|", "\u2016"}


def _space_function_names(root) -> None:
    """A thin space around ``log``, ``exp``...: ``p(x) log q(x)``, as TeX sets them (the
    converter writes them as bare ``<mi>`` with no space); none beside an operator."""
    for parent in list(root.iter()):
        children = list(parent)
        for index in range(len(children) - 1, -1, -1):
            child = children[index]
            if child.tag != "mi" or len(child.text or "") < 2 or child.get("mathvariant"):
                continue
            if index + 1 < len(children) and children[index + 1].tag != "mo":
                parent.insert(index + 1, ElementTree.Element("mspace", width="0.1667em"))
            before = children[index - 1] if index > 0 else None
            if before is not None and (before.tag != "mo" or before.text in _CLOSING):
                parent.insert(index, ElementTree.Element("mspace", width="0.1667em"))


def _math_html(tex: str, display: bool) -> str:
    mathml = tex_to_mathml(tex, display)
    if mathml is not None:
        return mathml
    css = "tex tex-block" if display else "tex"
    return f'<code class="{css}">{html.escape(tex)}</code>'


# ---------------------------------------------------------------------- Markdown
# Where a line of Chinese text is broken, the break is no space (unlike between words).
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2026]")


def _wide(char: str) -> bool:
    return bool(char) and bool(_WIDE.match(char))


def _find_math_end(src: str, start: int, end: int, fence: str) -> int:
    """The index of the ``fence`` closing math that opens at ``start``, or -1."""
    pos = start
    while True:
        pos = src.find(fence, pos, end)
        if pos < 0:
            return -1
        if src[pos - 1] == "\\":
            pos += 1
            continue
        if fence == "$" and (src[pos - 1].isspace() or
                             (pos + 1 < end and src[pos + 1].isdigit())):
            pos += 1
            continue
        return pos


def _math_rule(state, silent: bool) -> bool:
    """Inline rule: ``$tex$`` (inline) and ``$$tex$$`` (display) as math tokens."""
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != "$":
        return False
    fence = "$$" if src.startswith("$$", pos) else "$"
    start = pos + len(fence)
    if start >= end or (fence == "$" and src[start].isspace()):
        return False
    close = _find_math_end(src, start, end, fence)
    if close < 0 or close == start:
        return False
    if not silent:
        token = state.push("math_block" if fence == "$$" else "math_inline", "math", 0)
        token.content = src[start:close]
        token.markup = fence
    state.pos = close + len(fence)
    return True


def _edge_char(tokens, idx: int, step: int) -> str:
    """The text character next to ``tokens[idx]`` going back (step -1) or on (+1)."""
    idx += step
    while 0 <= idx < len(tokens):
        token = tokens[idx]
        if token.type in ("text", "code_inline") and token.content:
            return token.content[-1] if step < 0 else token.content[0]
        if token.type in ("math_inline", "math_block"):
            return "x"
        if token.type in ("softbreak", "hardbreak"):
            return " "
        idx += step
    return ""


@functools.lru_cache(maxsize=1)
def _markdown():
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"], ignoreInvalid=True)
    md.inline.ruler.before("escape", "math", _math_rule)

    def math_inline(self, tokens, idx, options, env):
        return _math_html(tokens[idx].content, display=False)

    def math_block(self, tokens, idx, options, env):
        return _math_html(tokens[idx].content, display=True)

    def softbreak(self, tokens, idx, options, env):
        before, after = _edge_char(tokens, idx, -1), _edge_char(tokens, idx, 1)
        if _wide(before) and (_wide(after) or not before.isalnum()):
            return ""
        return "\n"

    md.add_render_rule("math_inline", math_inline)
    md.add_render_rule("math_block", math_block)
    md.add_render_rule("softbreak", softbreak)
    return md


_INLINE = re.compile(r"(?P<code>`+)(?P<codetext>.+?)(?P=code)"
                     r"|\$\$(?P<display>.+?)\$\$"
                     r"|\$(?P<math>[^\s$](?:[^$]*?[^\s$\\])?)\$(?!\d)"
                     r"|\*\*(?P<strong>.+?)\*\*|__(?P<strong2>.+?)__"
                     r"|\*(?P<em>[^\s*](?:.*?[^\s*])?)\*"
                     r"|(?<!\w)_(?P<em2>[^\s_](?:.*?[^\s_])?)_(?!\w)",
                     re.S)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$")


def _inline_fallback(text: str) -> str:
    out, pos = [], 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[pos:match.start()]))
        groups = match.groupdict()
        if groups["code"]:
            out.append(f"<code>{html.escape(groups['codetext'].strip())}</code>")
        elif groups["display"] is not None:
            out.append(_math_html(groups["display"], display=True))
        elif groups["math"] is not None:
            out.append(_math_html(groups["math"], display=False))
        elif groups["strong"] or groups["strong2"]:
            out.append(f"<strong>{_inline_fallback(groups['strong'] or groups['strong2'])}"
                       "</strong>")
        else:
            out.append(f"<em>{_inline_fallback(groups['em'] or groups['em2'])}</em>")
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if text and not (_wide(text[-1]) and (_wide(line[:1]) or not text[-1].isalnum())):
            text += " "
        text += line
    return text


def _markdown_fallback(source: str) -> str:
    """Paragraphs, lists, `code`, *emphasis*, **strong** and $math$, all text escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        items = [_LIST_ITEM.match(line) for line in lines]
        if items[0]:
            tag = "ol" if items[0].group(1) else "ul"
            entries: list[list[str]] = []
            for line, item in zip(lines, items):
                if item:
                    entries.append([item.group(2)])
                else:
                    entries[-1].append(line)
            body = "".join(f"<li>{_inline_fallback(_join_lines(e))}</li>\n" for e in entries)
            blocks.append(f"<{tag}>\n{body}</{tag}>\n")
        else:
            blocks.append(f"<p>{_inline_fallback(_join_lines(lines))}</p>\n")
    return "".join(blocks)


# A space between two Chinese characters is left over from folding a long line (YAML's >).
_FOLDED_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]) "
                           r"(?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])")


# Math that runs over a line break: the break is a space, so that a line of it starting
# with "+ " or "1. " is not read as a list item.
_MATH_SPAN = re.compile(r"(?<!\\)\$\$.+?\$\$|(?<![\\$])\$[^\s$](?:[^$]*?[^\s$\\])?\$(?!\d)", re.S)


def _unbreak_math(source: str) -> str:
    def join(match):
        span = match.group(0)
        return span if re.search(r"\n\s*\n", span) else span.replace("\n", " ")
    return _MATH_SPAN.sub(join, source)


def markdown_to_html(source: str) -> str:
    """The small Markdown the content uses, as HTML; raw HTML in it is shown as text."""
    source = _unbreak_math(_FOLDED_SPACE.sub("", source or ""))
    md = _markdown()
    if md is None:
        return _markdown_fallback(source or "")
    return md.render(source or "")


# ---------------------------------------------------------------------- the page
def _asset(name: str) -> str:
    return (resources.files("dlpath.path.views") / "page" / name).read_text(encoding="utf-8")


def _inline_asset(name: str, closing: str) -> str:
    text = _asset(name)
    if closing in text.lower():
        raise ValueError(f"page/{name} contains '{closing}', which would end it in the page")
    return text


def page_strings(lang: str) -> dict:
    """The page's UI strings in ``lang`` (English for a language it lacks)."""
    strings = json.loads(_asset("strings.json"))
    return {**strings["en"], **strings.get(lang, {})}


def rendered_document(document: dict) -> dict:
    """A copy of ``document`` with ``mathml``, ``text_html`` and ``summary_html`` added."""
    rendered = copy.deepcopy(document)
    for stage in rendered.get("stages", []):
        stage["summary_html"] = markdown_to_html(stage.get("summary") or "")
        for skill in stage.get("skills", []):
            skill["text_html"] = markdown_to_html(skill.get("text") or "")
            for formula in skill.get("formulas", []):
                mathml = tex_to_mathml(formula.get("tex") or "", display=True)
                if mathml is not None:
                    formula["mathml"] = mathml
    return rendered


def strip_added_fields(rendered: dict) -> dict:
    """The document again from :func:`rendered_document`'s output (for checks)."""
    document = copy.deepcopy(rendered)
    for stage in document.get("stages", []):
        for key in ADDED_FIELDS["stage"]:
            stage.pop(key, None)
        for skill in stage.get("skills", []):
            for key in ADDED_FIELDS["skill"]:
                skill.pop(key, None)
            for formula in skill.get("formulas", []):
                for key in ADDED_FIELDS["formula"]:
                    formula.pop(key, None)
    return document


def script_json(data) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def render_page(document: dict) -> str:
    """The whole page for a :func:`~dlpath.path.views.document.roadmap_document`."""
    from dlpath.path.labs.schema import DEPTH_OF_KIND

    lang = document.get("lang") or "en"
    strings = page_strings(lang)
    config = {"strings": strings, "depth_of_kind": DEPTH_OF_KIND}
    values = {
        "lang": "zh-CN" if lang == "zh" else html.escape(lang, quote=True),
        "title": html.escape(strings["page_title"]),
        "css": _inline_asset("page.css", "</style"),
        "js": _inline_asset("page.js", "</script"),
        "document_id": DOCUMENT_ID,
        "config_id": CONFIG_ID,
        "document_json": script_json(rendered_document(document)),
        "config_json": script_json(config),
        "noscript": html.escape(strings["noscript"]),
    }
    # One pass, so a placeholder-like text inside the content is never substituted.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], _asset("template.html"))


def write_page(document: dict, path) -> Path:
    """Write the page to ``path`` atomically (a temporary file beside it, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_page(document)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return path
