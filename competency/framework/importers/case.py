"""A framework from a 1EdTech CASE 1.0 or 1.1 JSON package.

The items are flat (``CFItems``); the tree is in ``CFAssociations`` of type ``isChildOf``,
origin the child and destination its parent item or the ``CFDocument``, siblings ordered
by ``sequenceNumber`` when present, else by file order. The items at ``area_depth`` (1:
directly under the document) are the areas and the leaves below each are its statements;
a leaf above that depth is an area of one statement. A statement reads
``abbreviatedStatement — fullStatement``; its identifier, URI and ``humanCodingScheme`` are
kept as provenance. Without ``CFRubrics`` there is one level; with rubric criteria whose
levels name a quality, those qualities are the ladder and each criterion level's
description is a statement of its item at that level.

Real frameworks repeat a text under different codes (two standards worded alike): such
statements keep their ``humanCodingScheme`` as their topic, so both are carried and told
apart; only the same text with no code to tell it apart is refused. A package that
``export-framework`` wrote carries, in ``extensions``, the framework's id, each level's key
and each statement's id: they are honoured, so export then import gives back the same
framework. Item types and other definitions have no place in a framework: what a package
holds of them is listed as not carried.

Real files are messy. Lenient where the meaning is clear: a node reference written as a
bare string instead of an object, ids that are URLs, dates without a timezone (dates are
only carried, never parsed), a ``sequenceNumber`` written as a string of digits. Strict
where it is not: a missing document, an item without text, an association whose child or
parent cannot be found is named with its place in the file.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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

ONE_LEVEL = ("proficient", "Proficient")
"""The single level of a package without rubrics."""


class _Package:
    """The package's JSON with every refusal naming the file and the place."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise self.refuse(f"not UTF-8 text (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise self.refuse(
                f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            ) from None
        except ValueError:
            # An integer of more than 4,300 digits (Python's limit on reading one).
            raise self.refuse("holds a number too long to read (over 4,300 digits)") from None
        except RecursionError:
            raise self.refuse("not valid JSON (nested too deeply)") from None
        if isinstance(doc, dict) and isinstance(doc.get("CFPackage"), dict):
            doc = doc["CFPackage"]  # some servers wrap the package once more
        if not isinstance(doc, dict) or not isinstance(doc.get("CFDocument"), dict):
            raise self.refuse("not a CASE package: no CFDocument object", "CFDocument")
        self.doc = doc

    def refuse(self, message: str, location: str = "") -> ImportRefused:
        return ImportRefused(message, source=self.source, location=location)

    def objects(self, key: str) -> list[dict[str, Any]]:
        value = self.doc.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.refuse("should be a list ([...])", key)
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self.refuse("should be an object ({...})", f"{key}.{index}")
        return value

    def text(self, obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                raise self.refuse("required but missing", f"{where}.{key}")
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.refuse("should be text", f"{where}.{key}")
        return clean(value, source=self.source, location=f"{where}.{key}")


def _node_keys(node: Any) -> list[str]:
    """What a node reference can be matched by: its identifier and its URI."""
    if isinstance(node, str):
        return [node]  # a bare URI or identifier where a LinkGenURI object belongs
    if isinstance(node, dict):
        return [v for v in (node.get("identifier"), node.get("uri")) if isinstance(v, str) and v]
    return []


_WHOLE = re.compile(r"-?[0-9]{1,18}")


def _sequence(value: Any, package: _Package, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # ASCII digits only, one sign at most: "²" is a digit to str.isdigit, "--1" is no number.
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value)
    raise package.refuse(f"{value!r} is not a whole number", f"{where}.sequenceNumber")


def import_case(
    path: Path,
    data: bytes,
    *,
    framework_id: str | None = None,
    title: str | None = None,
    version: str | None = None,
    attribution: str | None = None,
    area_depth: int = 1,
) -> ImportedFramework:
    """A framework from a CASE package's bytes."""
    source = str(path)
    package = _Package(data, source)
    document: dict[str, Any] = package.doc["CFDocument"]
    doc_title = package.text(document, "title", "CFDocument", required=True)
    doc_keys = set(_node_keys(document))
    not_carried: list[str] = []

    items: dict[str, int] = {}  # identifier or uri -> index in CFItems
    raw_items = package.objects("CFItems")
    for index, item in enumerate(raw_items):
        keys = _node_keys(item)
        if not keys:
            raise package.refuse("an item needs an identifier", f"CFItems.{index}.identifier")
        for key in keys:
            if key in items and items[key] != index:
                raise package.refuse(
                    f"identifier {key!r} is also CFItems.{items[key]}", f"CFItems.{index}"
                )
            items[key] = index

    children: dict[int | None, list[tuple[tuple[int, int, int], int]]] = {}  # None: document
    parent_of: dict[int, int | None] = {}
    skipped: Counter[str] = Counter()
    for index, assoc in enumerate(package.objects("CFAssociations")):
        where = f"CFAssociations.{index}"
        kind = assoc.get("associationType")
        if kind != "isChildOf":
            skipped[str(kind)] += 1
            continue
        origin = next(
            (items[k] for k in _node_keys(assoc.get("originNodeURI")) if k in items), None
        )
        if origin is None:
            raise package.refuse("names a child that is not in CFItems", f"{where}.originNodeURI")
        dest_keys = _node_keys(assoc.get("destinationNodeURI"))
        parent: int | None
        if any(k in doc_keys for k in dest_keys):
            parent = None
        else:
            parent = next((items[k] for k in dest_keys if k in items), -1)
            if parent == -1:
                raise package.refuse(
                    "names a parent that is neither an item nor the document",
                    f"{where}.destinationNodeURI",
                )
        if origin in parent_of:
            not_carried.append(
                f"{where}: item {_label(raw_items[origin])} has a second parent; only its first "
                "is used"
            )
            continue
        parent_of[origin] = parent
        seq = _sequence(assoc.get("sequenceNumber"), package, where)
        order = (0, seq, index) if seq is not None else (1, 0, index)
        children.setdefault(parent, []).append((order, origin))
    for kind, count in sorted(skipped.items()):
        not_carried.append(
            f"{count} association{'s' if count > 1 else ''} of type {kind!r}: only isChildOf "
            "makes the tree"
        )

    def kids(node: int | None) -> list[int]:
        return [child for _, child in sorted(children.get(node, []))]

    builder = FrameworkBuilder(source)
    rubric_levels = _rubric_ladder(package, items, builder, not_carried)
    pending: list[_Pending] = []
    if not rubric_levels:
        builder.level(ONE_LEVEL[1], "CFDocument", key=ONE_LEVEL[0])
    origins: dict[str, dict[str, str]] = {}
    area_ids: Counter[str] = Counter()
    area_titles: set[str] = set()

    def statement_parts(index: int) -> tuple[str, str]:
        where = f"CFItems.{index}"
        item = raw_items[index]
        full = package.text(item, "fullStatement", where)
        short = package.text(item, "abbreviatedStatement", where)
        if not full and not short:
            raise package.refuse("an item needs a fullStatement", f"{where}.fullStatement")
        if not short or short == full:
            return full or short, ""
        return short, full

    def new_area(index: int) -> str:
        topic, description = statement_parts(index)
        item = raw_items[index]
        code = package.text(item, "humanCodingScheme", f"CFItems.{index}")
        base = slug(code) or slug(topic)[:48].rstrip("-") or "area"
        if base == "overall":
            base = "overall-area"
        area_ids[base] += 1
        area_id = base if area_ids[base] == 1 else f"{base}-{area_ids[base]}"
        if code and topic in area_titles:
            topic = f"{topic} ({code})"  # two areas worded alike, told apart by their codes
        area_titles.add(topic)
        return builder.area(topic, f"CFItems.{index}", description, area_id=area_id)

    def add_statement(index: int, area_id: str) -> None:
        where = f"CFItems.{index}"
        item = raw_items[index]
        topic, description = statement_parts(index)
        origin = {"id": str(item.get("identifier") or item.get("uri"))}
        code = package.text(item, "humanCodingScheme", where)
        if code:
            origin["humanCodingScheme"] = code
        if isinstance(item.get("uri"), str) and item["uri"] != origin["id"]:
            origin["uri"] = item["uri"]
        wanted = _extension(item, "statementId")
        if rubric_levels:
            levels = rubric_levels.get(index)
            if not levels:
                not_carried.append(f"{where}: {_label(item)} has no rubric criterion")
                return
            for key, level_text in levels:
                text = join_topic(topic, level_text)
                pending.append(_Pending(key, text, where, area_id, origin, code, wanted))
            return
        text = join_topic(topic, description)
        pending.append(_Pending(ONE_LEVEL[0], text, where, area_id, origin, code, wanted))

    reached = walk_tree(
        kids(None),
        kids,
        area_depth,
        new_area=new_area,
        add_statement=add_statement,
        label=lambda node: f"CFItems.{node}: {_label(raw_items[node])}",
        not_carried=not_carried,
    )
    for entry in _in_place(_told_apart(pending), builder):
        sid = builder.statement(entry.level, entry.text, entry.where, area_id=entry.area_id)
        origins[sid] = entry.origin
    exported_id = _extension(document, "frameworkId")
    typed = [item for item in raw_items if item.get("CFItemType") or item.get("CFItemTypeURI")]
    if typed and exported_id is None:  # this tool's own packages give each level as a type
        not_carried.append(
            f"CFItemType of {len(typed)} item{'s' if len(typed) > 1 else ''} (e.g. "
            f"{_label(typed[0])}: {str(typed[0].get('CFItemType') or 'a type URI')[:40]!r}): "
            "a framework has no item types"
        )
    not_carried += _definitions_not_carried(package.doc)
    not_carried += [
        f"area {area.title!r}: none of its items has a rubric criterion, so it has no statement"
        for area in builder.areas.values()
        if not area.statements
    ]
    unreached = [i for i in range(len(raw_items)) if i not in reached]
    if unreached:
        not_carried.append(
            f"{len(unreached)} item{'s' if len(unreached) > 1 else ''} not under the document "
            f"(first CFItems.{unreached[0]})"
        )
    if not any(level.statements for level in builder.levels.values()):
        raise package.refuse("no item is under the document: nothing to import", "CFAssociations")

    rights = _rights(package, document)
    doc_info = {
        key: document[key]
        for key in (
            "identifier",
            "uri",
            "creator",
            "publisher",
            "version",
            "officialSourceURL",
            "adoptionStatus",
            "lastChangeDateTime",
            "language",
        )
        if isinstance(document.get(key), str) and document[key]
    }
    provenance: dict[str, Any] = {
        "format": "case",
        "caseVersion": _case_version(package.doc, document),
        "file": path.name,
        "document": doc_info,
    }
    if rights:
        provenance["rights"] = rights
    provenance["statements"] = origins
    creator = package.text(document, "creator", "CFDocument")
    credit = (
        attribution
        or "; ".join(part for part in (creator, rights.get("title", "")) if part)
        or None
    )
    return ImportedFramework(
        id=check_id(framework_id or exported_id or slug(doc_title) or "framework", source),
        title=title or doc_title,
        version=version or package.text(document, "version", "CFDocument") or None,
        description=package.text(document, "description", "CFDocument"),
        levels=builder.ordered_levels(),
        areas=[area for area in builder.areas.values() if area.statements],
        provenance=provenance,
        attribution=credit,
        not_carried=not_carried,
    )


@dataclass(frozen=True, slots=True)
class _Pending:
    """A statement found in the tree, added once all are known (to tell repeated texts
    apart by their codes, and to keep the ids a package this tool wrote names)."""

    level: str
    text: str
    where: str
    area_id: str
    origin: dict[str, str]
    code: str
    wanted: str | None
    """The statement id the item's ``extensions.statementId`` names, if any."""


def _told_apart(pending: list[_Pending]) -> list[_Pending]:
    """Statements whose text repeats in a level take their code as topic, ``CODE — text``."""
    seen = Counter((entry.level, entry.text) for entry in pending)
    return [
        replace(entry, text=join_topic(entry.code, entry.text))
        if seen[entry.level, entry.text] > 1 and entry.code
        else entry
        for entry in pending
    ]


def _in_place(pending: list[_Pending], builder: FrameworkBuilder) -> list[_Pending]:
    """The statements in the order that gives each the id its package names, when every
    statement names a distinct ``<level key>.<n>`` of its own level running 1, 2, ... (a
    package ``export-framework`` wrote); else in the tree's order."""
    places: dict[str, list[int]] = {}
    for entry in pending:
        key, _, number = (entry.wanted or "").rpartition(".")
        if key != entry.level or not number.isdigit() or len(number) > 6:
            return pending
        places.setdefault(key, []).append(int(number))
    if any(sorted(numbers) != list(range(1, len(numbers) + 1)) for numbers in places.values()):
        return pending
    return sorted(pending, key=lambda e: (e.level, int((e.wanted or "").rpartition(".")[2])))


def _extension(obj: dict[str, Any], name: str) -> str | None:
    """A text ``extensions.NAME`` of a CASE object (as ``export-framework`` writes them):
    an object, or a list of objects (CASE 1.1 has both shapes)."""
    extensions = obj.get("extensions")
    found = extensions if isinstance(extensions, list) else [extensions]
    for extension in found:
        value = extension.get(name) if isinstance(extension, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _definitions_not_carried(doc: dict[str, Any]) -> list[str]:
    """One line for each kind of CFDefinitions entry a framework cannot carry (licences
    are carried as the framework's rights)."""
    definitions = doc.get("CFDefinitions")
    if not isinstance(definitions, dict):
        return []
    return [
        f"CFDefinitions.{kind}: {len(entries)} definition{'s' if len(entries) > 1 else ''}, "
        "not carried"
        for kind, entries in definitions.items()
        if kind != "CFLicenses" and isinstance(entries, list) and entries
    ]


def _label(item: dict[str, Any]) -> str:
    code = item.get("humanCodingScheme")
    text = item.get("abbreviatedStatement") or item.get("fullStatement") or item.get("identifier")
    shown = str(code) if isinstance(code, str) and code else str(text)[:40]
    return repr(shown)


def _case_version(doc: dict[str, Any], document: dict[str, Any]) -> str:
    if document.get("caseVersion") == "1.1" or "v1p1" in str(document.get("uri", "")):
        return "1.1"
    return "1.0"


def _rights(package: _Package, document: dict[str, Any]) -> dict[str, str]:
    """The licence: the document's licenseURI, with its text from CFDefinitions."""
    rights: dict[str, str] = {}
    link = document.get("licenseURI")
    keys = _node_keys(link)
    if isinstance(link, dict):
        if isinstance(link.get("title"), str):
            rights["title"] = package.text(link, "title", "CFDocument.licenseURI")
        if isinstance(link.get("uri"), str):
            rights["uri"] = link["uri"]
    elif isinstance(link, str):
        rights["uri"] = link
    definitions = package.doc.get("CFDefinitions")
    licences = definitions.get("CFLicenses") if isinstance(definitions, dict) else None
    for index, licence in enumerate(licences if isinstance(licences, list) else []):
        if isinstance(licence, dict) and set(_node_keys(licence)) & set(keys):
            where = f"CFDefinitions.CFLicenses.{index}"
            rights.setdefault("title", package.text(licence, "title", where))
            text = package.text(licence, "licenseText", where)
            if text:
                rights["text"] = text
    return {k: v for k, v in rights.items() if v}


def _rubric_ladder(
    package: _Package,
    items: dict[str, int],
    builder: FrameworkBuilder,
    not_carried: list[str],
) -> dict[int, list[tuple[str, str]]]:
    """Item index -> its (level key, level description) from the rubrics; adds the ladder.

    The ladder is the criterion levels' qualities, lowest first: by score when every
    level has one, else by position.
    """
    per_item: dict[int, list[tuple[str, str, float]]] = {}
    qualities: dict[str, float] = {}
    level_keys: dict[str, str] = {}
    for r, rubric in enumerate(package.objects("CFRubrics")):
        criteria = rubric.get("CFRubricCriteria") or []
        if not isinstance(criteria, list):
            raise package.refuse("should be a list ([...])", f"CFRubrics.{r}.CFRubricCriteria")
        for c, criterion in enumerate(criteria):
            where = f"CFRubrics.{r}.CFRubricCriteria.{c}"
            if not isinstance(criterion, dict):
                raise package.refuse("should be an object ({...})", where)
            item = next(
                (items[k] for k in _node_keys(criterion.get("CFItemURI")) if k in items), None
            )
            if item is None:
                not_carried.append(f"{where}: names no item of this package")
                continue
            levels = criterion.get("CFRubricCriterionLevels") or []
            if not isinstance(levels, list):
                raise package.refuse("should be a list ([...])", f"{where}.CFRubricCriterionLevels")
            for n, level in enumerate(levels):
                here = f"{where}.CFRubricCriterionLevels.{n}"
                if not isinstance(level, dict):
                    raise package.refuse("should be an object ({...})", here)
                quality = package.text(level, "quality", here, required=True)
                description = package.text(level, "description", here)
                rank = level.get("score", level.get("position", n))
                if (
                    isinstance(rank, bool)
                    or not isinstance(rank, int | float)
                    or not math.isfinite(float(min(max(rank, -1e300), 1e300)))
                ):
                    raise package.refuse("should be a number", f"{here}.score")
                rank = min(max(rank, -1e300), 1e300)  # a 400-digit score cannot be a float
                qualities.setdefault(quality, float(rank))
                key = _extension(level, "levelKey")
                if key is not None:
                    level_keys.setdefault(quality, key)
                per_item.setdefault(item, []).append((quality, description, float(rank)))
    if not qualities:
        return {}
    keys = {}
    for quality, _ in sorted(qualities.items(), key=lambda q: (q[1], q[0])):
        keys[quality] = builder.level(quality, "CFRubrics", key=level_keys.get(quality))
    return {
        item: [(keys[q], d) for q, d, _ in sorted(levels, key=lambda lv: qualities[lv[0]])]
        for item, levels in per_item.items()
    }
