"""``python -m competency`` runs the command line."""

from competency.cli import run

run()
