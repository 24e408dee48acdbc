"""``python -m dlpath.tuning RECIPE --trials N``: the same as ``dlpath tune``."""

import sys

from dlpath.tuning.cli import main

sys.exit(main())
