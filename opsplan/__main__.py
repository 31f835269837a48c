"""`python -m opsplan` runs the command line."""

from opsplan.cli import main

main()
