"""Feedback texts: a lab's own mistakes first, then the shared ``messages.yaml``."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from dlpath.path.schema import LANGUAGES


@functools.lru_cache(maxsize=1)
def shared_messages() -> dict:
    text = (resources.files("dlpath.path.labs") / "messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class _Unknown:
    """A field no parameter fills: shown as '?' whatever its format spec."""

    def __format__(self, spec: str) -> str:
        return "?"


class _Blank(dict):
    def __missing__(self, key):
        return _Unknown()


def render(lab, key: str, params: dict) -> dict:
    """``{"en": ..., "zh": ...}``: the message ``key`` filled with ``params``."""
    if key in lab.mistakes:
        templates = {lang: lab.mistakes[key](lang) for lang in LANGUAGES}
    elif key in shared_messages():
        templates = shared_messages()[key]
    else:
        templates = {lang: key for lang in LANGUAGES}
    out = {}
    for lang in LANGUAGES:
        filled = {key: value[lang] if isinstance(value, dict) and lang in value else value
                  for key, value in params.items()}  # bilingual values, e.g. a case
        try:
            out[lang] = templates[lang].format_map(_Blank(filled))
        except (ValueError, IndexError, KeyError):  # a field with the wrong format spec
            out[lang] = templates[lang] + " " + repr(params)
    return out
