"""``competency frameworks``: list the bundled frameworks."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "frameworks",
        summary="list the bundled frameworks",
        description="List the frameworks that ship with the tool, with their ids, levels, "
        "statement counts and area maps. Pass an id's file to --framework, or let commands "
        "pick the framework by the assessment's framework.id.",
        examples="  competency frameworks",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.errors import CompetencyError
    from competency.framework.bundled import bundled_frameworks
    from competency.framework.model import load_framework
    from competency.text import terminal

    for bundled in bundled_frameworks():
        version = terminal(bundled.version or "no version")
        print(f"{bundled.id}  {terminal(bundled.title)} ({version})")
        try:
            fw = load_framework(bundled.path)
        except CompetencyError as exc:
            print(f"  invalid:    {exc.line}")
            continue
        areas = f"{len(fw.areas)} areas" if fw.has_area_map else "one area, 'all' (no area map)"
        print(f"  levels:     {' → '.join(terminal(level.label) for level in fw.levels)}")
        print(f"  statements: {len(fw.statements)} in {areas}")
        print(f"  file:       {bundled.path}")
        if fw.attribution:
            print(f"  credit:     {terminal(fw.attribution)}; {_sources(fw.sources)}")
    return 0


def _sources(sources: dict[str, object] | object) -> str:
    from competency.text import terminal

    if not isinstance(sources, dict):
        return ""
    return terminal(", ".join(f"{key} {value}" for key, value in sources.items()))
