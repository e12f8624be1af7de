"""The report model: what each area says about why, what next, and the reviewer's view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from competency.assessment import Review, new_assessment
from competency.framework.model import Framework, load_framework
from competency.outputs import formats, write
from competency.outputs.report import Report, build_report
from competency.storage import digest, dump_assessment
from tests.conftest import write_framework

REPORT_FORMATS = formats("report")

AREAS = """
[[areas]]
id = "craft"
title = "Craft"
statements = ["basic.1", "basic.2", "middle.1", "middle.2", "top.1"]

[[areas]]
id = "people"
title = "People"
statements = ["basic.3", "middle.3", "top.2"]
"""


@pytest.fixture()
def small(tmp_path: Path) -> Framework:
    path = write_framework(
        tmp_path,
        {
            "basic": ["Tools \u2014 use the tools", "Safety", "Listening"],
            "middle": ["Planning \u2014 plan a week", "Estimating", "Mentoring"],
            "top": ["Strategy", "Leading"],
        },
        AREAS,
    )
    return load_framework(path)


def report_of(framework: Framework, ratings: dict[str, int | str], **extra: object) -> Report:
    a = new_assessment(framework, "Kim")
    a.ratings = ratings
    a.notes = {"middle.2": "Estimated the spring release; two weeks late."}
    for key, value in extra.items():
        setattr(a, key, value)
    return build_report(a, framework)


def test_an_area_says_why_it_stopped_and_what_the_next_level_asks(small: Framework) -> None:
    r = report_of(small, {"basic.1": 4, "basic.2": 3, "middle.1": 3, "middle.2": 1})
    craft = r.areas[0]
    assert craft.level == "Basic" and craft.rank == 1
    assert craft.explanation == (
        "Basic: at Middle the mean rating is 2.0, below the threshold of 3.0."
    )
    assert [s.id for s in craft.held_back_by] == ["middle.2"]
    assert craft.next_level is not None and craft.next_level.label == "Middle"
    assert [s.id for s in craft.next_level_asks] == ["middle.1", "middle.2"]
    # The plan is what is not met yet, each with the person's own note.
    assert [(s.id, s.note) for s in craft.plan] == [
        ("middle.2", "Estimated the spring release; two weeks late.")
    ]
    assert [step.step for step in craft.walk] == ["reached", "below", "not_walked"]


def test_an_area_with_no_ratings_is_not_assessed_and_asks_for_its_first_level(
    small: Framework,
) -> None:
    people = report_of(small, {"basic.1": 4}).areas[1]
    assert people.level == "Not assessed" and people.rank is None
    assert [s.id for s in people.unanswered_at_stop] == ["basic.3"]
    assert [s.id for s in people.plan] == ["basic.3"]


def test_the_top_of_the_ladder_has_no_next_level(small: Framework) -> None:
    people = report_of(small, {"basic.3": 4, "middle.3": 3, "top.2": 4}).areas[1]
    assert people.level == "Top" and people.next_level is None and people.plan == ()
    assert people.reached_top
    assert people.explanation == "Top: every level was reached, the top of the ladder."
    assert people.ladder_end == "The top of the ladder: there is no next level in this area."


def test_levels_above_only_skipped_are_not_the_top_of_the_ladder(small: Framework) -> None:
    # Regression: an area whose levels above were all "na" was said to be at the top.
    people = report_of(small, {"basic.3": 4, "middle.3": 3, "top.2": "na"}).areas[1]
    assert people.level == "Middle" and people.next_level is None and people.plan == ()
    assert not people.reached_top
    assert people.walk[-1].explanation == "skipped: every statement here is not applicable"
    assert people.explanation == (
        "Middle: every level above it was skipped (Top: every statement marked not "
        "applicable), so this is as far as this area goes."
    )
    assert people.ladder_end is not None and "not the top of the ladder" in people.ladder_end
    assert "top of the ladder" not in people.explanation


def test_an_area_with_every_statement_na_has_no_level_to_work_towards(
    small: Framework,
) -> None:
    people = report_of(small, {"basic.3": "na", "middle.3": "na", "top.2": "na"}).areas[1]
    assert people.level == "Not assessed" and not people.reached_top
    assert people.ladder_end == (
        "No level to work towards: every statement in this area is not applicable."
    )


def test_the_reviewers_level_stands_beside_the_persons_and_is_never_averaged(
    small: Framework,
) -> None:
    review = Review(
        reviewer={"name": "Sam"},
        ratings={"basic.1": 2, "basic.2": 1, "basic.3": 4},
        notes={"basic.1": "Saw this go wrong twice."},
    )
    r = report_of(small, {"basic.1": 4, "basic.2": 3, "basic.3": 4}, review=review)
    craft = r.areas[0]
    assert (craft.level, craft.reviewer_level) == ("Basic", "Below Basic")
    assert r.review is not None
    # 4 vs 2 differs by 2: highlighted. 3 vs 1 too. 4 vs 4 is agreement.
    assert [(s.id, s.difference) for s in r.review.disagreements] == [
        ("basic.1", -2),
        ("basic.2", -2),
    ]
    assert craft.disagreements == 2 and r.areas[1].disagreements == 0
    assert [s.reviewer_note for s in r.review.notes] == ["Saw this go wrong twice."]


def test_not_applicable_against_a_rating_is_a_disagreement_in_every_format(
    small: Framework,
) -> None:
    # Self says basic.2 is not part of the role; the reviewer rates it 3. The reverse on
    # basic.3. Both disagree (ratings.disagree) though no difference can be taken.
    review = Review(
        reviewer={"name": "Sam"},
        ratings={"basic.1": 3, "basic.2": 3, "basic.3": "na", "middle.1": "na"},
    )
    r = report_of(
        small, {"basic.1": 3, "basic.2": "na", "basic.3": 2, "middle.1": "na"}, review=review
    )
    assert r.review is not None
    assert [(s.id, s.difference) for s in r.review.disagreements] == [
        ("basic.2", None),
        ("basic.3", None),
    ], "3 against 3 and n/a against n/a agree"
    assert [a.disagreements for a in r.areas] == [1, 1]
    shown = {}
    for fmt in REPORT_FORMATS:
        out = io.BytesIO()
        write("report", fmt, r, out)
        shown[fmt] = out.getvalue().decode("utf-8")
    for fmt in ("md", "html"):
        text = shown[fmt]
        assert "n/a vs 3" in text and "2 vs n/a" in text, fmt
        assert "disagree (2 or more apart, or n/a against a rating)" in text, fmt
        assert "1 disagreement" in text and "2+ apart" not in text, fmt
        assert "No disagreement" not in text, fmt
    assert '"disagreement": true' in shown["json"]


def test_a_review_that_agrees_says_so_in_the_words_of_the_rule(small: Framework) -> None:
    review = Review(reviewer={"name": "Sam"}, ratings={"basic.1": 3, "basic.2": "na"})
    r = report_of(small, {"basic.1": 4, "basic.2": "na"}, review=review)
    assert r.review is not None and r.review.disagreements == ()
    for fmt in ("md", "html"):
        out = io.BytesIO()
        write("report", fmt, r, out)
        assert (
            "No disagreement: no statement is 2 or more apart, nor n/a against a rating."
            in out.getvalue().decode("utf-8")
        ), fmt


def test_targets_say_whether_they_are_met(small: Framework) -> None:
    r = report_of(
        small,
        {"basic.1": 4, "basic.2": 4, "basic.3": 4},
        targets={"craft": "basic", "people": "top"},
    )
    assert [(a.target.label if a.target else None, a.target_met) for a in r.areas] == [
        ("Basic", True),
        ("Top", False),
    ]


def test_without_the_files_bytes_the_digest_is_of_the_saved_form(small: Framework) -> None:
    a = new_assessment(small, "Kim")
    assert build_report(a, small).assessment_digest == digest(dump_assessment(a))
    assert build_report(a, small, source_bytes=b"x").assessment_digest == digest(b"x")


def test_every_format_lays_out_the_model_without_scoring_again(
    small: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = report_of(small, {"basic.1": 4})

    def no_second_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("a format walked the ratings again")

    monkeypatch.setattr("competency.scoring.score", no_second_walk)
    monkeypatch.setattr("competency.outputs.report.score", no_second_walk)
    for fmt in REPORT_FORMATS:
        out = io.BytesIO()
        write("report", fmt, r, out)
        assert b"Kim" in out.getvalue()


def test_an_unknown_format_is_refused(small: Framework) -> None:
    with pytest.raises(ValueError, match="report has no format 'pdf'"):
        write("report", "pdf", report_of(small, {}), io.BytesIO())


def test_two_areas_get_a_ladder_with_every_series(small: Framework) -> None:
    review = Review(reviewer={"name": "Sam"}, ratings={"basic.1": 4, "basic.2": 4})
    r = report_of(small, {"basic.1": 4, "basic.2": 3}, review=review, targets={"people": "middle"})
    out = io.BytesIO()
    write("report", "html", r, out)
    page = out.getvalue().decode("utf-8")
    assert '<polygon class="series self"' not in page  # two axes make no radar
    assert (
        '<text x="180" y="64.0" text-anchor="end"><title>Craft</title>'
        '<tspan x="180" dy="0">Craft</tspan></text>'
    ) in page
    assert '<tspan x="180" dy="0">People</tspan>' in page
    for marker in (
        '<circle class="marker self"',
        '<rect class="marker reviewer"',
        '<polygon class="marker target"',
    ):
        assert marker in page


def test_every_format_says_the_same_when_the_levels_above_are_skipped(
    librarians: Framework,
) -> None:
    # The reviewer's case: Collection Management reaches Developing, and its Proficient and
    # Advanced statements are "na"; Stakeholder Collaboration has no Developing or
    # Proficient statements at all, and its Advanced ones are "na".
    a = new_assessment(librarians, "Robin")
    a.ratings = {
        **{sid: 4 for sid in ("emerging.1", "emerging.5", "developing.1", "developing.3")},
        **{sid: "na" for sid in ("proficient.2", "advanced.2")},
        "emerging.9": 4,
        **{sid: "na" for sid in ("advanced.7", "advanced.9")},
    }
    report = build_report(a, librarians)
    by_id = {area.id: area for area in report.areas}
    collection = by_id["collection-management"]
    engagement = by_id["professional-engagement"]
    assert (collection.level, engagement.level) == ("Developing", "Emerging")
    assert engagement.explanation == (
        "Emerging: every level above it was skipped (Developing and Proficient: no "
        "statements in this area; Advanced: every statement marked not applicable), so "
        "this is as far as this area goes."
    )
    for fmt in REPORT_FORMATS:
        out = io.BytesIO()
        write("report", fmt, report, out)
        text = out.getvalue().decode("utf-8")
        assert "every level was reached" not in text, fmt
        assert "The top of the ladder" not in text, fmt
        assert text.count("so this is as far as this area goes") == 2, fmt


def test_a_ladder_wraps_long_area_titles_instead_of_clipping_them() -> None:
    # Regression: one-line titles anchored at the end of x=180 ran off the left edge.
    from competency.outputs.chart import LABEL_LINES, LABEL_WIDTH, Series, ladder_chart

    titles = [
        "Stakeholder Collaboration & Professional Engagement",
        "Supercalifragilisticexpialidocious-and-then-some " * 4,
    ]
    self_series = Series("self", "Self-assessed", (1, 2), ("Emerging", "Developing"))
    ladder = ladder_chart(titles, ["Emerging", "Developing", "Proficient"], [self_series])
    first, second = (row.label for row in ladder.rows)
    assert first.lines == ("Stakeholder", "Collaboration &", "Professional", "Engagement")
    assert len(second.lines) == LABEL_LINES and second.lines[-1].endswith("…")
    for row in ladder.rows:
        assert row.label.anchor == "end" and row.label.x < ladder.ticks[0][0]
        # Each line fits the room left of the rungs (12px text is under 7.5px a character).
        assert all(len(line) <= LABEL_WIDTH for line in row.label.lines)
        assert row.label.x >= LABEL_WIDTH * 7.5
        # The lines stay within the row, centred on it.
        span = 13 * (len(row.label.lines) - 1)
        assert row.y - 28 < row.label.y and row.label.y + span < row.y + 28


def test_a_radar_stays_readable_up_to_twenty_areas() -> None:
    from competency.outputs.chart import LABEL_GAP, MAX_NAMED_AXES, RADIUS, Series, radar

    ladder = ["Basic", "Good", "Great"]
    for n in (3, MAX_NAMED_AXES, MAX_NAMED_AXES + 1, 20):
        titles = [f"Area number {i} with a long title" for i in range(n)]
        target = Series("target", "Target", (3,) * n, ("Great",) * n)
        chart = radar(titles, ladder, [target])
        numbered = n > MAX_NAMED_AXES
        assert chart.numbered_axes is numbered
        if numbered:
            # Titles would crowd: each axis carries its area's number in the table.
            assert [label.lines for label in chart.labels] == [(str(i + 1),) for i in range(n)]
        else:
            assert chart.labels[0].lines[0] == "Area number 0 with"
            # Every label sits clear of a target marker on the outer ring (11 px tall).
            cx, cy = chart.center
            for label in chart.labels:
                assert ((label.x - cx) ** 2 + (label.y - cy) ** 2) ** 0.5 >= RADIUS + 11
            assert LABEL_GAP > 11
