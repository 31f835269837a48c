"""`python -m opsplan` runs the command line."""

from opsplan.cli import run

run()
