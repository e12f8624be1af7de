"""Frameworks: the files as written (``raw``), the resolved model (``model``), the cache of
frameworks already checked (``cache``), and finding bundled or installed ones (``bundled``).

Nothing is imported here, so ``import competency.framework.model`` costs only that module.
"""
