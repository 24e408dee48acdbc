"""The checks of each lab, one module per lab (see dlpath.path.labs.checking)."""
