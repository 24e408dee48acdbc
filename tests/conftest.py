"""Test-wide settings: the data folder defaults to the shared copy beside the repository."""

import os
from pathlib import Path

os.environ.setdefault(
    "DLPATH_DATA", str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
