"""``python -m chronicle``: the same as the ``chronicle`` command."""

from chronicle.cli import program

raise SystemExit(program())
