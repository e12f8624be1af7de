"""competency: assess people against competency frameworks.

The core package: framework and assessment models, loading, scoring, reports, batch work
and the command line. It never imports Textual; the screens live in ``tui``.
"""

__version__ = "0.1.0"
