"""``python -m dlpath``: the offline demo."""

from dlpath.demo import main

main()
