"""One module per verb of the ``dlpath`` command, each thin over the packages below."""
