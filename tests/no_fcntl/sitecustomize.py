"""Python without ``fcntl``, as on Windows: put this folder first on PYTHONPATH.

``.ci/run`` runs a session's tests so (``PYTHONPATH=tests/no_fcntl``); every process
they start inherits the variable and lacks ``fcntl`` too, so all of them lock files the
same way. ``tests/core/test_portable.py`` checks the module is really gone.
"""

import sys

sys.modules["fcntl"] = None  # type: ignore[assignment]  # `import fcntl` now fails
