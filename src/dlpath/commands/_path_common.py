"""What the path's commands share: the language option, the store, the document."""

from __future__ import annotations

import argparse


def add_language_option(parser, nested: bool = False) -> None:
    """``--lang``; ``nested`` for an action's parser, so that it keeps a value given before
    the action (``dlpath path --lang zh show ID``)."""
    extra = {"default": argparse.SUPPRESS} if nested else {}
    parser.add_argument("--lang", choices=("zh", "en"), help="language (default: "
                        "$DLPATH_LANG, else the locale)", **extra)


def add_role_option(parser) -> None:
    parser.add_argument("--role", metavar="ROLE", help="only this role's track "
                        "(algorithm-engineer, data-scientist, ml-engineer, product-manager)")


def language(args) -> str:
    from dlpath.path.i18n import choose_language

    return choose_language(getattr(args, "lang", None))


def open_store():
    from dlpath.path.progress import ProgressStore

    return ProgressStore.open()


def document(args, role=None, store=None):
    """``(roadmap, progress, document)`` for the learner, in the chosen language."""
    from dlpath.path.progress import learner_progress
    from dlpath.path.roadmap import load_roadmap
    from dlpath.path.views.document import roadmap_document

    roadmap = load_roadmap()
    if role is not None:
        roadmap.role(role)
    if store is None:
        with open_store() as store:
            progress = learner_progress(roadmap, store, role)
    else:
        progress = learner_progress(roadmap, store, role)
    return roadmap, progress, roadmap_document(roadmap, progress, language(args), role)
