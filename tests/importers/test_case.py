"""`competency import` of real CASE packages, and `export-framework --format case`.

Counts and order are checked against what each file holds, worked out here from the
file's own associations, not from the importer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from competency.cli import main
from competency.errors import CompetencyError
from competency.framework.importers import framework_json
from competency.framework.importers.case import import_case
from competency.framework.model import load_framework
from tests.conftest import DATA, LIBRARIANS

CASE = DATA / "case"
OFFICIAL_1_1 = json.loads((CASE / "1edtech-case-v1p1-cfpackage-official.json").read_text())


def load(name: str, **options: Any) -> Any:
    path = CASE / name
    return import_case(path, path.read_bytes(), **options)


def tree(doc: dict[str, Any]) -> tuple[dict[str, str], dict[str | None, list[str]]]:
    """Each item's text and each node's children in sequenceNumber, then file, order."""
    text = {i["identifier"]: i["fullStatement"] for i in doc["CFItems"]}
    root = doc["CFDocument"]["identifier"]
    kids: dict[str | None, list[tuple[Any, str]]] = {}
    for n, a in enumerate(doc["CFAssociations"]):
        if a["associationType"] != "isChildOf":
            continue
        parent = a["destinationNodeURI"]["identifier"]
        seq = a.get("sequenceNumber")
        order = (0, seq, n) if seq is not None else (1, 0, n)
        kids.setdefault(None if parent == root else parent, []).append(
            (order, a["originNodeURI"]["identifier"])
        )
    return text, {k: [c for _, c in sorted(v)] for k, v in kids.items()}


def expected_areas(name: str) -> list[list[str]]:
    """Per top-level item, the full statements of the leaves below it, in order."""
    doc = json.loads((CASE / name).read_text())
    text, kids = tree(doc)

    def leaves(node: str) -> list[str]:
        below = kids.get(node, [])
        return [text[node]] if not below else [t for c in below for t in leaves(c)]

    return [leaves(top) for top in kids[None]]


def full_statements(fw: Any) -> list[list[str]]:
    texts = fw.levels[0].statements
    by_id = {f"{fw.levels[0].key}.{n}": t for n, t in enumerate(texts, start=1)}
    return [[by_id[sid].split(" — ")[-1] for sid in area.statements] for area in fw.areas]


@pytest.mark.parametrize(
    ("name", "areas", "statements"),
    [
        ("opensalt-SmartLevelFramework.json", 2, 12),
        ("opensalt-MarkdownFramework.json", 2, 2),
        ("opensalt-Utf8TestFramework.json", 1, 1),
        ("opensalt-test_framework_case.json", 4, 49),
        ("opensalt-what-standards-could-be.json", 2, 12),
    ],
)
def test_real_packages_import_with_the_files_counts_and_order(
    name: str, areas: int, statements: int
) -> None:
    fw = load(name)
    assert len(fw.areas) == areas
    assert fw.statement_count == statements
    assert [(lvl.key, lvl.label) for lvl in fw.levels] == [("proficient", "Proficient")]
    # The text is collapsed to one line; compare it the same way.
    want = [[" ".join(t.split()) for t in area] for area in expected_areas(name)]
    assert full_statements(fw) == want


def test_sequence_numbers_order_siblings_not_the_file() -> None:
    doc = json.loads((CASE / "opensalt-test_framework_case.json").read_text())
    sequenced = [a for a in doc["CFAssociations"] if "sequenceNumber" in a]
    assert len(sequenced) == 65  # every association has one: the file's order is not used
    fw = load("opensalt-test_framework_case.json")
    assert [a.id for a in fw.areas] == ["f", "m", "h-a-sci-scp", "h-a-sci-csc"]


def test_provenance_keeps_ids_codes_and_the_document() -> None:
    fw = load("opensalt-what-standards-could-be.json", framework_id="wscb")
    first = fw.provenance["statements"]["proficient.1"]
    assert first["humanCodingScheme"] == "CCSS.Math.Content.6.RP.A.1"
    assert fw.provenance["document"]["identifier"] == "20c5134f-423d-4097-a971-3dd5152bf507"
    assert fw.provenance["caseVersion"] == "1.0"
    assert fw.not_carried[:4] == [
        "16 associations of type 'exactMatchOf': only isChildOf makes the tree",
        "2 associations of type 'exemplar': only isChildOf makes the tree",
        "2 associations of type 'isRelatedTo': only isChildOf makes the tree",
        "3 associations of type 'precedes': only isChildOf makes the tree",
    ]
    assert framework_json(fw) == framework_json(
        load("opensalt-what-standards-could-be.json", framework_id="wscb")
    )


def test_a_deeper_area_depth_makes_more_areas() -> None:
    shallow = load("opensalt-test_framework_case.json")
    deep = load("opensalt-test_framework_case.json", area_depth=2)
    assert len(deep.areas) > len(shallow.areas)
    assert deep.statement_count == shallow.statement_count


def rubric_package() -> dict[str, Any]:
    doc = json.loads((CASE / "opensalt-SmartLevelFramework.json").read_text())
    item = doc["CFItems"][2]  # Item 1.1
    doc["CFRubrics"] = [
        {
            "identifier": "r1",
            "uri": "u:r1",
            "lastChangeDateTime": "2020-01-01T00:00:00Z",
            "CFRubricCriteria": [
                {
                    "identifier": "c1",
                    "uri": "u:c1",
                    "lastChangeDateTime": "2020-01-01T00:00:00Z",
                    "CFItemURI": {
                        "identifier": item["identifier"],
                        "uri": item["uri"],
                        "title": "x",
                    },
                    "CFRubricCriterionLevels": [
                        {
                            "identifier": f"l{n}",
                            "uri": f"u:l{n}",
                            "quality": q,
                            "score": s,
                            "description": f"{q} work",
                            "lastChangeDateTime": "2020-01-01T00:00:00Z",
                        }
                        for n, (q, s) in enumerate([("Expert", 3), ("Novice", 1), ("Competent", 2)])
                    ],
                }
            ],
        }
    ]
    return doc


def test_rubric_criterion_levels_are_the_ladder(tmp_path: Path) -> None:
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps(rubric_package()))
    fw = import_case(path, path.read_bytes())
    assert [lvl.label for lvl in fw.levels] == ["Novice", "Competent", "Expert"]
    assert [lvl.statements for lvl in fw.levels] == [
        ["Item 1.1 — Novice work"],
        ["Item 1.1 — Competent work"],
        ["Item 1.1 — Expert work"],
    ]
    assert "has no rubric criterion" in fw.not_carried[0]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("CFDocument"), "CFDocument: not a CASE package"),
        (lambda d: d["CFItems"][0].pop("fullStatement"), "CFItems.0.fullStatement: an item needs"),
        (
            lambda d: d["CFAssociations"][0]["originNodeURI"].update(identifier="?", uri="?"),
            "CFAssociations.0.originNodeURI: names a child that is not in CFItems",
        ),
        (
            lambda d: d["CFAssociations"][3].update(destinationNodeURI="nowhere"),
            "CFAssociations.3.destinationNodeURI: names a parent",
        ),
        (
            lambda d: d["CFAssociations"][0].update(sequenceNumber="first"),
            "CFAssociations.0.sequenceNumber: 'first' is not a whole number",
        ),
        (lambda d: d.update(CFItems={}), "CFItems: should be a list"),
        (
            lambda d: d["CFItems"][1].update(fullStatement="\x1b]0;pwned\x07"),
            "CFItems.1.fullStatement: holds the control or invisible character U+001B",
        ),
    ],
)
def test_a_broken_package_is_one_line_naming_the_place(
    mutate: Any, expected: str, tmp_path: Path
) -> None:
    doc = json.loads((CASE / "opensalt-SmartLevelFramework.json").read_text())
    mutate(doc)
    path = tmp_path / "p.json"
    with pytest.raises(CompetencyError) as caught:
        import_case(path, json.dumps(doc).encode())
    assert caught.value.line.startswith(str(path))
    assert expected in caught.value.line


def test_lenient_where_the_meaning_is_clear(tmp_path: Path) -> None:
    doc = json.loads((CASE / "opensalt-SmartLevelFramework.json").read_text())
    for assoc in doc["CFAssociations"]:
        assoc["originNodeURI"] = assoc["originNodeURI"]["uri"]  # a string where an object belongs
        assoc["lastChangeDateTime"] = "2017-09-22T23:14:07"  # no timezone
    doc["CFAssociations"][0]["sequenceNumber"] = "2"
    fw = import_case(tmp_path / "p.json", json.dumps(doc).encode())
    assert fw.statement_count == 12


def validator() -> Any:
    cls = jsonschema.validators.validator_for(OFFICIAL_1_1)
    return cls(OFFICIAL_1_1, format_checker=cls.FORMAT_CHECKER)


def test_the_case_export_validates_against_the_official_1_1_schema(tmp_path: Path) -> None:
    out = tmp_path / "librarians.case.json"
    assert main(["export-framework", "25-4022.00", "--format", "case", "--output", str(out)]) == 0
    package = json.loads(out.read_bytes())
    errors = [e.message for e in validator().iter_errors(package)]
    assert errors == []
    assert len(package["CFItems"]) == 7 + 40
    # A second export is the same package: identifiers derive from the framework.
    again = tmp_path / "again.json"
    assert main(["export-framework", "25-4022.00", "--format", "case", "--output", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    # And it imports back: the same statements in the same areas, in the same order.
    assert main(["import", str(out), "--output", str(tmp_path), "--id", "lib"]) == 0
    back = load_framework(tmp_path / "lib.json")
    before = load_framework(LIBRARIANS)
    assert [a.id for a in back.areas] == [a.id for a in before.areas]
    assert [[back.statement_by_id[s].text for s in a.statement_ids] for a in back.areas] == [
        [before.statement_by_id[s].text for s in a.statement_ids] for a in before.areas
    ]


def test_a_case_import_exports_back_valid_keeping_its_document_id(tmp_path: Path) -> None:
    source = CASE / "opensalt-test_framework_case.json"
    assert main(["import", str(source), "--output", str(tmp_path)]) == 0
    out = tmp_path / "ordering.case.json"
    assert (
        main(
            [
                "export-framework",
                str(tmp_path / "ordering.json"),
                "--format",
                "case",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    package = json.loads(out.read_bytes())
    assert [e.message for e in validator().iter_errors(package)] == []
    assert package["CFDocument"]["identifier"] == "b1750dc6-f058-11e7-b894-8d445e7af8cb"


def test_mutated_copies_do_not_change_the_real_files() -> None:
    before = (CASE / "opensalt-SmartLevelFramework.json").read_bytes()
    copy.deepcopy(json.loads(before))
    assert (CASE / "opensalt-SmartLevelFramework.json").read_bytes() == before


def test_the_bundled_framework_goes_to_case_and_back_with_the_same_fingerprint(
    tmp_path: Path,
) -> None:
    """export-framework --format case, then import with no option: the same framework (id,
    version, ladder, statement ids, areas), and an existing assessment still scores."""
    out = tmp_path / "librarians.case.json"
    assert main(["export-framework", "25-4022.00", "--format", "case", "--output", str(out)]) == 0
    package = json.loads(out.read_bytes())
    (rubric,) = package["CFRubrics"]
    assert len(rubric["CFRubricCriteria"]) == 40, "each statement's level as a criterion"
    assert main(["import", str(out), "--output", str(tmp_path / "back")]) == 0
    before = load_framework(LIBRARIANS)
    after = load_framework(tmp_path / "back" / "25-4022.00.json")
    assert (after.id, after.version, after.fingerprint) == (
        before.id,
        before.version,
        before.fingerprint,
    )
    assert [lvl.label for lvl in after.levels] == [lvl.label for lvl in before.levels]
    assert [(a.id, sorted(a.statement_ids)) for a in after.areas] == [
        (a.id, sorted(a.statement_ids)) for a in before.areas
    ]
    maya = DATA.parent.parent / "assessments" / "maya-okafor-2026-11-02.json"
    framework = str(tmp_path / "back" / "25-4022.00.json")
    assert main(["score", str(maya), "--framework", framework, "--format", "jsonl"]) == 0


def test_a_rubric_package_exports_back_with_its_levels(tmp_path: Path) -> None:
    """A package with rubrics imports with its ladder; its export carries the ladder back."""
    source = tmp_path / "rubric.json"
    source.write_text(json.dumps(rubric_package()))
    assert main(["import", str(source), "--output", str(tmp_path / "one")]) == 0
    first = next((tmp_path / "one").glob("*.json"))
    out = tmp_path / "again.case.json"
    assert main(["export-framework", str(first), "--format", "case", "--output", str(out)]) == 0
    assert [e.message for e in validator().iter_errors(json.loads(out.read_bytes()))] == []
    assert main(["import", str(out), "--output", str(tmp_path / "two")]) == 0
    before, after = load_framework(first), load_framework(tmp_path / "two" / first.name)
    assert [lvl.label for lvl in after.levels] == ["Novice", "Competent", "Expert"]
    assert after.fingerprint == before.fingerprint


def ccss_like(codes: tuple[str, str]) -> dict[str, Any]:
    """Two standards of one document worded alike, as CCSS.Math.Content.8.F.A.2 and
    HSF-IF.C.9 are in the public OpenSALT sample."""
    doc: dict[str, Any] = {
        "CFDocument": {"identifier": "d", "uri": "u:d", "title": "Math", "creator": "x"},
        "CFItems": [],
        "CFAssociations": [],
    }
    same = "Compare properties of two functions each represented in a different way."

    def child(n: int, parent: str) -> None:
        doc["CFAssociations"].append(
            {
                "identifier": f"a{n}",
                "uri": f"u:a{n}",
                "associationType": "isChildOf",
                "originNodeURI": {"identifier": f"i{n}", "uri": f"u:i{n}", "title": ""},
                "destinationNodeURI": {"identifier": parent, "uri": f"u:{parent}", "title": ""},
            }
        )

    for n, title in ((8, "Functions"), (9, "Functions")):  # two domains worded alike too
        area = {"identifier": f"i{n}", "uri": f"u:i{n}", "fullStatement": title}
        area["humanCodingScheme"] = f"D{n}"
        doc["CFItems"].append(area)
        child(n, "d")
    for n, code in enumerate(codes):
        item = {"identifier": f"i{n}", "uri": f"u:i{n}", "fullStatement": same}
        if code:
            item["humanCodingScheme"] = code
        doc["CFItems"].append(item)
        child(n, f"i{8 + n}")
    return doc


def test_standards_worded_alike_under_different_codes_both_import(tmp_path: Path) -> None:
    path = tmp_path / "ccss.json"
    path.write_text(json.dumps(ccss_like(("CCSS.Math.Content.8.F.A.2", "HSF-IF.C.9"))))
    fw = import_case(path, path.read_bytes())
    (level,) = fw.levels
    assert [s.split(" — ")[0] for s in level.statements] == [
        "CCSS.Math.Content.8.F.A.2",
        "HSF-IF.C.9",
    ]
    assert [a.title for a in fw.areas] == ["Functions", "Functions (D9)"]


def test_the_same_text_with_nothing_to_tell_it_apart_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(ccss_like(("", ""))))
    with pytest.raises(CompetencyError, match="the same statement is already in level"):
        import_case(path, path.read_bytes())


def test_item_types_and_definitions_are_listed_as_not_carried(tmp_path: Path) -> None:
    doc = ccss_like(("A.1", "B.1"))
    doc["CFItems"][2]["CFItemType"] = "Standard"
    doc["CFDefinitions"] = {"CFConcepts": [{"identifier": "c"}], "CFSubjects": []}
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(doc))
    lines = import_case(path, path.read_bytes()).not_carried
    assert any("CFItemType of 1 item" in line and "'Standard'" in line for line in lines)
    assert "CFDefinitions.CFConcepts: 1 definition, not carried" in lines
