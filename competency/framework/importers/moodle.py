"""A framework from a Moodle competency framework CSV (``admin/tool/lpimportcsv``).

Moodle's 14-column layout (Parent id number, Id number, Shortname, Description,
Description format, Scale values, Scale configuration, three rule columns, Cross
referenced competency id numbers, Exported id, Is framework, Taxonomy) and the older
12-column one (no cross references, no exported id; a taxonomy written as a JSON object).
Columns are found by their headings, so either works. The row with Is framework = 1
gives the framework's id, title and description; the tree runs from Parent id number to
Id number; the top-level competencies are the areas (``area_depth`` chooses a deeper
level) and the leaves are the statements. HTML descriptions (format 1) become plain text.
There is one level, labelled with the scale's proficient value.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

from competency.framework.importers import (
    FrameworkBuilder,
    ImportedFramework,
    ImportRefused,
    check_id,
    clean,
    join_topic,
    slug,
    walk_tree,
)
from competency.framework.importers.spreadsheet import read_csv_rows

HEADINGS = {
    "parent id number": "parent",
    "id number": "idnumber",
    "shortname": "shortname",
    "description": "description",
    "description format": "format",
    "scale values": "scale",
    "scale configuration": "scale_config",
    "rule type (optional)": "rule_type",
    "rule outcome (optional)": "rule_outcome",
    "rule config (optional)": "rule_config",
    "cross referenced competency id numbers": "related",
    "exported id (optional)": "exported_id",
    "is framework": "is_framework",
    "taxonomy": "taxonomy",
}
REQUIRED = ("parent", "idnumber", "shortname", "is_framework")
HTML_FORMAT = "1"


_BREAKS = frozenset(("br", "p", "div", "li", "tr", "td", "h1", "h2", "h3", "h4"))
_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9]*)")


def plain(text: str, fmt: str) -> str:
    """A description as plain text: HTML (format 1) without its markup.

    One pass with ``str.find``, so its time is linear whatever the markup: html.parser
    took 64 s on 32,000 unclosed ``<!--`` and raised on ``<![]``. A line break or a
    paragraph is a space; a comment, a declaration or a tag left open runs to the end,
    as a browser reads it.
    """
    if fmt.strip() != HTML_FORMAT:
        return text
    parts: list[str] = []
    at = 0
    while True:
        tag = text.find("<", at)
        if tag < 0:
            parts.append(text[at:])
            break
        parts.append(text[at:tag])
        if text.startswith("<!--", tag):
            close = text.find("-->", tag + 4)
            if close < 0:
                break
            at = close + 3
            continue
        name = _TAG_NAME.match(text, tag + 1)
        if name is None and not text.startswith(("<!", "<?"), tag):
            parts.append("<")  # a "<" that opens no tag is text, as in "a < b"
            at = tag + 1
            continue
        close = text.find(">", tag + 1)
        if close < 0:
            break
        if name is not None and name.group(1).lower() in _BREAKS:
            parts.append(" ")
        at = close + 1
    return html.unescape("".join(parts))


def _level_label(scale: str, config: str, source: str, where: str) -> str:
    """The scale's proficient value: config ``[{"scaleid":..},{"id":2,"proficient":1}]``,
    where ``id`` is the 1-based place in the comma-separated values."""
    values = [v.strip() for v in scale.split(",") if v.strip()]
    if not config.strip():
        return values[-1] if values else "Proficient"
    try:
        entries = json.loads(config)
    except (ValueError, RecursionError):  # a 4,301-digit number is a ValueError too
        raise ImportRefused(
            "Scale configuration is not valid JSON", source=source, location=where
        ) from None
    proficient = [
        e["id"]
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict) and e.get("proficient") in (1, "1") and "id" in e
    ]
    for place in proficient:
        try:
            index = int(place)
        except (TypeError, ValueError, OverflowError):  # Infinity is a JSON number here
            continue
        if 1 <= index <= len(values):
            return values[index - 1]
    return values[-1] if values else "Proficient"


def import_moodle(
    path: Path,
    data: bytes,
    *,
    framework_id: str | None = None,
    title: str | None = None,
    version: str | None = None,
    attribution: str | None = None,
    area_depth: int = 1,
) -> ImportedFramework:
    """A framework from a Moodle competency framework CSV's bytes."""
    source = str(path)
    rows = iter(read_csv_rows(data, source))
    header: dict[str, int] = {}
    for row, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        for index, name in enumerate(cells):
            key = HEADINGS.get(" ".join(name.strip().lower().split()))
            if key is not None:
                header.setdefault(key, index)
        missing = [h for h, k in HEADINGS.items() if k in REQUIRED and k not in header]
        if missing:
            raise ImportRefused(
                f"not a Moodle competency framework CSV: no {missing[0]!r} column",
                source=source,
                location=f"row {row}",
            )
        break
    else:
        raise ImportRefused("the file is empty", source=source)

    def cell(cells: Sequence[str], key: str) -> str:
        index = header.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    framework: tuple[int, Sequence[str]] | None = None
    nodes: list[tuple[int, Sequence[str]]] = []
    index_of: dict[str, int] = {}
    for row, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if cell(cells, "is_framework").strip() == "1":
            if framework is not None:
                raise ImportRefused(
                    f"a second framework row (the first is row {framework[0]}); import one "
                    "framework at a time",
                    source=source,
                    location=f"row {row}",
                )
            framework = (row, cells)
            continue
        idnumber = cell(cells, "idnumber").strip()
        if not idnumber:
            raise ImportRefused("has no Id number", source=source, location=f"row {row}")
        if idnumber in index_of:
            first = nodes[index_of[idnumber]][0]
            raise ImportRefused(
                f"Id number {idnumber!r} is already row {first}",
                source=source,
                location=f"row {row}",
            )
        index_of[idnumber] = len(nodes)
        nodes.append((row, cells))
    if framework is None:
        raise ImportRefused("no row has Is framework = 1", source=source)
    fw_row, fw_cells = framework
    fw_where = f"row {fw_row}"

    children: dict[int | None, list[int]] = {}
    for n, (row, node_cells) in enumerate(nodes):
        parent_id = cell(node_cells, "parent").strip()
        if parent_id and parent_id not in index_of:
            raise ImportRefused(
                f"Parent id number {parent_id!r} is no competency of this file",
                source=source,
                location=f"row {row}",
            )
        children.setdefault(index_of[parent_id] if parent_id else None, []).append(n)

    def text(n: int, key: str) -> str:
        row, cells = nodes[n]
        raw = cell(cells, key)
        if key == "description":
            raw = plain(raw, cell(cells, "format"))
        return clean(raw, source=source, location=f"row {row}, column {key!r}")

    builder = FrameworkBuilder(source)
    label = clean(
        _level_label(cell(fw_cells, "scale"), cell(fw_cells, "scale_config"), source, fw_where),
        source=source,
        location=fw_where,
    )
    level_key = builder.level(label, fw_where)
    not_carried: list[str] = []
    origins: dict[str, dict[str, str]] = {}
    area_ids: dict[str, int] = {}

    def new_area(n: int) -> str:
        name = text(n, "shortname") or cell(nodes[n][1], "idnumber").strip()
        base = slug(cell(nodes[n][1], "idnumber")) or slug(name) or "area"
        if base == "overall":
            base = "overall-area"
        area_ids[base] = area_ids.get(base, 0) + 1
        area_id = base if area_ids[base] == 1 else f"{base}-{area_ids[base]}"
        return builder.area(name, f"row {nodes[n][0]}", text(n, "description"), area_id=area_id)

    def add_statement(n: int, area_id: str) -> None:
        row, cells = nodes[n]
        topic, description = text(n, "shortname"), text(n, "description")
        if not topic and not description:
            raise ImportRefused("has no Shortname", source=source, location=f"row {row}")
        if description.startswith(topic.rstrip(".")):
            statement = description  # a shortname cut from the description says it twice
        else:
            statement = join_topic(topic, description)
        sid = builder.statement(level_key, statement, f"row {row}", area_id=area_id)
        origins[sid] = {"id": cell(cells, "idnumber").strip()}

    reached = walk_tree(
        children.get(None, []),
        lambda n: children.get(n, []),
        area_depth,
        new_area=new_area,
        add_statement=add_statement,
        label=lambda n: f"row {nodes[n][0]}: {cell(nodes[n][1], 'idnumber').strip()!r}",
        not_carried=not_carried,
    )
    unreached = [nodes[n][0] for n in range(len(nodes)) if n not in reached]
    if unreached:
        not_carried.append(f"rows {unreached} are in a loop of parents, under no top level")
    for row, node_cells in nodes:
        name = repr(cell(node_cells, "idnumber").strip())
        related = [r for r in cell(node_cells, "related").split(",") if r.strip()]
        if related:
            many = "s" if len(related) > 1 else ""
            not_carried.append(f"row {row}: {name} has {len(related)} cross-reference{many}")
        if cell(node_cells, "rule_type").strip():
            not_carried.append(f"row {row}: {name} has a completion rule")
        if cell(node_cells, "scale").strip():
            not_carried.append(f"row {row}: {name} has a scale of its own")
    if cell(fw_cells, "taxonomy").strip():
        not_carried.append(f"{fw_where}: the taxonomy (the name of each depth's competencies)")
    if not builder.levels[level_key].statements:
        raise ImportRefused("the framework has no competencies", source=source, location=fw_where)

    fw_id = cell(fw_cells, "idnumber").strip()
    fw_title = clean(cell(fw_cells, "shortname"), source=source, location=fw_where)
    description = clean(
        plain(cell(fw_cells, "description"), cell(fw_cells, "format")),
        source=source,
        location=f"{fw_where}, column 'description'",
    )
    return ImportedFramework(
        id=check_id(framework_id or fw_id or slug(fw_title) or "framework", source),
        title=title or fw_title or fw_id,
        version=version,
        description=description,
        levels=builder.ordered_levels(),
        areas=list(builder.areas.values()),
        provenance={
            "format": "moodle",
            "file": path.name,
            "framework": {"idnumber": fw_id, "row": fw_row},
            "statements": origins,
        },
        attribution=attribution,
        not_carried=not_carried,
    )
