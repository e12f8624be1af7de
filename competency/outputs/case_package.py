"""A framework as a 1EdTech CASE 1.1 JSON package (``CFPackage``).

The document is the framework; each area is an item directly under it and each statement
an item under its area, ordered by ``sequenceNumber``. A statement item's
``abbreviatedStatement`` is its topic and ``fullStatement`` its description (as
``competency import`` reads them: ``Topic — description``),
``humanCodingScheme`` its id (``emerging.1``) and ``CFItemType`` its level's label.

The ladder travels as ``CFRubrics``: one rubric, with a criterion for each statement item
whose one criterion level is the statement's level (``quality`` its label, ``score`` its
rank, ``description`` the statement's description), so any CASE reader that knows rubrics
sees which level each statement is at, and ``competency import`` rebuilds the levels.
``extensions`` (which CASE 1.1 allows on every object) carry what CASE has no field for,
so that export then import gives back the same framework (the same fingerprint): the
framework's id on the document, each level's key on its criterion level, each statement's
id on its item. Identifiers are UUIDs derived from the framework's id (or kept from the
package it was imported from), so exporting twice gives the same package.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import IO, Any

from competency.outputs.framework_sheet import FrameworkExport

NAMESPACE = uuid.UUID("6f1d3a5e-2c4b-5e8f-9a7d-0b1c2d3e4f50")
"""The namespace of every identifier this tool derives (uuid5)."""

_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _uuid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


def _stamp(export: FrameworkExport) -> str:
    """When the framework last changed: its file's ``exportedAt`` or the source's date."""
    provenance = export.document.get("provenance")
    document = provenance.get("document") if isinstance(provenance, dict) else None
    for value in (
        export.document.get("exportedAt"),
        document.get("lastChangeDateTime") if isinstance(document, dict) else None,
    ):
        if isinstance(value, str) and _DATE_TIME.match(value):
            return value
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_package(export: FrameworkExport) -> dict[str, Any]:
    """The CFPackage's JSON object."""
    fw = export.framework
    provenance = export.document.get("provenance")
    source_doc = provenance.get("document") if isinstance(provenance, dict) else None
    doc_id = (_uuid(source_doc.get("identifier")) if isinstance(source_doc, dict) else None) or str(
        uuid.uuid5(NAMESPACE, f"framework:{fw.id}")
    )
    stamp = _stamp(export)

    def node(identifier: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}

    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": f"urn:uuid:{doc_id}",
        "caseVersion": "1.1",
        "creator": fw.attribution or "competency",
        "title": fw.title,
        "lastChangeDateTime": stamp,
        "description": fw.description,
    }
    if fw.version:
        document["version"] = fw.version
    document["extensions"] = {"frameworkId": fw.id}
    document["notes"] = (
        f"Framework {fw.id}, exported by competency. Levels, lowest first: "
        + ", ".join(level.label for level in fw.levels)
        + ". Each statement's CFItemType is its level; CFRubrics give each statement's "
        "level with its rank as the score."
    )
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    rubric_id = str(uuid.uuid5(NAMESPACE, f"rubric:{doc_id}"))
    criteria: list[dict[str, Any]] = []

    def criterion(item: dict[str, Any], statement: Any) -> None:
        """The statement's level as the one level of its item's rubric criterion."""
        level = fw.level_by_key[statement.level]
        c_uuid = str(uuid.uuid5(NAMESPACE, f"criterion:{doc_id}:{statement.id}"))
        l_uuid = str(uuid.uuid5(NAMESPACE, f"criterion-level:{doc_id}:{statement.id}"))
        criteria.append(
            {
                "identifier": c_uuid,
                "uri": f"urn:uuid:{c_uuid}",
                "description": statement.text,
                "CFItemURI": node(item["identifier"], statement.topic),
                "position": len(criteria) + 1,
                "rubricId": rubric_id,
                "lastChangeDateTime": stamp,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": l_uuid,
                        "uri": f"urn:uuid:{l_uuid}",
                        "description": statement.description,
                        "quality": level.label,
                        "score": level.rank,
                        "position": level.rank,
                        "rubricCriterionId": c_uuid,
                        "lastChangeDateTime": stamp,
                        # CASE 1.1's schema has a criterion level's extensions as a list.
                        "extensions": [{"levelKey": level.key}],
                    }
                ],
            }
        )

    def child_of(child: dict[str, str], parent: dict[str, str], seq: int) -> None:
        key = f"{child['identifier']}>{parent['identifier']}"
        identifier = str(uuid.uuid5(NAMESPACE, f"association:{key}"))
        associations.append(
            {
                "identifier": identifier,
                "uri": f"urn:uuid:{identifier}",
                "associationType": "isChildOf",
                "sequenceNumber": seq,
                "originNodeURI": child,
                "destinationNodeURI": parent,
                "lastChangeDateTime": stamp,
            }
        )

    root = node(doc_id, fw.title)
    for a_seq, area in enumerate(fw.areas, start=1):
        area_uuid = str(uuid.uuid5(NAMESPACE, f"area:{doc_id}:{area.id}"))
        area_item: dict[str, Any] = {
            "identifier": area_uuid,
            "uri": f"urn:uuid:{area_uuid}",
            "fullStatement": area.title,
            "humanCodingScheme": area.id,
            "CFItemType": "Competency area",
            "lastChangeDateTime": stamp,
        }
        if area.description:
            area_item["notes"] = area.description
        items.append(area_item)
        area_node = node(area_uuid, area.title)
        child_of(area_node, root, a_seq)
        for s_seq, statement in enumerate(fw.statements_in(area.id), start=1):
            s_uuid = str(uuid.uuid5(NAMESPACE, f"statement:{doc_id}:{statement.id}"))
            item: dict[str, Any] = {
                "identifier": s_uuid,
                "uri": f"urn:uuid:{s_uuid}",
                "fullStatement": statement.description or statement.text,
                "humanCodingScheme": statement.id,
                "CFItemType": fw.level_by_key[statement.level].label,
                "lastChangeDateTime": stamp,
                "extensions": {"statementId": statement.id},
            }
            if statement.description:
                item["abbreviatedStatement"] = statement.topic
            items.append(item)
            child_of(node(s_uuid, statement.topic), area_node, s_seq)
            criterion(item, statement)
    rubric = {
        "identifier": rubric_id,
        "uri": f"urn:uuid:{rubric_id}",
        "title": f"Levels of {fw.title}",
        "description": "Each statement's level in the ladder, lowest first: "
        + ", ".join(f"{level.rank} {level.label}" for level in fw.levels)
        + ".",
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": criteria,
    }
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": [rubric],
    }


def write_case(export: FrameworkExport, out: IO[bytes]) -> None:
    """The package as JSON, two-space indented."""
    text = json.dumps(build_package(export), ensure_ascii=False, indent=2) + "\n"
    out.write(text.encode("utf-8"))
