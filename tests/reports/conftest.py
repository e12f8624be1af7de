"""A framework these reports were not written for: the Financial Times' engineering ladder.

``engineering.yml`` (MIT) has another shape: 8 levels, 72 competencies each with a level
and a theme. ``ft_engineering`` converts it the way a user would: levels from ``levels``,
statements from ``competencies`` grouped by level, and the themes as areas, written as
an area map beside the framework.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SHARED

FT_YAML = SHARED / "external" / "ft-engineering-progression" / "engineering.yml"


def convert_ft(folder: Path, *, with_areas: bool = True) -> Path:
    """Write the FT ladder as framework JSON (and its area map); return the JSON path."""
    doc: dict[str, Any] = yaml.safe_load(FT_YAML.read_text("utf-8"))
    levels: dict[str, dict[str, Any]] = {
        level["id"]: {"label": level["name"], "statements": []} for level in doc["levels"]
    }
    in_theme: dict[str, list[str]] = {theme["id"]: [] for theme in doc["themes"]}
    for item in doc["competencies"]:
        statements = levels[item["level"]]["statements"]
        statements.append(" ".join(item["summary"].split()))
        in_theme[item["theme"]].append(f"{item['level']}.{len(statements)}")
    framework = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "ft-engineering", "title": doc["name"]},
        "framework": {"version": "2024", "levels": levels},
        "attribution": "Financial Times engineering progression, MIT licence",
        "sources": {"repository": "https://github.com/Financial-Times/engineering-progression"},
    }
    path = folder / "ft-engineering.json"
    path.write_text(json.dumps(framework, ensure_ascii=False), "utf-8")
    if with_areas:
        areas = []
        for theme in doc["themes"]:
            ids = ", ".join(json.dumps(sid) for sid in in_theme[theme["id"]])
            areas.append(
                f"[[areas]]\nid = {json.dumps(theme['id'])}\ntitle = {json.dumps(theme['name'])}\n"
                f"description = {json.dumps(' '.join(theme['summary'].split()))}\n"
                f"statements = [{ids}]\n"
            )
        (folder / "ft-engineering.areas.toml").write_text("\n".join(areas), "utf-8")
    return path


@pytest.fixture()
def ft_engineering(tmp_path: Path) -> Path:
    """The FT ladder with its themes as areas."""
    return convert_ft(tmp_path)


@pytest.fixture()
def ft_engineering_no_areas(tmp_path: Path) -> Path:
    """The FT ladder with no area map: one area, ``all``."""
    return convert_ft(tmp_path, with_areas=False)
