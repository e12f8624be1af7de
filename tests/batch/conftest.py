"""A folder HR might receive: good files, broken ones, and files of another framework."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from competency.framework.model import Framework
from tests.conftest import assessment_doc, write_framework

GOOD = 150
"""More than two chunks, so ``--jobs 2`` really hands work to worker processes."""


@dataclass(frozen=True)
class MixedFolder:
    root: Path
    good: list[str]
    """The files that must be scored, in input order."""
    broken: dict[str, str]
    """File -> a part of the reason it must be refused with."""
    other_framework: Path
    """A framework that the ``wrong-framework`` files were written against."""

    @property
    def in_order(self) -> list[str]:
        return sorted([*self.good, *self.broken], key=lambda f: Path(f).parts)


@pytest.fixture()
def mixed(tmp_path: Path, librarians: Framework) -> MixedFolder:
    root = tmp_path / "inbox"
    good: list[str] = []
    for i in range(GOOD):
        folder = root / f"unit-{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        doc = assessment_doc(
            librarians, {"emerging.1": i % 5, "emerging.2": "na", "developing.1": 3}
        )
        doc["subject"] = {"name": f"Person {i:03d}", "id": f"E{i:03d}", "unit": f"U{i % 3}"}
        path = folder / f"p{i:03d}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        good.append(str(path))

    broken_dir = root / "unit-1"
    text = json.dumps(assessment_doc(librarians, {"emerging.1": 3}))
    broken: dict[str, str] = {}

    def bad(name: str, data: bytes, reason: str) -> None:
        path = broken_dir / name
        path.write_bytes(data)
        broken[str(path)] = reason

    bad("truncated.json", text[: len(text) // 2].encode(), "not valid JSON")
    bad("empty.json", b"", "the file is empty")
    bad("not-utf8.json", text.replace("Ada", "Ad\xe9").encode("latin-1"), "not UTF-8")
    for name, rating, reason in (
        ("string-rating.json", "3", "a rating is a whole number 0-4"),
        ("true-rating.json", True, "not true"),
        ("half-rating.json", 2.5, "not 2.5"),
    ):
        bad(name, json.dumps(assessment_doc(librarians, {"emerging.1": rating})).encode(), reason)
    bad(
        "unknown-id.json",
        json.dumps(assessment_doc(librarians, {"emerging.99": 3})).encode(),
        "ratings.emerging.99: unknown statement",
    )
    no_name = assessment_doc(librarians, {})
    no_name["subject"] = {"id": "E1"}
    bad("no-name.json", json.dumps(no_name).encode(), "subject.name: required but missing")
    big = assessment_doc(librarians, {"emerging.1": 3}, notes={"emerging.1": "x" * 40_000})
    bad("too-big.json", json.dumps(big).encode(), "over the 30,000-byte limit")

    other = write_framework(tmp_path, {"basic": ["One", "Two"]}, name="other")
    other_doc = assessment_doc(librarians, {"basic.1": 3})
    other_doc["framework"] = {"id": "00-0000.00"}
    bad(
        "wrong-framework.json",
        json.dumps(other_doc).encode(),
        "no bundled framework has id '00-0000.00'",
    )
    stale = assessment_doc(librarians, {"emerging.1": 3})
    stale["framework"]["fingerprint"] = "sha256:" + "0" * 64
    bad(
        "stale-fingerprint.json",
        json.dumps(stale).encode(),
        "framework.fingerprint: does not match",
    )
    return MixedFolder(root, good, broken, other)
