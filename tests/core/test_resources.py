"""Learning resources beside a framework (SPEC 9): read, resolved, and refused in one line.

A librarian writes a resources file by hand; every mistake in it is named with the file and
the place, by the loader, by `validate` and by every command that reads it, and the JSON
Schema refuses what the loader refuses.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from competency.cli import main
from competency.errors import FrameworkError
from competency.framework.model import Framework, load_framework
from competency.framework.resources import (
    default_resources_path,
    facts,
    load_resources,
    with_resources,
)
from competency.schemas import schema
from tests.conftest import EXAMPLES, LIBRARIANS, REPO

EXAMPLE = REPO / "examples" / "librarians-25-4022.00.resources.toml"

GOOD = {
    "resources": [
        {
            "id": "cataloging-basics",
            "title": "Cataloging basics",
            "url": "https://learning.example.org/cataloging",
            "kind": "course",
            "hours": 6,
            "access": "staff intranet",
            "statements": ["emerging.3"],
            "areas": ["collection-management"],
            "levels": ["developing"],
        },
        {"id": "reading", "title": "Reading", "hours": 1.5, "areas": ["user-education"]},
    ]
}


def toml(doc: dict[str, Any]) -> str:
    """The document as TOML (JSON strings, lists and numbers are TOML too)."""
    lines = []
    for resource in doc["resources"]:
        lines.append("[[resources]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in resource.items()]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, doc: dict[str, Any], name: str = "r.resources.toml") -> Path:
    path = tmp_path / name
    path.write_text(toml(doc), "utf-8")
    return path


def test_a_resource_helps_with_its_statements_and_its_areas_chosen_levels(
    tmp_path: Path, librarians: Framework
) -> None:
    found = load_resources(write(tmp_path, GOOD), librarians)
    basics, reading = found.items
    # emerging.3 by id, and Collection Management's one Developing statement: not its
    # Emerging, Proficient or Advanced ones.
    assert basics.statement_ids == {"emerging.3", "developing.1", "developing.3"}
    assert reading.statement_ids == set(librarians.area_by_id["user-education"].statement_ids)
    assert basics.hours == 6 and isinstance(basics.hours, int) and reading.hours == 1.5
    assert found.helping_with("developing.1") == (basics,)
    assert found.helping_with("advanced.1") == ()
    assert facts(basics) == "course, 6 hours, staff intranet"
    assert facts(reading) == "1.5 hours"


def test_the_file_beside_the_framework_is_found_like_the_area_map(tmp_path: Path) -> None:
    framework = tmp_path / "lib.json"
    shutil.copy(LIBRARIANS, framework)
    shutil.copy(
        LIBRARIANS.with_name("librarians-25-4022.00.areas.toml"), tmp_path / "lib.areas.toml"
    )
    assert default_resources_path(framework) == tmp_path / "lib.resources.toml"
    assert with_resources(load_framework(framework)).resources is None
    write(tmp_path, GOOD, "lib.resources.toml")
    loaded = with_resources(load_framework(framework))
    assert loaded.resources is not None and len(loaded.resources.items) == 2


def test_with_another_area_map_the_file_beside_is_read_only_when_given(tmp_path: Path) -> None:
    # The resources beside a framework name the areas of the map beside it; read with
    # --areas naming another map, they are left out (as the role profiles are), not refused.
    framework = tmp_path / "lib.json"
    shutil.copy(LIBRARIANS, framework)
    shutil.copy(
        LIBRARIANS.with_name("librarians-25-4022.00.areas.toml"), tmp_path / "lib.areas.toml"
    )
    ids = list(load_framework(framework).statement_by_id)
    other = tmp_path / "other.toml"
    other.write_text(
        f'[[areas]]\nid = "all-of-it"\ntitle = "All of it"\nstatements = {json.dumps(ids)}\n',
        "utf-8",
    )
    beside = write(tmp_path, GOOD, "lib.resources.toml")
    read_with_other = load_framework(framework, other)
    assert with_resources(read_with_other).resources is None
    with pytest.raises(FrameworkError, match="unknown area"):
        with_resources(read_with_other, beside)


Mutation = Any

BROKEN: list[tuple[Mutation, str]] = [
    (lambda d: d["resources"][1].update(id="cataloging-basics"), "resources.1.id: resource id"),
    (lambda d: d["resources"][0].update(id="Two Words"), "resources.0.id"),
    (lambda d: d["resources"][0]["statements"].append("emerging.99"), "statements.1: unknown"),
    (lambda d: d["resources"][0]["areas"].append("nowhere"), "resources.0.areas.1: unknown area"),
    (lambda d: d["resources"][0]["levels"].append("expert"), "resources.0.levels.1: unknown"),
    (lambda d: d["resources"][0].update(url="javascript:alert(1)"), "resources.0.url: "),
    (lambda d: d["resources"][0].update(url="ftp://example.org/x"), "not an http or https"),
    (lambda d: d["resources"][0].update(url="https://"), "resources.0.url"),
    (lambda d: d["resources"][0].update(url="https://ex ample.org"), "resources.0.url"),
    (lambda d: d["resources"][0].update(hours=-1), "resources.0.hours: should be 0 or more"),
    (lambda d: d["resources"][0].update(hours="6"), "resources.0.hours: should be a number"),
    (lambda d: d["resources"][0].update(hours=True), "resources.0.hours: should be a number"),
    (lambda d: d["resources"][0].update(kind=3), "resources.0.kind"),
    (lambda d: d["resources"][0].update(title=" "), "resources.0.title"),
    (lambda d: d["resources"][0].update(statements="emerging.3"), "resources.0.statements"),
    (lambda d: d["resources"][0].update(colour="red"), "resources.0.colour: not a known"),
    (lambda d: d["resources"][1].pop("areas"), "resources.1: helps with nothing"),
    (lambda d: d["resources"][1].update(levels=["emerging"], areas=[]), "resources.1"),
    (lambda d: d["resources"][1].pop("title"), "resources.1.title: required"),
    (lambda d: d.update(resources=[]), "resources"),
]


def mutated(mutate: Mutation) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    mutate(doc)
    return doc


@pytest.mark.parametrize(("mutate", "place"), BROKEN)
def test_a_bad_file_is_refused_with_one_line_naming_the_file_and_the_place(
    tmp_path: Path, librarians: Framework, mutate: Mutation, place: str
) -> None:
    path = write(tmp_path, mutated(mutate))
    with pytest.raises(FrameworkError) as caught:
        load_resources(path, librarians)
    line = str(caught.value)
    assert line.startswith(f"{path}: ") and place in line and "\n" not in line


@pytest.mark.parametrize(("mutate", "place"), BROKEN)
def test_validate_names_the_same_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: Mutation, place: str
) -> None:
    path = write(tmp_path, mutated(mutate))
    assert main(["validate", str(path), "--framework", str(LIBRARIANS)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"invalid  {path}: ") and place in out


def test_not_toml_is_one_line_too(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "r.resources.toml"
    path.write_text('[[resources]]\nid = "a\n', "utf-8")
    with pytest.raises(FrameworkError, match="not valid TOML"):
        load_resources(path, librarians)


def test_every_command_that_shows_a_plan_refuses_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, mutated(BROKEN[3][0]))
    maya = str(EXAMPLES / "maya-okafor-2026-11-02.json")
    for command in (
        ["report", maya, "--format", "md"],
        ["summary", str(EXAMPLES)],
        ["assess", maya, "--plain"],
        ["review", maya, "--reviewer", "Grace", "--plain"],
    ):
        assert main([*command, "--resources", str(path)]) == 2, command
        err = capsys.readouterr().err
        assert err.strip() == f"competency: {path}: resources.0.areas.1: unknown area 'nowhere'"


def test_validate_checks_the_example_against_the_bundled_framework_of_its_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "8 learning resources for framework 25-4022.00" in out


def test_validate_checks_the_resources_beside_a_framework(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(LIBRARIANS, tmp_path / "lib.json")
    shutil.copy(
        LIBRARIANS.with_name("librarians-25-4022.00.areas.toml"), tmp_path / "lib.areas.toml"
    )
    write(tmp_path, mutated(BROKEN[2][0]), "lib.resources.toml")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    # Once for the framework, read with it, and once for the file itself.
    assert out.count(f"invalid  {tmp_path / 'lib.resources.toml'}: resources.0.statements.1") == 2


def test_the_schema_takes_the_example_and_refuses_what_the_loader_refuses() -> None:
    import tomllib

    check = Draft202012Validator(schema("resources"))
    assert not list(check.iter_errors(tomllib.loads(EXAMPLE.read_text("utf-8"))))
    assert not list(check.iter_errors(GOOD))
    for mutate, _ in BROKEN:
        doc = mutated(mutate)
        tool_only = ("unknown" in _) or ("used twice" in _) or ("resource id" in _)
        if tool_only:
            assert not list(check.iter_errors(doc)), _  # ids need the framework
        else:
            assert list(check.iter_errors(doc)), _
    assert "every statement, area and level id exists" in schema("resources")["description"]
