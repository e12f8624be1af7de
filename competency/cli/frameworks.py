"""``competency frameworks``: list the bundled and installed frameworks; install, remove."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command, error, paragraphs, refused


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "frameworks",
        summary="list, install and remove frameworks",
        description=paragraphs(
            "List the frameworks the tool knows by id: those bundled with it and those "
            "installed in your data folder ($XDG_DATA_HOME/competency/frameworks, by "
            "default ~/.local/share/competency/frameworks), saying which is which, with "
            "their levels, statement counts and area maps. Every command that takes "
            "--framework finds them by id, and so does the default lookup by an "
            "assessment's framework.id; `competency assess` offers them on its start "
            "screen.\n\n"
            "`install FILE` checks a framework (and the area map, role profiles and learning "
            "resources beside it, or --areas, --profiles, --resources) like `competency "
            "validate`, then copies them there as <id>.json, <id>.areas.toml, "
            "<id>.profiles.toml and <id>.resources.toml. `remove ID` takes an installed one "
            "out with its files; bundled ones stay.\n\n"
            "Exit status: 0 done; 1 the file was refused or there is no such framework; "
            "2 bad option or the data folder cannot be written."
        ),
        examples="""\
  competency frameworks
  competency frameworks install fw/25-4031.00.json
  competency frameworks install skills.json --areas skills-areas.toml --force
  competency frameworks remove 25-4031.00""",
    )
    parser.set_defaults(run=run_list)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    install = actions.add_parser(
        "install",
        help="check a framework and install it where --framework's lookup by id finds it",
        description="Check a framework and its area map, then install them by id.",
    )
    install.add_argument("file", metavar="FILE", help="the framework JSON")
    install.add_argument(
        "--areas", metavar="A", help="its area map (default: the .areas.toml beside it)"
    )
    install.add_argument(
        "--profiles",
        metavar="P",
        help="its role profiles (default: the .profiles.toml beside it, if any)",
    )
    install.add_argument(
        "--resources",
        metavar="R",
        help="its learning resources (default: the .resources.toml beside it, if any)",
    )
    install.add_argument(
        "--force", action="store_true", help="replace an installed framework of the same id"
    )
    install.set_defaults(run=run_install)
    remove = actions.add_parser("remove", help="remove an installed framework")
    remove.add_argument("framework_id", metavar="ID", help="the framework's id")
    remove.set_defaults(run=run_remove)


def run_list(args: argparse.Namespace) -> int:
    from competency.errors import CompetencyError
    from competency.framework.bundled import bundled_frameworks, installed_folder
    from competency.framework.model import load_framework
    from competency.text import terminal

    known = bundled_frameworks()
    for bundled in known:
        version = terminal(bundled.version or "no version")
        where = "installed" if bundled.installed else "bundled"
        print(f"{terminal(bundled.id)}  {terminal(bundled.title)} ({version}), {where}")
        try:
            fw = load_framework(bundled.path)
        except CompetencyError as exc:
            print(f"  invalid:    {exc.line}")
            continue
        areas = f"{len(fw.areas)} areas" if fw.has_area_map else "one area, 'all' (no area map)"
        print(f"  levels:     {' → '.join(terminal(level.label) for level in fw.levels)}")
        print(f"  statements: {len(fw.statements)} in {areas}")
        print(f"  file:       {terminal(str(bundled.path))}")
        if fw.attribution:
            sources = _sources(fw.sources)
            print(f"  credit:     {terminal(fw.attribution)}{'; ' + sources if sources else ''}")
    if not any(b.installed for b in known):
        print(f"(none installed in {terminal(str(installed_folder()))})")
    return 0


def run_install(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.files import read_input, write_atomic
    from competency.framework.bundled import bundled_frameworks, installed_folder
    from competency.framework.importers import ID_PATTERN
    from competency.framework.model import areas_path_for, framework_from_bytes
    from competency.text import terminal

    try:
        # Read once, check those bytes, copy those bytes: a file swapped after its check
        # is never what gets installed.
        data = read_input(Path(args.file))
        areas_path = areas_path_for(Path(args.file), args.areas)
        areas = read_input(areas_path) if areas_path is not None else None
        fw = framework_from_bytes(Path(args.file), data, areas_path, areas)
        companions = _checked_companions(fw, args)
    except CompetencyError as exc:
        refused(exc)
        return 1
    if not ID_PATTERN.match(fw.id):
        error(
            f"{args.file}: occupation.soc: {terminal(fw.id)!r} cannot name an installed file; "
            "use letters, digits, '.', '_' and '-'"
        )
        return 1
    for known in bundled_frameworks():
        if known.id != fw.id:
            continue
        if not known.installed:
            error(
                f"{args.file}: framework {fw.id!r} is bundled; an installed one cannot replace it"
            )
            return 1
        if not args.force:
            error(
                f"framework {fw.id!r} is already installed ({known.path}); pass --force to "
                "replace it"
            )
            return 1
    folder = installed_folder()
    target = folder / f"{fw.id}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The map and the files beside it first: a framework whose new map is not there yet
        # would be read with the old; a stale one of an earlier install goes.
        for kind, content in (("areas", areas), *companions.items()):
            beside = folder / f"{fw.id}.{kind}.toml"
            if content is not None:
                write_atomic(beside, content)
            elif beside.exists():
                beside.unlink()
        write_atomic(target, data)
    except OSError as exc:
        error(f"{folder}: cannot write it ({exc.strerror or exc})")
        return 2
    version = f", {fw.version}" if fw.version else ""
    shown = "an area map" if areas is not None else "no area map"
    names = {"profiles": "role profiles", "resources": "learning resources"}
    also = [names[kind] for kind, content in companions.items() if content is not None]
    if also:
        shown += ", " + " and ".join(also)
    print(f"installed {fw.id} ({terminal(fw.title)}{terminal(version)}) with {shown}: {target}")
    print(f"  competency assess --framework {fw.id}   or pick it on assess's start screen")
    return 0


COMPANIONS = ("profiles", "resources")
"""The optional files installed beside a framework and its area map (SPEC 9)."""


def _checked_companions(fw: Any, args: argparse.Namespace) -> dict[str, bytes | None]:
    """The role profiles and learning resources to install with ``fw``: the bytes of each
    file given (or beside the framework), checked against it; None where there is none."""
    from competency.files import read_input
    from competency.framework.companions import companion_of
    from competency.framework.profiles import parse_profiles
    from competency.framework.resources import parse_resources, resolve_resources

    found: dict[str, bytes | None] = {}
    for kind in COMPANIONS:
        # As every command finds them: given, else beside the framework unless --areas
        # named another map than the one beside it.
        path = companion_of(fw, kind, getattr(args, kind))
        if path is None:
            found[kind] = None
            continue
        data = read_input(path)
        if kind == "profiles":
            parse_profiles(data, path, fw)
        else:
            resolve_resources(parse_resources(data, path), fw, str(path))
        found[kind] = data
    return found


def run_remove(args: argparse.Namespace) -> int:
    from competency.framework.bundled import bundled_frameworks
    from competency.framework.companions import companion_path
    from competency.text import terminal

    matches = [b for b in bundled_frameworks() if b.id == args.framework_id]
    installed = [b for b in matches if b.installed]
    if not installed:
        shown = terminal(args.framework_id)
        if matches:
            error(
                f"framework {shown!r} is bundled with the tool; only installed ones can be removed"
            )
        else:
            error(f"no installed framework has id {shown!r} (see `competency frameworks`)")
        return 1
    for found in installed:
        try:
            if found.areas_path is not None:
                found.areas_path.unlink()
            for kind in COMPANIONS:
                companion_path(found.path, kind).unlink(missing_ok=True)
            found.path.unlink()
        except OSError as exc:
            error(f"{found.path}: cannot remove it ({exc.strerror or exc})")
            return 2
        print(f"removed {terminal(found.id)} ({terminal(found.title)}): {found.path}")
    return 0


def _sources(sources: dict[str, object] | object) -> str:
    from competency.text import terminal

    if not isinstance(sources, dict):
        return ""
    return terminal(", ".join(f"{key} {value}" for key, value in sources.items()))
