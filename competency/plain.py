"""The plain assessment (SPEC 8): the same session as the TUI, as lines of text to be heard.

A screen reader or a braille display reads each line as it is printed, and the person
types one line back; a script can do the same. This is a second shell over
``competency.session.Session``, beside the Textual one: every rule, every save, the lock
and the change check are the session's, and every level, explanation and count comes from
the core. What lives here is only how it is said.

What is said is written to be heard: sentences rather than symbols (``not applicable``,
never ``n/a``; ``against``, never ``vs``), no statement ids, no escape sequence, no cursor
movement, no padding or wrapping: a line is as long as what it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from competency.errors import CompetencyError
from competency.explain import Listing, area_words, overall_words, plan_help
from competency.framework.resources import Resource, facts
from competency.outputs.words import apart
from competency.ratings import (
    HIGHEST,
    LOWEST,
    NA,
    RATING_LABELS,
    RATING_SCALE,
    meets_target,
    parse_rating,
    rating_key,
)
from competency.session import ReadOnly, SavedAssessment, Session, Undo
from competency.text import editable, strip

ReadLine = Callable[[], str | None]
"""The next line typed, without its line end; None at the end of input."""

_SPOKEN = (
    (re.compile(r"(?<![\w/])n/a(?![\w/])", re.IGNORECASE), "not applicable"),
    (re.compile(r"\s+vs\.?\s+"), " against "),
    (re.compile(r"\s*[\u2014\u2013]\s*"), ", "),  # em and en dashes as a pause
    (re.compile(r"\s*\u00b7\s*"), ", "),
    (re.compile(r"\s*\u2192\s*"), " to "),
)


def spoken(text: str) -> str:
    """``text`` as one line to be read aloud: nothing unsafe, no symbol read as a symbol.

    The core's sentences and the framework's text both pass through here. Unsafe
    characters (escape sequences, bidi overrides) are removed by the one policy in
    ``competency.text``; line breaks and tabs become spaces.
    """
    text = " ".join(strip(text).split())
    for pattern, words in _SPOKEN:
        text = pattern.sub(words, text)
    return text


def said(text: str) -> str:
    """What a person typed (a name, a note), read back: unsafe characters removed, as typed."""
    return " ".join(strip(text).split())


def rating_words(rating: int | str | None) -> str:
    """``3, Consistently``, ``not applicable`` or ``none yet``."""
    if rating is None:
        return "none yet"
    if rating == NA:
        return "not applicable"
    return f"{rating}, {RATING_LABELS[rating]}"


SCALE_LINE = "Scale: " + ", ".join(
    f"{rating_key(value)} {label}" for value, label, _ in RATING_SCALE
)
"""The rating scale on one line, as every statement is followed by it."""

SELF_KEYS: tuple[tuple[str, str], ...] = (
    (f"{LOWEST} to {HIGHEST}", "rate the statement and move on to the next"),
    ("n", "not applicable: not part of your role"),
    ("u", "clear the rating"),
    ("b", "back to the statement before"),
    ("e and your text", "write the statement's note; e alone removes it"),
    ("z", "undo your last change to a rating or a note"),
    ("g and a number", "go to that statement; g alone: the next one not rated"),
    ("an empty line", "the statement again"),
    ("s", "the summary: each area's level, why, and what the next level asks for"),
    ("submit", "submit the assessment to your supervisor; reopen undoes it"),
    ("h", "these keys"),
    ("q", "quit; everything is already saved"),
)

REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    (f"{LOWEST} to {HIGHEST}", "your rating as reviewer, then move on"),
    ("n", "not applicable: not part of their role"),
    ("a", "agree: take their own rating as yours, then move on"),
    ("u", "clear your rating"),
    ("b", "back to the statement before"),
    ("e and your text", "your note on the statement; e alone removes it"),
    ("c and your text", "your overall comment; c alone removes it"),
    ("z", "undo your last change to a rating or a note"),
    ("g and a number", "go to that statement; g alone: the next one without your rating"),
    ("an empty line", "the statement again"),
    ("s", "the summary: both views of each area"),
    ("sign off", "sign the review off; it locks the file"),
    ("h", "these keys"),
    ("q", "quit; everything is already saved"),
)


class Lines:
    """Where the conversation happens: lines out, one line in at a time."""

    def __init__(self, out: TextIO, read_line: ReadLine, *, prompt_ends_line: bool) -> None:
        self.out = out
        self.read_line = read_line
        self.prompt_ends_line = prompt_ends_line
        """True when input is not a terminal: each prompt is then a line of its own, so a
        transcript holds one message per line."""

    @classmethod
    def standard(cls) -> Lines:
        """The process's stdin and stdout; bytes that are not text never stop it."""
        import io
        import sys

        for stream in (sys.stdin, sys.stdout):
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(errors="replace")

        def read_line() -> str | None:
            line = sys.stdin.readline()
            return line.rstrip("\r\n") if line else None

        return cls(sys.stdout, read_line, prompt_ends_line=not sys.stdin.isatty())

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str | None:
        """Print a prompt and read the answer; None at the end of input."""
        self.out.write(prompt + ("\n" if self.prompt_ends_line else " "))
        self.out.flush()
        line = self.read_line()
        return None if line is None else editable(line).strip()


def _listed(listed: Listing) -> str:
    parts = [
        spoken(topic) + ("" if rating is None else f", rated {rating_words(rating)}")
        for topic, rating in listed.items
    ]
    if listed.more:
        parts.append(f"and {listed.more} more")
    return "; ".join(parts)


def _help_lines(helped: list[tuple[str, tuple[Resource, ...]]]) -> list[str]:
    """What helps with each statement of an area's plan, one line per statement."""
    lines = []
    for topic, resources in helped:
        told = []
        for r in resources:
            about = facts(r)
            told.append(
                spoken(r.title)
                + (f" ({spoken(about)})" if about else "")
                + (f", at {said(r.url)}" if r.url else "")
            )
        lines.append(f"Resources for {spoken(topic)}: {'; '.join(told)}.")
    return lines


def _level_words(session: Session, rank: int | None, level: str) -> str:
    if rank is None or rank == 0:
        return spoken(level)
    return f"{spoken(level)}, level {rank} of {len(session.framework.levels)}"


@dataclass
class PlainAssessment:
    """One session, read out statement by statement; a line typed changes or moves."""

    session: Session
    lines: Lines
    current: str | None = None
    submit_asked: bool = False
    sign_asked: bool = False

    @property
    def reviewing(self) -> bool:
        return self.session.role == "review"

    @property
    def total(self) -> int:
        return len(self.session.walk)

    # -- reading out -----------------------------------------------------------------------
    def progress(self) -> str:
        done = "reviewed" if self.reviewing else "answered"
        return f"{self.session.answered()} of {self.total} {done}."

    def opening(self) -> list[str]:
        session = self.session
        framework = session.framework
        version = f", version {framework.version}" if framework.version else ""
        if self.reviewing:
            assert session.reviewer is not None
            first = (
                f"Review of {said(session.subject_name)}'s assessment by "
                f"{said(session.reviewer.name)}, against {spoken(framework.title)}{version}."
            )
        else:
            first = (
                f"Assessment of {said(session.subject_name)} against "
                f"{spoken(framework.title)}{version}."
            )
        if session.profile is not None:
            first += (
                f" Role profile: {spoken(session.profile.title)}: only its "
                f"{len(session.walk)} statements are asked."
            )
        lines = [
            first,
            f"File: {said(str(session.store.path))}.",
            f"Status: {self.status_words()}. {self.progress()} "
            "Every change is saved as you make it.",
        ]
        reason = self.read_only_words()
        if reason:
            lines.append(f"Read-only: {reason}.")
        lines.append("Type h for the keys.")
        return lines

    def status_words(self) -> str:
        status = self.session.status.replace("_", " ")
        if self.session.assessment.review is None:
            return status
        done = self.session.review_result().overall
        return f"{status}, reviewer rated {done.answered} of {done.total}"

    def read_only_words(self) -> str | None:
        session = self.session
        reason = session.read_only_reason
        if reason is None:
            return None
        if session.role == "self" and session.status == "submitted":
            return "submitted; type reopen to change it"
        if session.role == "review" and session.status == "in_progress":
            return f"not submitted yet: {said(session.subject_name)} has to submit it first"
        return spoken(reason)

    def statement_lines(self, statement_id: str) -> list[str]:
        session = self.session
        framework = session.framework
        statement = framework.statement_by_id[statement_id]
        areas = session.areas
        area_index = session.area_index[statement.area]
        level = framework.level_by_key[statement.level]
        text = spoken(statement.topic)
        if statement.description:
            text += ": " + spoken(statement.description)
        lines = [
            f"Statement {session.position(statement_id)} of {self.total}. "
            f"Area {area_index + 1} of {len(areas)}: {spoken(areas[area_index].title)}. "
            f"Level {level.rank} of {len(framework.levels)}: {spoken(level.label)}.",
            text,
        ]
        mine = self.answer_words("Your", session.ratings, session.notes, statement_id)
        if self.reviewing:
            name = said(session.subject_name)
            theirs = self.answer_words(
                f"{name}'s", session.self_ratings, session.self_notes, statement_id
            )
            lines.append(theirs)
            lines.append(mine)
            if session.disagrees(statement_id):
                lines.append(self.apart_words(statement_id).strip())
        else:
            lines.append(mine)
        lines.append(SCALE_LINE + ".")
        return lines

    @staticmethod
    def answer_words(
        whose: str,
        ratings: Mapping[str, int | str],
        notes: Mapping[str, str],
        statement_id: str,
    ) -> str:
        """``Your rating: 3, Consistently. Your note: ...``"""
        line = f"{whose} rating: {rating_words(ratings.get(statement_id))}."
        note = notes.get(statement_id)
        if note:
            line += f" {whose} note: {said(note)}"
        return line

    def show(self, statement_id: str) -> None:
        self.current = statement_id
        self.lines.say(*self.statement_lines(statement_id))

    def summary_lines(self) -> list[str]:
        session = self.session
        framework = session.framework
        result = session.result()
        overall = result.overall
        whose = "Your overall level as reviewer" if self.reviewing else "Your overall level"
        lines = [
            f"Summary of {said(session.subject_name)}: {self.progress()} "
            f"Status: {self.status_words()}.",
            f"{whose}: {_level_words(session, overall.rank, overall.level)}.",
        ]
        why, not_lifted = overall_words(result)
        lines.append(f"Why: {spoken(why)}")
        if not_lifted:
            lines.append(spoken(not_lifted))
        if self.reviewing:
            own = session.self_result().overall
            name = said(session.subject_name)
            lines.append(
                f"{name}'s own overall level: {_level_words(session, own.rank, own.level)}."
            )
            apart_count = len(session.disagreements())
            if apart_count:
                lines.append(
                    f"You disagree on {apart_count} statement{'s' if apart_count != 1 else ''}."
                )
        ratings = session.ratings
        targets = session.targets()
        for i, area in enumerate(framework.areas):
            area_result = result.area(area.id)
            if not area_result.in_role:
                why = area_words(area_result, {}, framework).why
                lines.append(
                    f"Area {i + 1} of {len(framework.areas)}, {spoken(area.title)}: "
                    f"{spoken(area_result.level)}: {spoken(why)}."
                )
                continue
            head = (
                f"Area {i + 1} of {len(framework.areas)}, {spoken(area.title)}: "
                f"{_level_words(session, area_result.rank, area_result.level)}. "
                f"{area_result.answered} of {area_result.total} answered."
            )
            target_key = targets.get(area.id)
            if target_key is not None and not self.reviewing:
                target = framework.level_by_key[target_key]
                met = meets_target(area_result.rank, target.rank)
                state = {True: "met", False: "not met yet", None: "not assessed yet"}[met]
                head += f" Target {spoken(target.label)}: {state}."
            if self.reviewing:
                own = session.self_result().area(area.id)
                head += f" {said(session.subject_name)}'s own level: {spoken(own.level)}."
            lines.append(head)
            words = area_words(area_result, ratings, framework)
            lines.append(f"Why: {spoken(words.why)}.")
            if words.held_back is not None:
                lines.append(f"Held back by: {_listed(words.held_back)}.")
            if words.unanswered is not None:
                lines.append(
                    f"Still unanswered there, {words.unanswered_count}: "
                    f"{_listed(words.unanswered)}."
                )
            if words.next_asks is None:
                lines.append(f"Next: {spoken(words.next_words)}.")
            else:
                lines.append(f"Next: {spoken(words.next_words)} {_listed(words.next_asks)}.")
            lines += _help_lines(plan_help(area_result, ratings, framework))
        lines.append("End of the summary.")
        return lines

    def key_lines(self) -> list[str]:
        keys = REVIEW_KEYS if self.reviewing else SELF_KEYS
        return [
            "Type one of these, then Enter.",
            *(f"{key}: {what}." for key, what in keys),
            SCALE_LINE + ".",
        ]

    # -- the conversation ------------------------------------------------------------------
    def run(self) -> None:
        """Read lines until ``q`` or the end of input; every change is saved as made."""
        self.lines.say(*self.opening())
        if not self.session.walk:
            self.lines.say("This framework has no statements: nothing to rate.")
            return
        self.show(self.session.start_at() or self.session.walk[0])
        while True:
            line = self.lines.ask("Rating:" if not self.session.read_only else "Key:")
            if line is None or not self.handle(line):
                break
        self.lines.say(f"Goodbye. Everything is saved. {self.progress()}")

    def handle(self, line: str) -> bool:
        """Act on one line; False to quit."""
        assert self.current is not None
        sid = self.current
        word = editable(line).strip()
        command, _, rest = word.partition(" ")
        lowered = command.lower()
        if lowered != "submit":
            self.submit_asked = False
        if word.lower() != "sign off":
            self.sign_asked = False
        if word == "":
            self.show(sid)
        elif lowered in ("q", "quit", "exit"):
            return False
        elif lowered in ("h", "?", "help"):
            self.lines.say(*self.key_lines())
        elif lowered in ("s", "summary"):
            self.lines.say(*self.summary_lines())
        elif lowered in ("n/a", "na"):
            self.rate(sid, NA)
        elif len(word) == 1 and parse_rating(word.lower()) is not None:
            rating = parse_rating(word.lower())
            assert rating is not None
            self.rate(sid, rating)
        elif lowered == "a" and not rest and self.reviewing:
            self.agree(sid)
        elif lowered == "u" and not rest:
            self.clear(sid)
        elif lowered == "b" and not rest:
            self.back(sid)
        elif lowered == "e":
            self.note(sid, rest)
        elif lowered == "c" and self.reviewing:
            self.comment(rest)
        elif lowered in ("z", "undo") and not rest:
            self.undo()
        elif lowered == "g" or (lowered[:1] == "g" and lowered[1:].isdigit() and not rest):
            self.go(rest or lowered[1:])
        elif lowered == "submit" and not rest and not self.reviewing:
            self.submit()
        elif lowered == "reopen" and not rest and not self.reviewing:
            self.reopen()
        elif word.lower() == "sign off" and self.reviewing:
            self.sign_off()
        else:
            self.lines.say(
                f"Not a key here. Type {LOWEST} to {HIGHEST} or n to rate, or h for the keys."
            )
        return True

    def attempt(self, change: Callable[[], object], done: Callable[[], str]) -> bool:
        """Make a change through the session; say it was saved (``done``), or why not."""
        try:
            change()
        except ReadOnly:
            self.refused()
            return False
        except CompetencyError as exc:
            self.lines.say(f"Not saved: {spoken(exc.message)}")
            return False
        self.lines.say(done())
        return True

    def rate(self, sid: str, rating: int | str) -> None:
        was_answered = sid in self.session.ratings
        if self.attempt(
            lambda: self.session.rate(sid, rating),
            lambda: f"Saved: {rating_words(rating)}. {self.progress()}{self.apart_words(sid)}",
        ):
            self.move_on(sid, completed=not was_answered)

    def apart_words(self, sid: str) -> str:
        """`` You disagree: 2 apart.`` after a reviewer's rating, when they do."""
        session = self.session
        if not self.reviewing or not session.disagrees(sid):
            return ""
        gap = apart(session.self_ratings.get(sid), session.review_ratings.get(sid))
        return f" You disagree: {spoken(gap)}."

    def agree(self, sid: str) -> None:
        own = self.session.self_ratings.get(sid)
        if own is None and not self.session.read_only:
            name = said(self.session.subject_name)
            self.lines.say(f"{name} did not rate this statement: nothing to agree with.")
            return
        was_answered = sid in self.session.ratings
        if self.attempt(
            lambda: self.session.agree(sid),
            lambda: f"Agreed and saved: {rating_words(own)}. {self.progress()}",
        ):
            self.move_on(sid, completed=not was_answered)

    def move_on(self, sid: str, *, completed: bool) -> None:
        move = self.session.move_on(sid, completed=completed)
        if move.done:
            if self.reviewing:
                then = "Type s for the summary, sign off to sign it off, or q to quit."
            else:
                then = "Type s for the summary, submit to submit it, or q to quit."
            self.lines.say(f"All {self.total} statements answered. {then}")
            return
        if move.wrapped:
            left = self.total - self.session.answered()
            self.lines.say(
                f"End of the statements; {left} still unanswered. Back to the first of them."
            )
        self.show(move.statement_id)

    def refused(self) -> None:
        self.lines.say(f"Not changed. Read-only: {self.read_only_words() or 'read-only'}.")

    def clear(self, sid: str) -> None:
        if self.session.read_only:
            self.refused()
        elif sid not in self.session.ratings:
            self.lines.say("There is no rating here to clear.")
        else:
            self.attempt(lambda: self.session.clear(sid), lambda: f"Cleared. {self.progress()}")

    def back(self, sid: str) -> None:
        i = self.session.position(sid) - 1
        if i == 0:
            self.lines.say("This is the first statement.")
            return
        self.show(self.session.walk[i - 1])

    def go(self, number: str) -> None:
        session = self.session
        if not number:
            found = session.next_unanswered(self.current)
            if found is None:
                self.lines.say(f"All {self.total} statements have a rating.")
            else:
                self.show(found)
            return
        if not number.isdigit() or not 1 <= int(number) <= self.total:
            self.lines.say(
                f"There is no statement {said(number)}: they are numbered 1 to {self.total}."
            )
            return
        self.show(session.walk[int(number) - 1])

    def note(self, sid: str, text: str) -> None:
        session = self.session
        if not text and sid not in session.notes:
            self.lines.say("There is no note here to remove. Type e, a space, then your note.")
            return
        done = "Note saved." if text else "Note removed."
        self.attempt(lambda: session.set_note(sid, text), lambda: done)

    def comment(self, text: str) -> None:
        done = "Overall comment saved." if text else "Overall comment removed."
        self.attempt(lambda: self.session.set_comment(text), lambda: done)

    def undo(self) -> None:
        session = self.session
        if not session.can_undo:
            self.lines.say("Nothing to undo in this session.")
            return
        undone: list[Undo | None] = []

        def said_undone() -> str:
            last = undone[0]
            assert last is not None
            number = session.position(last.statement_id)
            if last.field == "note":
                return f"Undone and saved: the note on statement {number} is back as it was."
            rating = rating_words(session.ratings.get(last.statement_id))
            return f"Undone and saved: statement {number} is back to {rating}. {self.progress()}"

        if self.attempt(lambda: undone.append(session.undo()), said_undone):
            last = undone[0]
            assert last is not None
            self.show(last.statement_id)

    def submit(self) -> None:
        session = self.session
        left = self.total - session.answered()
        if left and not self.submit_asked and not session.read_only:
            self.submit_asked = True
            self.lines.say(
                f"{left} statements are still unanswered. Type submit again to submit "
                "anyway, or anything else to keep working."
            )
            return
        self.submit_asked = False
        from competency.settings import team_folder

        folder = team_folder() if session.role == "self" and not session.read_only else None
        if folder is not None:  # remembered, or given by assess --team DIR
            self.send_to(folder)
            return
        self.attempt(
            session.submit,
            lambda: (
                "Submitted. Your ratings are now read-only; your supervisor can review them. "
                "Type reopen to change them."
            ),
        )

    def send_to(self, folder: Path) -> None:
        """Submit into the team folder, as the summary screen does (``team.send``)."""
        from competency.team import send

        session = self.session
        try:
            sent = send(session.store, session.assessment, session.framework, folder, partial=True)
        except CompetencyError as exc:
            self.lines.say(f"Not submitted: {spoken(exc.line)}")
            return
        except OSError as exc:
            self.lines.say(f"Not submitted: {folder}: {exc.strerror or exc}")
            return
        self.lines.say(
            f"Submitted to {spoken(str(sent.path))}. Your ratings are now read-only; your "
            "supervisor can review them there. Type reopen to change them."
        )

    def reopen(self) -> None:
        session = self.session
        if session.status == "in_progress":
            self.lines.say("It is already open for changes.")
            return
        self.attempt(session.reopen, lambda: "Reopened: your ratings can change again.")

    def sign_off(self) -> None:
        session = self.session
        done = session.review_result().overall
        left = done.total - done.answered
        if not self.sign_asked and not session.read_only:
            self.sign_asked = True
            partial = (
                f"You rated {done.answered} of {done.total}, so it would be a partial review. "
                if left
                else ""
            )
            self.lines.say(
                f"{partial}Signing off locks the file; only competency review FILE --reopen "
                "unlocks it. Type sign off again to sign it off, or anything else to wait."
            )
            return
        self.sign_asked = False
        self.attempt(session.sign_off, lambda: "Signed off. The file is now locked.")


def choose(lines: Lines, question: str, options: Sequence[str]) -> int | None:
    """Ask for one of ``options`` by number (from 1); None at the end of input."""
    lines.say(question)
    lines.say(*(f"{i}: {option}." for i, option in enumerate(options, 1)))
    while True:
        answer = lines.ask("Number:")
        if answer is None:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return int(answer) - 1
        lines.say(f"Type a number from 1 to {len(options)}.")


def saved_words(saved: SavedAssessment) -> str:
    """One saved assessment offered to resume, as heard."""
    when = saved.updated.strftime("%d %B %Y") if saved.updated else "at an unknown date"
    when = when.lstrip("0")
    status = saved.status.replace("_", " ")
    return f"saved {when}, {saved.answered} answered, {status}, file {said(saved.path.name)}"
