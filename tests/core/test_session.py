"""The session's rules, without a screen: what may change when, and what is saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from competency.assessment import NA, Person
from competency.framework.model import Framework
from competency.ratings import parse_rating
from competency.session import ReadOnly, SaveFailed, Session, start_new
from competency.storage import AssessmentStore
from tests.conftest import saved, write_assessment


def open_session(path: Path, framework: Framework, **options: object) -> Session:
    store = AssessmentStore(path)
    return Session(framework, store.load(), store, **options)  # type: ignore[arg-type]


def test_keys_map_to_the_rating_scale() -> None:
    assert [parse_rating(k) for k in "01234n"] == [0, 1, 2, 3, 4, NA]
    assert parse_rating("5") is None
    assert parse_rating("x") is None


def test_start_new_makes_the_folder_and_saves_at_once(
    tmp_path: Path, librarians: Framework
) -> None:
    session = start_new(librarians, tmp_path / "a" / "b", "  Ada Example ", role="Librarian")
    try:
        on_disk = saved(session.store.path)
        assert on_disk.subject.name == "Ada Example"
        assert on_disk.subject.role == "Librarian"
        assert session.store.path.parent == tmp_path / "a" / "b"
    finally:
        session.store.release()


def test_start_new_refuses_a_blank_name(tmp_path: Path, librarians: Framework) -> None:
    with pytest.raises(Exception, match="a name is needed"):
        start_new(librarians, tmp_path, "   ")
    assert list(tmp_path.iterdir()) == []


def test_walk_is_area_by_area_lowest_level_first(librarians: Framework) -> None:
    session = Session(librarians, None, None)  # type: ignore[arg-type]
    expected = [s.id for area in librarians.areas for s in librarians.statements_in(area.id)]
    assert list(session.walk) == expected


def test_bad_ratings_and_unknown_statements_are_refused(
    tmp_path: Path, librarians: Framework
) -> None:
    session = open_session(write_assessment(tmp_path / "a.json", librarians), librarians)
    with pytest.raises(ValueError):
        session.rate("emerging.1", 5)
    with pytest.raises(ValueError):
        session.rate("emerging.1", True)
    with pytest.raises(ValueError):
        session.rate("nowhere.1", 3)
    assert saved(session.store.path).ratings == {}


def test_a_failed_save_is_undone_in_memory(tmp_path: Path, librarians: Framework) -> None:
    path = write_assessment(tmp_path / "a.json", librarians)
    session = open_session(path, librarians)
    session.rate("emerging.1", 3)
    path.write_bytes(path.read_bytes().replace(b'"ratings"', b'"extra": 1, "ratings"'))
    with pytest.raises(SaveFailed, match="changed outside this session"):
        session.rate("emerging.2", 4)
    assert session.assessment.ratings == {"emerging.1": 3}
    assert session.result().overall.answered == 1


def test_targets_are_checked_against_the_framework(tmp_path: Path, librarians: Framework) -> None:
    session = open_session(write_assessment(tmp_path / "a.json", librarians), librarians)
    area = librarians.areas[0].id
    session.set_target(area, "proficient")
    assert saved(session.store.path).targets == {area: "proficient"}
    with pytest.raises(ValueError):
        session.set_target(area, "grandmaster")
    session.set_target(area, None)
    assert saved(session.store.path).targets == {}


def test_review_writes_only_the_review_and_sign_off_locks_it(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "a.json", librarians, ratings={"emerging.1": 3}, status="submitted"
    )
    grace = Person(name="Grace Example", id="S77")
    session = open_session(path, librarians, role="review", reviewer=grace)
    session.rate("emerging.1", 1)
    session.set_note("emerging.1", "See the March audit.")
    session.set_comment("Solid year.")
    session.sign_off()
    on_disk = saved(path)
    assert on_disk.ratings == {"emerging.1": 3}
    assert on_disk.review is not None
    assert on_disk.review.reviewer.name == "Grace Example"
    assert on_disk.review.ratings == {"emerging.1": 1}
    assert on_disk.review.comment == "Solid year."
    assert on_disk.review.completed_at is not None
    assert on_disk.status == "reviewed"
    assert on_disk.history[-1].action == "reviewed"

    with pytest.raises(ReadOnly):
        session.rate("emerging.2", 2)
    person = open_session(path, librarians)
    with pytest.raises(ReadOnly):
        person.rate("emerging.2", 2)
    with pytest.raises(ReadOnly):
        person.reopen()

    session.reopen()
    reopened = saved(path)
    assert reopened.status == "submitted"
    assert reopened.review is not None and reopened.review.completed_at is None
    assert (reopened.history[-1].action, reopened.history[-1].by) == ("reopened", "Grace Example")


GRACE = Person(name="Grace Example", id="S77")


def _grace_signed_off(path: Path, framework: Framework) -> Path:
    """Grace rates, notes, comments on and signs off Ada's submitted assessment."""
    session = open_session(path, framework, role="review", reviewer=GRACE)
    session.rate("emerging.1", 1)
    session.set_note("emerging.1", "See the March audit.")
    session.set_comment("Solid year.")
    session.sign_off()
    return path


def test_reopening_someone_elses_review_never_takes_it_over(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "a.json", librarians, ratings={"emerging.1": 3}, status="submitted"
    )
    _grace_signed_off(path, librarians)
    hr = open_session(path, librarians, role="review", reviewer=Person(name="HR Person"))
    assert hr.read_only_reason is not None
    assert "Grace Example" in hr.read_only_reason

    hr.reopen()
    on_disk = saved(path)
    assert on_disk.status == "submitted"
    assert on_disk.review is not None
    assert on_disk.review.reviewer == GRACE, "Grace's work stays credited to Grace"
    assert on_disk.review.ratings == {"emerging.1": 1}
    assert on_disk.review.notes == {"emerging.1": "See the March audit."}
    assert on_disk.review.comment == "Solid year."
    assert (on_disk.history[-1].action, on_disk.history[-1].by) == ("reopened", "HR Person")

    # Reopened, it is still Grace's review: HR Person reads it, but cannot change it.
    assert hr.read_only_reason == (
        "this review is Grace Example's, not HR Person's: only they can change it"
    )
    before = path.read_bytes()
    changes: list[Callable[[], None]] = [
        lambda: hr.rate("emerging.2", 4),
        lambda: hr.set_note("emerging.1", "mine now"),
        lambda: hr.set_comment("Overruled."),
        hr.sign_off,
    ]
    for change in changes:
        with pytest.raises(ReadOnly, match="Grace Example's"):
            change()
    assert path.read_bytes() == before

    # Grace herself (with or without her id) carries on.
    grace = open_session(path, librarians, role="review", reviewer=Person(name="Grace Example"))
    assert grace.read_only_reason is None
    grace.rate("emerging.2", 2)
    assert saved(path).review is not None
    assert saved(path).review.reviewer == GRACE  # type: ignore[union-attr]


def test_the_same_name_with_another_id_is_another_reviewer(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "a.json", librarians, ratings={"emerging.1": 3}, status="submitted"
    )
    open_session(path, librarians, role="review", reviewer=GRACE).rate("emerging.1", 2)
    other = open_session(
        path, librarians, role="review", reviewer=Person(name="Grace Example", id="S99")
    )
    assert other.read_only
    with pytest.raises(ReadOnly):
        other.rate("emerging.1", 4)
    assert saved(path).review.ratings == {"emerging.1": 2}  # type: ignore[union-attr]


def test_an_assessment_in_progress_cannot_be_reviewed_or_signed_off(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "a.json", librarians, ratings={"emerging.1": 3})
    before = path.read_bytes()
    session = open_session(path, librarians, role="review", reviewer=GRACE)
    assert session.read_only_reason == (
        "not submitted yet: Ada Example submits it from the summary screen"
    )
    with pytest.raises(ReadOnly, match="not submitted yet"):
        session.sign_off()
    with pytest.raises(ReadOnly, match="not submitted yet"):
        session.rate("emerging.1", 1)
    with pytest.raises(ReadOnly, match="not submitted yet"):
        session.set_comment("Fine.")
    session.reopen()  # nothing to reopen: no change, no event
    assert path.read_bytes() == before
    assert saved(path).status == "in_progress"


def test_undo_takes_back_the_last_rating_or_note_and_saves(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    session = open_session(path, librarians)
    first, second = session.walk[:2]
    session.rate(first, 3)
    session.rate(first, 1)
    session.set_note(second, "Ran the desk")
    session.clear(first)
    assert session.undo() is not None
    assert saved(path).ratings == {first: 1}, "the clear is taken back, on disk too"
    undone = session.undo()
    assert undone is not None and undone.statement_id == second
    assert saved(path).notes == {}
    session.undo()
    assert saved(path).ratings == {first: 3}
    session.undo()
    assert saved(path).ratings == {}
    assert session.undo() is None and not session.can_undo


def test_undo_is_refused_once_submitted_and_kept_for_after_reopening(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    session = open_session(path, librarians)
    session.rate(session.walk[0], 2)
    session.submit()
    with pytest.raises(ReadOnly):
        session.undo()
    session.reopen()
    session.undo()
    assert saved(path).ratings == {}


def test_a_self_na_against_a_reviewer_number_is_a_disagreement(
    tmp_path: Path, librarians: Framework
) -> None:
    from competency.assessment import Review
    from competency.ratings import disagree

    assert disagree(NA, 3) and disagree(2, NA) and disagree(1, 3)
    assert not disagree(NA, NA) and not disagree(2, 3) and not disagree(None, 3)
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    review = Review(reviewer=Person(name="Grace"), ratings={order[0]: 3, order[1]: 3, order[2]: 0})
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings={order[0]: NA, order[1]: 2, order[2]: 2},
        status="submitted",
        review=review,
    )
    session = open_session(path, librarians, role="review", reviewer=Person(name="Grace"))
    assert session.disagreements() == [order[0], order[2]]
    assert session.next_disagreement(order[0]) == order[2]
    assert session.next_disagreement(order[2]) == order[0], "wraps round"
    assert session.next_disagreement(order[0], -1) == order[2]


def test_next_unanswered_and_next_with_a_note_wrap_round(
    tmp_path: Path, librarians: Framework
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=dict.fromkeys(order[1:-1], 3),
        notes={order[5]: "x"},
    )
    session = open_session(path, librarians)
    assert session.next_unanswered(order[3]) == order[-1]
    assert session.next_unanswered(order[-1]) == order[0]
    assert session.next_with_note(order[5]) == order[5], "the only one"
    assert session.next_with_note(None) == order[5]


def test_agreeing_takes_the_person_s_rating_and_is_undone_like_a_rating(
    tmp_path: Path, librarians: Framework
) -> None:
    own = {"emerging.1": 2, "emerging.5": NA}
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=own, status="submitted")
    review = open_session(path, librarians, role="review", reviewer=GRACE)
    try:
        assert review.agree("emerging.5") == NA
        assert review.agree("emerging.1") == 2
        on_disk = saved(path)
        assert on_disk.review is not None and on_disk.review.ratings == own
        with pytest.raises(ReadOnly, match="did not rate this statement"):
            review.agree("developing.1")
        review.undo()
        assert saved(path).review.ratings == {"emerging.5": NA}  # type: ignore[union-attr]
    finally:
        review.store.release()
    person = open_session(path, librarians)
    try:
        with pytest.raises(ReadOnly, match="only a reviewer"):
            person.agree("emerging.1")
    finally:
        person.store.release()


def test_a_walk_starts_at_the_first_gap_and_moves_on_past_the_end_to_it(
    tmp_path: Path, librarians: Framework
) -> None:
    walk = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={walk[0]: 3, walk[2]: 3})
    session = open_session(path, librarians)
    try:
        assert session.start_at() == walk[1]
        assert session.position(walk[1]) == 2
        assert session.move_on(walk[1], completed=True).statement_id == walk[2]
        last = session.move_on(walk[-1], completed=True)
        assert (last.statement_id, last.wrapped, last.done) == (walk[1], True, False)
        for sid in walk:
            session.rate(sid, 1)
        assert session.move_on(walk[5], completed=True).done
        assert session.move_on(walk[5], completed=False).statement_id == walk[6]
        assert session.answered() == len(walk)
    finally:
        session.store.release()
