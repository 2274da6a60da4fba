"""``python -m inferx`` runs the command-line interface."""

from inferx.cli import main

main()
