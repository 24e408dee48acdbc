"""The learner's language: ``--lang``, else ``DLPATH_LANG``, else the locale, else English."""

from __future__ import annotations

import os

from dlpath.path.schema import LANGUAGES


def choose_language(explicit: str | None = None) -> str:
    """``zh`` or ``en``. An explicit choice or ``DLPATH_LANG`` must be one of them; the
    locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) picks zh when it starts with ``zh``."""
    for source, value in (("--lang", explicit), ("DLPATH_LANG", os.environ.get("DLPATH_LANG"))):
        if value:
            value = value.strip().lower()
            if value not in LANGUAGES:
                raise ValueError(f"{source} must be one of {', '.join(LANGUAGES)}, got "
                                 f"{value!r}")
            return value
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
