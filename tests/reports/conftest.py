"""A framework these reports were not written for: the Financial Times' engineering ladder.

``engineering.yml`` (MIT) has another shape: 8 levels, 72 competencies each with a level
and a theme. ``tests.external.ft_framework.convert`` turns it into our framework JSON the
way a user would, with the themes as areas in an area map beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.external.ft_framework import convert


@pytest.fixture()
def ft_engineering(tmp_path: Path) -> Path:
    """The FT ladder with its themes as areas."""
    return convert(tmp_path)


@pytest.fixture()
def ft_engineering_no_areas(tmp_path: Path) -> Path:
    """The FT ladder with no area map: one area, ``all``."""
    return convert(tmp_path, with_areas=False)
