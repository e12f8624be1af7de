"""Keeping spreadsheet cells inert.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
taken for a formula by Excel, LibreOffice or Google Sheets (CSV/formula injection). Such
text is prefixed with an apostrophe, which every spreadsheet shows as plain text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """``text`` as a cell no spreadsheet will evaluate."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
