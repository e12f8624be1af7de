"""The scoring rule (SPEC 4), one hand-computed case per branch, and its properties."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.errors import FrameworkError
from competency.framework.model import (
    MAX_AREA_LEVELS,
    MAX_STATEMENTS,
    Framework,
    load_framework,
)
from competency.scoring import LevelTable, Step, level_for, score
from tests.conftest import write_framework

# Three levels; area "core" has 2 statements per level, area "extra" has only b.3.
LEVELS = {
    "a": ["A1", "A2"],
    "b": ["B1", "B2", "B3"],
    "c": ["C1", "C2"],
}
AREAS = """
[[areas]]
id = "core"
title = "Core"
statements = ["a.1", "a.2", "b.1", "b.2", "c.1", "c.2"]

[[areas]]
id = "extra"
title = "Extra"
statements = ["b.3"]
"""


@pytest.fixture(scope="module")
def fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    return load_framework(write_framework(tmp_path_factory.mktemp("fw"), LEVELS, AREAS))


def core(
    fw: Framework, ratings: dict[str, int | str], threshold: float = 3.0
) -> tuple[str, int | None]:
    result = score(fw, ratings, threshold).area("core")
    return result.level, result.rank


def test_reached_every_level(fw: Framework) -> None:
    ratings = {"a.1": 3, "a.2": 4, "b.1": 3, "b.2": 3, "c.1": 4, "c.2": 4}
    assert core(fw, ratings) == ("C", 3)
    assert score(fw, ratings).area("core").stopped_at is None


def test_below_stops_the_walk(fw: Framework) -> None:
    # a: mean 3.5 reached; b: mean 2.5 below; c would be reached but is never walked.
    ratings = {"a.1": 3, "a.2": 4, "b.1": 2, "b.2": 3, "c.1": 4, "c.2": 4}
    result = score(fw, ratings).area("core")
    assert (result.level, result.rank) == ("A", 1)
    assert [lvl.step for lvl in result.levels] == [Step.REACHED, Step.BELOW, Step.NOT_WALKED]
    assert result.levels[1].mean == 2.5
    assert result.stopped_at is not None and result.stopped_at.key == "b"
    assert result.held_back_by(ratings) == ["b.1"]
    assert result.next_level is not None and result.next_level.statement_ids == ("b.1", "b.2")


def test_unanswered_level_stops_the_walk(fw: Framework) -> None:
    ratings = {"a.1": 4, "a.2": 4, "c.1": 4, "c.2": 4}
    result = score(fw, ratings).area("core")
    assert (result.level, result.rank) == ("A", 1)
    assert result.levels[1].step is Step.UNANSWERED
    assert result.unanswered_at_stop(ratings) == ["b.1", "b.2"]
    assert result.held_back_by(ratings) == []


def test_partly_answered_level_uses_only_its_numbers(fw: Framework) -> None:
    # b.2 unanswered: b's mean is b.1 alone.
    assert core(fw, {"a.1": 3, "a.2": 3, "b.1": 3}) == ("B", 2)


def test_all_na_level_is_skipped(fw: Framework) -> None:
    ratings = {"a.1": 3, "a.2": 3, "b.1": "na", "b.2": "na", "c.1": 3, "c.2": 4}
    result = score(fw, ratings).area("core")
    assert (result.level, result.rank) == ("C", 3)
    assert result.levels[1].step is Step.SKIPPED


def test_na_mixed_with_numbers_counts_only_the_numbers(fw: Framework) -> None:
    assert core(fw, {"a.1": "na", "a.2": 3, "b.1": 2}) == ("A", 1)


def test_empty_level_in_an_area_is_skipped(fw: Framework) -> None:
    result = score(fw, {"b.3": 3}).area("extra")
    assert [lvl.step for lvl in result.levels] == [Step.SKIPPED, Step.REACHED, Step.SKIPPED]
    assert (result.level, result.rank) == ("B", 2)


def test_below_the_first_level(fw: Framework) -> None:
    assert core(fw, {"a.1": 1, "a.2": 2}) == ("Below A", 0)


def test_numbers_only_above_an_unanswered_first_level_is_below(fw: Framework) -> None:
    assert core(fw, {"c.1": 4}) == ("Below A", 0)


def test_not_assessed_without_any_number(fw: Framework) -> None:
    assert core(fw, {}) == ("Not assessed", None)
    assert core(fw, dict.fromkeys(["a.1", "a.2", "b.1", "b.2", "c.1", "c.2"], "na")) == (
        "Not assessed",
        None,
    )


def test_another_threshold(fw: Framework) -> None:
    ratings = {"a.1": 3, "a.2": 2, "b.1": 2, "b.2": 3, "c.1": 1, "c.2": 2}
    assert core(fw, ratings) == ("Below A", 0)
    assert core(fw, ratings, threshold=2.5) == ("B", 2)
    assert core(fw, ratings, threshold=1.5) == ("C", 3)


def test_completion_counts_numbers_and_na(fw: Framework) -> None:
    result = score(fw, {"a.1": 3, "a.2": "na", "b.3": 1})
    assert result.area("core").completion == pytest.approx(2 / 6)
    assert result.area("extra").completion == 1.0
    assert result.completion == pytest.approx(3 / 7)


def test_overall_walks_every_statement(fw: Framework) -> None:
    ratings = {"a.1": 3, "a.2": 3, "b.1": 3, "b.2": 3, "b.3": 0}
    result = score(fw, ratings)
    assert result.area("core").level == "B"
    assert (result.overall.level, result.overall.rank) == ("A", 1)  # b's mean is 2.0


def test_librarian_example_by_hand(librarians: Framework) -> None:
    # Information services: emerging.2/6, developing.2/8, proficient.1/9, advanced.10.
    ratings: dict[str, int | str] = {
        "emerging.2": 4,
        "emerging.6": 3,
        "developing.2": 3,
        "developing.8": 2,
        "proficient.1": 4,
    }
    result = score(librarians, ratings).area("information-services")
    assert (result.level, result.rank) == ("Emerging", 1)  # developing mean 2.5 < 3
    assert result.held_back_by(ratings) == ["developing.8"]
    assert result.completion == pytest.approx(5 / 7)


# -- properties ----------------------------------------------------------------------

VALUES = st.one_of(st.integers(0, 4), st.just("na"))


def rank_value(rank: int | None) -> int:
    return -1 if rank is None else rank


@st.composite
def librarian_ratings(draw: st.DrawFn) -> dict[str, int | str]:
    ids = [
        f"{lvl}.{n}"
        for lvl in ("emerging", "developing", "proficient", "advanced")
        for n in range(1, 11)
    ]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True))
    return {sid: draw(VALUES) for sid in chosen}


@settings(max_examples=200, deadline=None)
@given(ratings=librarian_ratings(), data=st.data())
def test_raising_one_rating_never_lowers_a_level(
    librarians: Framework, ratings: dict[str, int | str], data: st.DataObject
) -> None:
    numeric = [sid for sid, v in ratings.items() if isinstance(v, int) and v < 4]
    if not numeric:
        return
    sid = data.draw(st.sampled_from(numeric))
    old = ratings[sid]
    assert isinstance(old, int)
    raised = {**ratings, sid: data.draw(st.integers(old + 1, 4))}
    before, after = score(librarians, ratings), score(librarians, raised)
    for b, a in zip((*before.areas, before.overall), (*after.areas, after.overall), strict=True):
        assert rank_value(a.rank) >= rank_value(b.rank)


@settings(max_examples=200, deadline=None)
@given(
    ratings=librarian_ratings(),
    level=st.sampled_from(["emerging", "developing", "proficient", "advanced"]),
)
def test_rating_a_whole_level_na_is_deleting_its_statements(
    librarians: Framework, ratings: dict[str, int | str], level: str
) -> None:
    for area in (*librarians.areas, None):
        statements = librarians.statements if area is None else librarians.statements_in(area.id)
        na = {**ratings, **{s.id: "na" for s in statements if s.level == level}}
        kept = [s for s in statements if s.level != level]
        with_na = level_for(librarians.levels, statements, na)
        deleted = level_for(librarians.levels, kept, ratings)
        assert (with_na.level, with_na.rank) == (deleted.level, deleted.rank)


@settings(max_examples=100, deadline=None)
@given(ratings=librarian_ratings(), seed=st.integers(0, 2**32))
def test_the_order_of_answers_never_matters(
    librarians: Framework, ratings: dict[str, int | str], seed: int
) -> None:
    items = list(ratings.items())
    random.Random(seed).shuffle(items)
    assert score(librarians, dict(items)) == score(librarians, ratings)


def test_threshold_is_a_parameter_not_a_constant(tmp_path: Path) -> None:
    fw = load_framework(write_framework(tmp_path, {"only": ["x", "y"]}))
    assert score(fw, {"only.1": 2, "only.2": 2}, threshold=2.0).overall.rank == 1
    assert score(fw, {"only.1": 2, "only.2": 2}).overall.rank == 0


def test_the_batch_table_agrees_on_a_huge_level(tmp_path: Path) -> None:
    # Regression: LevelTable packed each cell's sum of ratings into 20 bits, so 262,144
    # statements rated 4 in one level overflowed into the count (wrong level, 100%+ done).
    # Frameworks now hold at most MAX_STATEMENTS; their sum still needs fields over 16 bits.
    fw = load_framework(write_framework(tmp_path, {"d": ["a"], "e": ["s"] * (MAX_STATEMENTS - 1)}))
    ratings: dict[str, int | str] = {s.id: 4 for s in fw.statements}
    expected = score(fw, ratings).overall
    assert (expected.level, expected.rank) == ("E", 2)
    assert LevelTable(fw).outcomes(ratings, 3.0)[-1] == ("E", 2, 1.0)


def test_frameworks_beyond_the_stated_limits_are_refused_with_one_line(tmp_path: Path) -> None:
    # Issue 24, item 2: memory grows with statements (and a report with areas x levels).
    with pytest.raises(FrameworkError, match=r"holds 20,001 statements; a framework may hold"):
        load_framework(write_framework(tmp_path, {"e": ["s"] * (MAX_STATEMENTS + 1)}))
    levels = {f"l{i}": ["s"] for i in range(300)}
    ids = [f"l{i}.1" for i in range(300)]
    areas = (
        "".join(
            f'[[areas]]\nid = "a{k}"\ntitle = "A"\nstatements = ["{sid}"]\n'
            for k, sid in enumerate(ids[:200])
        )
        + f'[[areas]]\nid = "rest"\ntitle = "R"\nstatements = {json.dumps(ids[200:])}\n'
    )
    with pytest.raises(FrameworkError, match=r"201 areas x 300 levels is more than a report"):
        load_framework(write_framework(tmp_path, levels, areas, name="grid"))
    assert MAX_AREA_LEVELS < 201 * 300


def test_reached_top_only_when_the_top_level_itself_is_reached(fw: Framework) -> None:
    top = {"a.1": 3, "a.2": 3, "b.1": 3, "b.2": 3, "c.1": 3, "c.2": 3}
    assert score(fw, top).area("core").reached_top
    skipped_above = {**top, "c.1": "na", "c.2": "na"}
    result = score(fw, skipped_above).area("core")
    assert (result.level, result.stopped_at, result.reached_top) == ("B", None, False)
    # "extra" has statements only at b: reaching b ends the walk, but not at the top.
    assert not score(fw, {"b.3": 4}).area("extra").reached_top
