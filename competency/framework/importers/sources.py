"""Which importer reads a file, and the check that what it wrote is a valid framework."""

from __future__ import annotations

from pathlib import Path

from competency.files import read_input
from competency.framework.importers import (
    ImportedFramework,
    ImportRefused,
    area_map_toml,
    framework_json,
)

MOODLE_HEADINGS = frozenset({"parent id number", "id number", "shortname", "is framework"})


def detect_format(path: Path, data: bytes) -> str:
    """The format of ``data``: from its content first (a zip, a JSON package, Moodle's
    headings), then from its name."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "case"
    first_line = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", "replace").lower()
    headings = {cell.strip().strip('"').strip() for cell in first_line.split(",")}
    if headings >= MOODLE_HEADINGS:
        return "moodle"
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".json":
        return "case"
    return "csv"


def import_framework(
    path: Path,
    fmt: str | None = None,
    *,
    framework_id: str | None = None,
    title: str | None = None,
    version: str | None = None,
    attribution: str | None = None,
    area_depth: int = 1,
    named_columns: dict[str, str] | None = None,
) -> ImportedFramework:
    """Read ``path`` as ``fmt`` (detected when ``None``) into a framework.

    ``named_columns`` (a spreadsheet's heading -> the column it is) is for sheets only.
    """
    data = read_input(path, kind=ImportRefused)
    fmt = fmt or detect_format(path, data)
    options: dict[str, str | None] = {
        "framework_id": framework_id,
        "title": title,
        "version": version,
        "attribution": attribution,
    }
    if fmt in ("csv", "xlsx"):
        from competency.framework.importers.spreadsheet import import_spreadsheet

        imported = import_spreadsheet(
            path,
            data,
            fmt,
            framework_id=framework_id,
            title=title,
            version=version,
            attribution=attribution,
            named_columns=named_columns,
        )
    elif fmt == "case":
        from competency.framework.importers.case import import_case

        imported = import_case(path, data, area_depth=area_depth, **options)
    elif fmt == "moodle":
        from competency.framework.importers.moodle import import_moodle

        imported = import_moodle(path, data, area_depth=area_depth, **options)
    else:
        raise ImportRefused(f"unknown format {fmt!r}", source=str(path))
    check_written(imported, str(path))
    return imported


def check_written(imported: ImportedFramework, source: str) -> None:
    """Refuse an import whose files would not pass ``competency validate``.

    The importers keep SPEC 1 and 2's rules, so this failing is a bug here, not in the
    source; it is checked anyway so that no broken framework is ever written.
    """
    import tomllib

    from pydantic import ValidationError

    from competency.errors import from_validation_error
    from competency.framework.model import resolve_framework
    from competency.framework.raw import RawAreaMap, parse_framework

    where = f"{source} (as imported)"
    raw = parse_framework(framework_json(imported), where)
    toml = area_map_toml(imported)
    area_map = None
    if toml is not None:
        try:
            area_map = RawAreaMap.model_validate(tomllib.loads(toml.decode("utf-8")))
        except ValidationError as exc:
            raise from_validation_error(exc, source=where, kind=ImportRefused) from None
    resolve_framework(raw, area_map, source=where, areas_source=where)
