"""``python -m competency`` runs the command line."""

from competency.cli import run

if __name__ == "__main__":  # a worker process imports this module too (spawn), and must not run
    run()
