"""Assessment files: strict ratings, refusals that name the place, and nothing lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.assessment import check_against, new_assessment
from competency.errors import AssessmentError
from competency.framework.model import Framework
from competency.storage import (
    dump_assessment,
    load_assessment,
    parse_assessment,
    save_assessment,
)
from tests.conftest import EXAMPLES, assessment_doc


def parsed(doc: Any) -> Any:
    return parse_assessment(json.dumps(doc).encode(), "ada.json")


def refusal(data: bytes, framework: Framework | None = None) -> AssessmentError:
    with pytest.raises(AssessmentError) as caught:
        assessment = parse_assessment(data, "ada.json")
        if framework is not None:
            check_against(assessment, framework, "ada.json")
    return caught.value


@pytest.mark.parametrize("value", [True, False, "3", 2.5, 5, -1, None, [3], "NA"])
def test_only_whole_numbers_0_to_4_and_na_are_ratings(librarians: Framework, value: object) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": value})
    error = refusal(json.dumps(doc).encode())
    assert error.source == "ada.json"
    assert error.location == "ratings.emerging.2"
    assert "whole number 0-4" in error.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES | st.sampled_from([0, 1, 2, 3, 4, "na", 3.0, -0.0, 10**30]))
def test_any_json_value_is_a_rating_or_refused_with_the_value_named(
    librarians: Framework, value: object
) -> None:
    # The rule as it was first written, in Python: the schema in pydantic-core must agree.
    data = json.dumps(assessment_doc(librarians, {"emerging.1": value, "emerging.2": 3})).encode()
    if (type(value) is int and 0 <= value <= 4) or value == "na":
        assert parse_assessment(data, "ada.json").ratings == {"emerging.1": value, "emerging.2": 3}
        return
    error = refusal(data)
    shown = "true" if value is True else "false" if value is False else repr(value)
    assert error.location == "ratings.emerging.1"
    assert error.message == f'a rating is a whole number 0-4 or "na", not {shown}'


def test_every_bad_rating_is_counted_and_the_first_named(librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": "3", "emerging.3": 9})
    doc["review"] = {"reviewer": {"name": "G"}, "ratings": {"emerging.1": True}}
    error = refusal(json.dumps(doc).encode())
    assert error.line == (
        "ada.json: ratings.emerging.2: a rating is a whole number 0-4 or \"na\", not '3' "
        "(and 2 more problems)"
    )


def test_integers_and_na_are_accepted(librarians: Framework) -> None:
    a = parsed(assessment_doc(librarians, {"emerging.1": 0, "emerging.2": 4, "emerging.3": "na"}))
    assert a.ratings == {"emerging.1": 0, "emerging.2": 4, "emerging.3": "na"}


@pytest.mark.parametrize(
    ("mutate", "location", "words"),
    [
        (lambda d: d.update(schema="competency-assessment/2"), "schema", "unknown schema"),
        (lambda d: d.pop("schema"), "schema", "missing"),
        (lambda d: d["framework"].pop("id"), "framework.id", "missing"),
        (lambda d: d["subject"].pop("name"), "subject.name", "missing"),
        (lambda d: d["subject"].update(name="  "), "subject.name", "pattern"),
        (lambda d: d.pop("ratings"), "ratings", "missing"),
        (lambda d: d.update(ratings=[3, 4]), "ratings", "should be an object"),
        (lambda d: d.update(status="done"), "status", "in_progress"),
        (lambda d: d.update(notes={"emerging.1": 5}), "notes.emerging.1", "valid string"),
        (lambda d: d.update(review={"ratings": {}}), "review.reviewer", "missing"),
        (
            lambda d: d.update(review={"reviewer": {"name": "G"}, "ratings": {"emerging.1": "4"}}),
            "review.ratings.emerging.1",
            "whole number",
        ),
    ],
)
def test_malformed_assessments_are_refused_naming_the_place(
    librarians: Framework, mutate: Any, location: str, words: str
) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3})
    mutate(doc)
    error = refusal(json.dumps(doc).encode())
    assert error.location == location
    assert words in error.message
    assert "\n" not in error.line


@pytest.mark.parametrize(
    ("mutate", "location", "words"),
    [
        (
            lambda d: d["ratings"].update({"emerging.11": 3}),
            "ratings.emerging.11",
            "unknown statement",
        ),
        (lambda d: d["ratings"].update({"expert.1": 3}), "ratings.expert.1", "unknown statement"),
        (lambda d: d.update(notes={"nope.1": "x"}), "notes.nope.1", "unknown statement"),
        (lambda d: d.update(targets={"cooking": "advanced"}), "targets.cooking", "unknown area"),
        (
            lambda d: d.update(targets={"user-education": "expert"}),
            "targets.user-education",
            "unknown level 'expert'",
        ),
        (
            lambda d: d["framework"].update(id="11-1111.00"),
            "framework.id",
            "scored against framework '25-4022.00'",
        ),
        (
            lambda d: d["framework"].update(fingerprint="sha256:00"),
            "framework.fingerprint",
            "does not match",
        ),
        (
            lambda d: d.update(review={"reviewer": {"name": "G"}, "ratings": {"x.1": 2}}),
            "review.ratings.x.1",
            "unknown statement",
        ),
    ],
)
def test_assessments_that_do_not_fit_the_framework_are_refused(
    librarians: Framework, mutate: Any, location: str, words: str
) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3})
    mutate(doc)
    error = refusal(json.dumps(doc).encode(), librarians)
    assert error.location == location
    assert words in error.message


def test_fingerprint_is_optional(librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3})
    del doc["framework"]["fingerprint"]
    check_against(parsed(doc), librarians, "ada.json")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b'{"schema": "competency-assessment/1", "ratings": {', "not valid JSON"),
        (
            b'{"schema": "competency-assessment/1", "subject": {"name": "\xff\xfe"}}',
            "not UTF-8 text",
        ),
        (b"[1, 2]", "should be an object"),
    ],
)
def test_unreadable_files_get_one_plain_line(data: bytes, words: str) -> None:
    error = refusal(data)
    assert words in error.message
    assert error.line.startswith("ada.json: ")
    assert "\n" not in error.line


def test_fields_from_other_tools_survive_a_save(tmp_path: Path, librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3}, lmsCourse="LIB-101")
    doc["subject"]["pronouns"] = "she/her"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    save_assessment(load_assessment(path), path)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["lmsCourse"] == "LIB-101"
    assert again["subject"]["pronouns"] == "she/her"
    assert again["schema"] == "competency-assessment/1"


def test_save_then_load_gives_the_same_assessment(tmp_path: Path, librarians: Framework) -> None:
    a = new_assessment(librarians, "Ada Example", subject_id="E1", unit="Main")
    a.ratings.update({"emerging.1": 4, "emerging.2": "na"})
    a.notes["emerging.1"] = "Ran the desk — alone, with “quotes” and émigré text."
    path = tmp_path / "a.json"
    save_assessment(a, path)
    back = load_assessment(path)
    assert back == a
    assert dump_assessment(back) == path.read_bytes()
    assert '"schema": "competency-assessment/1"' in path.read_text(encoding="utf-8")
    check_against(back, librarians, str(path))


def test_examples_are_valid_and_at_different_stages(librarians: Framework) -> None:
    examples = sorted(EXAMPLES.glob("*.json"))
    assessments = [load_assessment(p) for p in examples]
    for path, a in zip(examples, assessments, strict=True):
        check_against(a, librarians, str(path))
    statuses = {a.status for a in assessments}
    assert {"in_progress", "submitted", "reviewed"} <= statuses
    complete = [a for a in assessments if len(a.ratings) == len(librarians.statements)]
    partial = [a for a in assessments if 0 < len(a.ratings) < len(librarians.statements)]
    assert complete and partial
    reviewed = [a for a in assessments if a.review is not None]
    assert reviewed and all(a.review.completed_at for a in reviewed if a.review)


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(librarians: Framework) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(assessment_doc(librarians, {"emerging.1": 3})).encode()
    assert parse_assessment(data, "ada.json").ratings == {"emerging.1": 3}
