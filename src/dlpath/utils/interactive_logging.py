"""Whether messages are meant for an interactive terminal (Keras' ``io_utils``).

Keras prints progress bars and messages to stdout while interactive logging is enabled
(the default) and sends them to Python logging once it is disabled. Here `print_msg` is
that switch and `is_interactive_logging_enabled` answers whether it is on; dlpath's own
progress bar (``verbose=``) does not consult it.
"""

from __future__ import annotations

import logging
import sys

_state = {"interactive": True}
_logger = logging.getLogger("dlpath")


def enable_interactive_logging() -> None:
    """Print messages (progress bars, summaries) to stdout."""
    _state["interactive"] = True


def disable_interactive_logging() -> None:
    """Send messages to the ``"dlpath"`` logger (level INFO) instead of stdout."""
    _state["interactive"] = False


def is_interactive_logging_enabled() -> bool:
    return _state["interactive"]


def print_msg(message: str, line_break: bool = True) -> None:
    """``message`` to stdout while interactive logging is on, else to the logger."""
    if _state["interactive"]:
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        _logger.info(message)


__all__ = ["enable_interactive_logging", "disable_interactive_logging",
           "is_interactive_logging_enabled", "print_msg"]
