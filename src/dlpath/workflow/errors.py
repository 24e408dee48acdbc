"""Errors the ``dlpath`` command reports as one line: usage (exit 2) or failure (exit 1)."""


class WorkflowError(Exception):
    """Something the user can fix: a missing run folder, an unreadable input (exit 1)."""


class UsageError(WorkflowError):
    """A bad command line: an unknown recipe or setting, a value of the wrong type (exit 2)."""
