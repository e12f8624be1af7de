"""The plain assessment, driven one line at a time, with the saved file checked after each."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from competency.assessment import Person, Review
from competency.framework.model import Framework
from competency.plain import Lines, PlainAssessment, spoken
from competency.ratings import NA
from competency.session import Session
from competency.storage import AssessmentStore
from tests.conftest import saved, write_assessment

GRACE = Person(name="Grace Example", id="S77")

OpenSession = Callable[..., Session]
"""Open a session on a file (taking its lock, let go after the test)."""


def review_of(path: Path) -> Review:
    review = saved(path).review
    assert review is not None
    return review


class Conversation:
    """A plain session in-process: type a line, read what was said back."""

    def __init__(self, session: Session) -> None:
        self.out = io.StringIO()
        self.typed: list[str] = []
        self.shell = PlainAssessment(
            session, Lines(self.out, self.read_line, prompt_ends_line=True)
        )

    def read_line(self) -> str | None:
        return self.typed.pop(0) if self.typed else None

    def start(self) -> str:
        self.shell.lines.say(*self.shell.opening())
        self.shell.show(self.shell.session.start_at() or self.shell.session.walk[0])
        return self.heard()

    def type(self, line: str) -> str:
        """What is said in answer to one line."""
        assert self.shell.handle(line), f"{line!r} quit"
        return self.heard()

    def heard(self) -> str:
        text = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        assert "\x1b" not in text
        return text


@pytest.fixture
def session_on(librarians: Framework) -> Iterator[OpenSession]:
    stores: list[AssessmentStore] = []

    def open_session(path: Path, **options: Any) -> Session:
        store = AssessmentStore(path)
        store.acquire()
        stores.append(store)
        return Session(librarians, store.load(), store, **options)

    yield open_session
    for store in stores:
        store.release()


def test_a_person_rates_notes_undoes_and_quits_with_every_step_saved(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    talk = Conversation(session_on(path))
    opening = talk.start()
    assert "Assessment of Ada Example against Librarians" in opening
    assert "0 of 40 answered." in opening
    assert "Statement 1 of 40. Area 1 of 7: Collection Management. Level 1 of 4: Emerging." in (
        opening
    )
    assert "Circulation procedures: execute check-in" in opening
    assert "Scale: 0 Not yet, 1 With support" in opening

    said = talk.type("3")
    assert said.startswith("Saved: 3, Consistently. 1 of 40 answered.\nStatement 2 of 40.")
    assert saved(path).ratings == {"emerging.1": 3}

    assert "Saved: not applicable. 2 of 40 answered." in talk.type("n")
    assert saved(path).ratings == {"emerging.1": 3, "emerging.5": NA}

    assert talk.type("e Ran the desk for a year") == "Note saved.\n"
    assert saved(path).notes == {"developing.1": "Ran the desk for a year"}
    assert "Your note: Ran the desk for a year" in talk.type("")

    said = talk.type("z")
    assert said.startswith("Undone and saved: the note on statement 3 is back as it was.")
    assert saved(path).notes == {}
    said = talk.type("z")
    assert "statement 2 is back to none yet. 1 of 40 answered." in said
    assert "Statement 2 of 40." in said, "the undone statement is read again"
    assert saved(path).ratings == {"emerging.1": 3}

    assert "Statement 1 of 40." in talk.type("b")
    assert "This is the first statement." in talk.type("b")
    assert talk.type("u") == "Cleared. 0 of 40 answered.\n"
    assert saved(path).ratings == {}
    assert talk.type("u") == "There is no rating here to clear.\n"
    assert "statement 1 is back to 3, Consistently." in talk.type("z")
    assert saved(path).ratings == {"emerging.1": 3}
    assert talk.type("z").startswith("Undone and saved: statement 1 is back to none yet.")
    assert talk.type("z") == "Nothing to undo in this session.\n"
    assert saved(path).ratings == {}


def test_a_new_session_starts_at_the_first_unanswered_statement(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    ratings: dict[str, int | str] = {sid: 2 for sid in ("emerging.1", "emerging.5", "developing.1")}
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=ratings)
    talk = Conversation(session_on(path))
    opening = talk.start()
    assert "3 of 40 answered." in opening
    assert "Statement 4 of 40." in opening


def test_going_to_a_statement_and_lines_that_mean_nothing(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    before = path.read_bytes()
    talk = Conversation(session_on(path))
    talk.start()
    assert "Statement 40 of 40. Area 7 of 7" in talk.type("g 40")
    assert "Statement 12 of 40." in talk.type("g12")
    assert talk.type("g 41") == "There is no statement 41: they are numbered 1 to 40.\n"
    assert "numbered 1 to 40" in talk.type("g twelve")
    for nonsense in ("5", "xyz", "33", "\x1b[A", "a", "sign off"):
        assert talk.type(nonsense) == (
            "Not a key here. Type 0 to 4 or n to rate, or h for the keys.\n"
        ), nonsense
    assert path.read_bytes() == before, "nothing was saved"
    keys = talk.type("h")
    assert "0 to 4: rate the statement and move on to the next." in keys
    assert "q: quit; everything is already saved." in keys
    assert talk.type("?") == keys


def test_the_last_answer_says_the_walk_is_complete_and_stays(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    ratings: dict[str, int | str] = {sid: 3 for sid in librarians.statement_by_id}
    del ratings["advanced.1"]
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=ratings)
    talk = Conversation(session_on(path))
    talk.start()
    said = talk.type("4")
    assert said == (
        "Saved: 4, Leading. 40 of 40 answered.\n"
        "All 40 statements answered. Type s for the summary, submit to submit it, or q to "
        "quit.\n"
    )
    assert saved(path).ratings["advanced.1"] == 4
    assert talk.type("g") == "All 40 statements have a rating.\n"


def test_the_summary_says_each_area_s_level_why_and_what_comes_next(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    ratings: dict[str, int | str] = {"emerging.1": 4, "emerging.5": 1}
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=ratings,
        targets={"collection-management": "proficient"},
    )
    talk = Conversation(session_on(path))
    talk.start()
    summary = talk.type("s").splitlines()
    assert summary[0] == "Summary of Ada Example: 2 of 40 answered. Status: in progress."
    assert summary[1] == "Your overall level: Below Emerging."
    area = summary.index(
        "Area 1 of 7, Collection Management: Below Emerging. 2 of 6 answered. "
        "Target Proficient: not met yet."
    )
    assert summary[area + 1] == "Why: Emerging not reached (mean 2.5, needs 3.0)."
    assert summary[area + 2] == "Held back by: Collection review resources, rated 1, With support."
    assert summary[area + 3] == (
        "Next: Emerging asks for a mean of 3.0 on: Circulation procedures; "
        "Collection review resources."
    )
    titles = [a.title for a in librarians.areas]
    for i, title in enumerate(titles, 1):
        assert any(line.startswith(f"Area {i} of 7, {title}: ") for line in summary)
    assert summary[-1] == "End of the summary."
    assert sum(line.startswith("Next: ") for line in summary) == len(titles)


def test_submit_asks_again_with_gaps_then_ratings_are_read_only_until_reopened(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={"emerging.1": 2})
    talk = Conversation(session_on(path))
    talk.start()
    assert "39 statements are still unanswered. Type submit again" in talk.type("submit")
    assert saved(path).status == "in_progress"
    talk.type("")
    assert "still unanswered" in talk.type("submit"), "anything between asks again"
    assert talk.type("submit").startswith("Submitted.")
    assert saved(path).status == "submitted"
    before = path.read_bytes()
    for key in ("3", "u", "e note"):
        assert talk.type(key) == ("Not changed. Read-only: submitted; type reopen to change it.\n")
    assert path.read_bytes() == before
    assert talk.type("reopen") == "Reopened: your ratings can change again.\n"
    assert saved(path).status == "in_progress"
    assert "Saved: 3, Consistently." in talk.type("3")
    assert saved(path).ratings["emerging.5"] == 3


def test_a_reviewer_agrees_with_numbers_and_not_applicable(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    own: dict[str, int | str] = {"emerging.1": 4, "emerging.5": NA, "developing.3": 1}
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=own, status="submitted")
    talk = Conversation(session_on(path, role="review", reviewer=GRACE))
    opening = talk.start()
    assert opening.startswith(
        "Review of Ada Example's assessment by Grace Example, against Librarians"
    )
    assert "Ada Example's rating: 4, Leading.\nYour rating: none yet." in opening

    assert talk.type("a").startswith("Agreed and saved: 4, Leading. 1 of 40 reviewed.")
    assert review_of(path).ratings == {"emerging.1": 4}
    assert talk.type("a").startswith("Agreed and saved: not applicable. 2 of 40 reviewed.")
    assert review_of(path).ratings == {"emerging.1": 4, "emerging.5": NA}
    assert saved(path).ratings == own, "the person's own answers never change"

    before = path.read_bytes()
    assert talk.type("a") == "Ada Example did not rate this statement: nothing to agree with.\n"
    assert path.read_bytes() == before

    talk.type("g 4")
    said = talk.type("4")
    assert said.startswith("Saved: 4, Leading. 3 of 40 reviewed. You disagree: 3 apart.")
    assert talk.type("c Solid year") == "Overall comment saved.\n"
    assert review_of(path).comment == "Solid year"
    assert "You rated 3 of 40, so it would be a partial review." in talk.type("sign off")
    assert saved(path).status == "submitted"
    assert talk.type("sign off") == "Signed off. The file is now locked.\n"
    assert saved(path).status == "reviewed"
    assert talk.type("a").startswith("Not changed. Read-only: signed off by Grace Example")


def test_a_review_of_an_assessment_in_progress_only_reads(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={"emerging.1": 3})
    before = path.read_bytes()
    talk = Conversation(session_on(path, role="review", reviewer=GRACE))
    assert "Read-only: not submitted yet: Ada Example has to submit it first." in talk.start()
    for key in ("a", "2", "c fine", "sign off"):
        assert "Not changed. Read-only: not submitted yet" in talk.type(key), key
    assert path.read_bytes() == before


def test_run_reads_to_the_end_of_input(
    tmp_path: Path, librarians: Framework, session_on: OpenSession
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    talk = Conversation(session_on(path))
    talk.typed = ["2", "", "1"]
    talk.shell.run()
    heard = talk.heard()
    assert heard.endswith("Rating:\nGoodbye. Everything is saved. 2 of 40 answered.\n")
    assert saved(path).ratings == {"emerging.1": 2, "emerging.5": 1}


def test_what_is_heard_has_no_symbols_read_as_symbols() -> None:
    assert spoken("Skipped (all n/a); N/A") == "Skipped (all not applicable); not applicable"
    assert spoken("n/a vs 3") == "not applicable against 3"
    assert spoken("Topic \u2014 its text \u00b7 more") == "Topic, its text, more"
    assert spoken("red\x1b[31m text\nnext\tline\u202e") == "red[31m text next line"
    assert spoken("and/or n/ab") == "and/or n/ab", "only n/a on its own"


def test_framework_text_cannot_reach_the_terminal_as_escapes(
    tmp_path: Path, session_on: OpenSession
) -> None:
    from competency.framework.model import load_framework
    from tests.conftest import write_framework

    fw_path = write_framework(
        tmp_path, {"basic": ["Evil\x1b]0;owned\x07 topic \u2014 text\x1b[2J", "Plain one"]}
    )
    framework = load_framework(fw_path)
    path = write_assessment(tmp_path / "ada.json", framework, name="Eve\x1b[31m")
    store = AssessmentStore(path)
    store.acquire()
    try:
        talk = Conversation(Session(framework, store.load(), store))
        heard = talk.start()
        assert "Evil]0;owned topic: text[2J" in heard
        talk.type("e note\x1b[1m here")
        assert "\x1b" not in saved(path).notes["basic.1"]
    finally:
        store.release()


def test_submit_goes_to_the_remembered_team_folder(
    tmp_path: Path,
    librarians: Framework,
    session_on: OpenSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a team folder remembered (``assess --team DIR``), submit writes it there too."""
    from competency.settings import remember_team_folder

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    team = tmp_path / "team"
    team.mkdir()
    remember_team_folder(team)
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={"emerging.1": 2})
    talk = Conversation(session_on(path))
    talk.start()
    talk.type("submit")
    assert talk.type("submit").startswith(f"Submitted to {team / 'ada.json'}.")
    assert saved(team / "ada.json").status == "submitted" == saved(path).status
    assert (team / "ada.json").read_bytes() == path.read_bytes()
