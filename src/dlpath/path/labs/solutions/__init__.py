"""Reference solutions: each file is a complete, solved lab file (read as text)."""
