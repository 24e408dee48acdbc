"""The learning path: the roadmap (content files), the progress store, the views, the labs.

In Jupyter::

    from dlpath.path import lab
    q = lab("dense-forward"); q.check(dense_forward); q.hint(); q.solution()
"""


def lab(lab_id: str, lang: str | None = None):
    """A lab for a notebook: ``check(*functions)``, ``hint()``, ``solution()``."""
    from dlpath.path.labs.jupyter import lab as notebook_lab

    return notebook_lab(lab_id, lang)


__all__ = ["lab"]
