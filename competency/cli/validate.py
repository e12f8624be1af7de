"""``competency validate PATH...``: check frameworks, area maps and assessments."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from competency.cli.common import add_command, add_framework_options, cannot_run


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "validate",
        summary="check frameworks, area maps, role profiles, resources and assessments",
        description="Check each file and say 'ok' or the one line that names what is wrong "
        "and where. A framework is checked with its area map, role profiles and learning "
        "resources; a profiles file with the framework beside it; a resources file against "
        "the framework beside it (or --framework, or the bundled one of the same file "
        "name); an assessment against its framework (--framework, or the bundled one with "
        "its framework.id). A folder means every *.json, *.areas.toml, *.profiles.toml and "
        "*.resources.toml below it. Exit status: 0 when all are valid, 1 when any is not.",
        examples="""\
  competency validate frameworks/librarians-25-4022.00.json
  competency validate frameworks/librarians-25-4022.00.areas.toml
  competency validate frameworks/librarians-25-4022.00.profiles.toml
  competency validate examples/librarians-25-4022.00.resources.toml
  competency validate assessments/
  competency validate mine.json --framework my-framework.json""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    add_framework_options(parser)
    parser.set_defaults(run=run)


def _files(paths: list[str]) -> Iterator[tuple[Path, OSError | None]]:
    """Every file to check, and every folder that could not be read with its error."""
    from competency.files import is_json_name, is_report_name, walk_files
    from competency.framework.resources import SUFFIX as RESOURCES

    def wanted(name: str) -> bool:
        return (is_json_name(name) and not is_report_name(name)) or name.endswith(
            (".areas.toml", PROFILES_SUFFIX, RESOURCES)
        )

    for given in paths:
        if os.path.isdir(given):
            for found, error in walk_files(given, wanted):
                yield Path(found), error
        else:
            yield Path(given), None


def run(args: argparse.Namespace) -> int:
    from competency.errors import CompetencyError
    from competency.framework.bundled import FrameworkResolver
    from competency.text import terminal

    try:
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
    except CompetencyError as exc:
        return cannot_run(exc)
    bad = 0
    for path, unreadable in _files(args.paths):
        if unreadable is not None:
            # A folder it cannot list is named, as `score` names it: never skipped silently.
            print(terminal(f"invalid  {path}: cannot read the folder ({unreadable.strerror})"))
            bad += 1
            continue
        try:
            what = check_one(path, frameworks)
        except CompetencyError as exc:
            print(f"invalid  {exc.line}")
            bad += 1
        else:
            print(terminal(f"ok       {path}: {what}"))
    return 1 if bad else 0


def check_one(path: Path, frameworks: Any) -> str:
    """Check one file of whatever kind it is; return a short description of it."""
    from competency.assessment import check_against
    from competency.errors import AssessmentError, FrameworkError
    from competency.files import read_input
    from competency.framework.model import (
        default_areas_path,
        load_area_map,
        load_framework,
        parse_framework,
        resolve_framework,
    )
    from competency.framework.resources import with_resources
    from competency.storage import parse_assessment

    if path.name.endswith(".resources.toml"):
        return check_resources(path, frameworks)
    if path.name.endswith(".areas.toml"):
        area_map = load_area_map(path)
        beside = path.with_name(path.name[: -len(".areas.toml")] + ".json")
        if not beside.is_file():
            return f"area map with {len(area_map.areas)} areas (no framework beside it to check)"
        raw = parse_framework(read_input(beside), str(beside))
        fw = resolve_framework(raw, area_map, source=str(beside), areas_source=str(path))
        return f"area map: {len(fw.areas)} areas covering all {len(fw.statements)} statements"
    if path.name.endswith(PROFILES_SUFFIX):
        return _check_profiles(path)

    data = read_input(path, AssessmentError)
    kind = _sniff(data)
    if kind == "framework":
        if not default_areas_path(path).is_file():
            fw = with_resources(load_framework(path))
            return (
                f"framework {fw.id}, {len(fw.levels)} levels, {len(fw.statements)} statements"
                f"{_profiles_count(fw)} (no area map: scored as one area, 'all')"
            )
        fw = with_resources(load_framework(path))
        more = "" if fw.resources is None else f", {len(fw.resources.items)} learning resources"
        return (
            f"framework {fw.id}, {len(fw.levels)} levels, {len(fw.statements)} statements, "
            f"{len(fw.areas)} areas{_profiles_count(fw)}{more}"
        )
    if kind == "assessment":
        assessment = parse_assessment(data, str(path))
        fw = frameworks.for_id(assessment.framework.id, str(path))
        check_against(assessment, fw, str(path))
        answered = len(assessment.ratings)
        profile = fw.profile(assessment.profile)
        if profile is None:
            return (
                f"assessment of {assessment.subject.name!r}, {answered}/{len(fw.statements)} "
                f"answered, {assessment.status}"
            )
        held = profile.statement_ids
        answered = sum(1 for sid in assessment.ratings if sid in held)
        return (
            f"assessment of {assessment.subject.name!r}, {answered}/{len(held)} answered "
            f"in profile {profile.id!r}, {assessment.status}"
        )
    raise FrameworkError(
        "neither a framework (no 'schemaVersion') nor an assessment (no 'schema')",
        source=str(path),
    )


def check_resources(path: Path, frameworks: Any) -> str:
    """A learning resources file, checked against its framework: the one beside it (same
    stem), else ``--framework``, else the bundled one whose file has the same name."""
    from competency.framework.bundled import bundled_frameworks
    from competency.framework.model import load_framework
    from competency.framework.resources import SUFFIX, load_resources, parse_resources

    stem = path.name[: -len(SUFFIX)]
    beside = path.with_name(stem + ".json")
    if beside.is_file():
        framework = load_framework(beside)
    elif frameworks.explicit is not None:
        framework = frameworks.explicit
    else:
        same = [b for b in bundled_frameworks() if b.path.stem == stem]
        if not same:
            from competency.files import read_input

            raw = parse_resources(read_input(path), path)
            return (
                f"{len(raw.resources)} learning resources (no framework beside it to check "
                "them against: give --framework)"
            )
        framework = load_framework(same[0].path)
    found = load_resources(path, framework)
    helped = len({sid for r in found.items for sid in r.statement_ids})
    return (
        f"{len(found.items)} learning resources for framework {framework.id}, helping "
        f"with {helped} of its {len(framework.statements)} statements"
    )


PROFILES_SUFFIX = ".profiles.toml"


def _check_profiles(path: Path) -> str:
    """A role profiles file, checked against the framework beside it (and its area map)."""
    from competency.framework.model import load_framework

    beside = path.with_name(path.name[: -len(PROFILES_SUFFIX)] + ".json")
    if not beside.is_file():
        from competency.errors import FrameworkError

        raise FrameworkError(
            f"no framework {beside.name} beside it to check the profiles against",
            source=str(path),
        )
    fw = load_framework(beside, profiles=path)
    held = ", ".join(f"{p.id} ({len(p.statement_ids)})" for p in fw.profiles)
    return f"{len(fw.profiles)} role profiles of framework {fw.id}, statements held: {held}"


def _profiles_count(fw: Any) -> str:
    return f", {len(fw.profiles)} role profiles" if fw.profiles else ""


def _sniff(data: bytes) -> str | None:
    """Tell a framework from an assessment by its top-level keys."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return "assessment"  # let the assessment parser name the JSON error precisely
    if not isinstance(doc, dict):
        return "assessment"
    if "schemaVersion" in doc:
        return "framework"
    if "schema" in doc or "ratings" in doc:
        return "assessment"
    return None
