"""The `registry` command line: `main.py` is the entry point, one module per group of commands, and
`platform.py` what they share."""
