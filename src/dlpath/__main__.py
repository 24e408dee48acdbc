"""``python -m dlpath``: the ``dlpath`` command (``python -m dlpath --help``)."""

import sys

from dlpath.cli import main

sys.exit(main())
