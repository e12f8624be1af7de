"""Turn the Financial Times' engineering progression (YAML, MIT) into our framework shape.

It is a real framework we did not write: eight levels, nine themes, one statement per
level and theme. The levels become the ladder in file order, each competency a statement
of its level (summary whitespace folded), and the themes become the area map. The
data in tests/data is never changed; the converted files live in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import DATA

FT_YAML = DATA / "ft-engineering-progression" / "engineering.yml"


def convert(folder: Path, *, with_areas: bool = True) -> Path:
    """Write ``ft-engineering.json`` (and its ``.areas.toml``) into ``folder``; return the JSON.

    Without the area map the framework is scored as one area, ``all`` (SPEC 2).
    """
    doc: dict[str, Any] = yaml.safe_load(FT_YAML.read_text(encoding="utf-8"))
    statements: dict[str, list[str]] = {lvl["id"]: [] for lvl in doc["levels"]}
    areas: dict[str, list[str]] = {theme["id"]: [] for theme in doc["themes"]}
    theme_names = {theme["id"]: theme["name"] for theme in doc["themes"]}
    for item in doc["competencies"]:
        level = statements[item["level"]]
        text = " ".join(str(item["summary"]).split())
        level.append(f"{theme_names[item['theme']]} \u2014 {text}")
        areas[item["theme"]].append(f"{item['level']}.{len(level)}")
    framework = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "ft-engineering", "title": f"FT {doc['name']}"},
        "framework": {
            "version": "d54616e",
            "description": " ".join(str(doc["summary"]).split()),
            "levels": {
                lvl["id"]: {"label": lvl["name"], "statements": statements[lvl["id"]]}
                for lvl in doc["levels"]
                if statements[lvl["id"]]
            },
        },
        "sources": {"github": "Financial-Times/engineering-progression"},
        "attribution": "The Financial Times Ltd (MIT licence)",
    }
    path = folder / "ft-engineering.json"
    path.write_text(json.dumps(framework, ensure_ascii=False, indent=1), encoding="utf-8")
    if not with_areas:
        return path
    lines = []
    for theme in doc["themes"]:
        ids = ", ".join(json.dumps(sid) for sid in areas[theme["id"]])
        summary = " ".join(str(theme["summary"]).split())
        lines += [
            "[[areas]]",
            f"id = {json.dumps(theme['id'])}",
            f"title = {json.dumps(theme['name'])}",
            f"description = {json.dumps(summary)}",
            f"statements = [{ids}]",
            "",
        ]
    path.with_name("ft-engineering.areas.toml").write_text("\n".join(lines), encoding="utf-8")
    return path
