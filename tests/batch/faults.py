"""Framework resolvers that break inside a worker process, for the batch's failure tests.

Workers start fresh (spawn), so a monkeypatch in the test's process never reaches them;
what they are sent does. These classes live in an importable module, so a worker can
unpickle them.
"""

from __future__ import annotations

import os
from typing import NoReturn

from competency.framework.bundled import FrameworkResolver


class DiesInWorker(FrameworkResolver):
    """Ends the process that resolves a framework, as the out-of-memory killer would."""

    def for_id(self, framework_id: str, source: str) -> NoReturn:
        os._exit(9)


class BugInWorker(FrameworkResolver):
    """Raises what no input can cause: a bug in the scorer."""

    def for_id(self, framework_id: str, source: str) -> NoReturn:
        raise ZeroDivisionError("a bug")
