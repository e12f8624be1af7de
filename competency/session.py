"""One open assessment being worked on: the rules of a session, with no screen attached.

A ``Session`` joins a framework, an assessment and the ``AssessmentStore`` that holds its
file. Every change (a rating, a note, a target, a submission, a sign-off) goes through a
method here, is checked against the assessment's status, and is saved at once. When the
save fails (the file changed behind the session, the disk is full) the change is undone
in memory too, so what the screen shows is always what the file holds.

The person assessing themselves works with ``role="self"``; a supervisor works with
``role="review"`` and writes only to ``assessment.review``, never to the person's own
answers; only once the person has submitted, and only when the review is theirs (another
reviewer can read it and reopen a sign-off, but never take it over).
The Textual screens in ``tui/`` are thin shells over this class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from competency.errors import AssessmentError, CompetencyError
from competency.files import json_files
from competency.framework.model import Area, Framework, Statement
from competency.ratings import DEFAULT_THRESHOLD, disagree, is_rating, utc_now
from competency.scoring import ScoreResult, score
from competency.storage import AssessmentStore, new_assessment_path

if TYPE_CHECKING:
    # The models need pydantic. A new session draws its first screen without them and
    # imports them when it writes its file (``Session.create``).
    from competency.assessment import Assessment, Person, Review

Role = Literal["self", "review"]


@dataclass(frozen=True)
class Undo:
    """How to take back one change to a rating or a note: what it was before."""

    statement_id: str
    field: Literal["rating", "note"]
    before: int | str | None
    """The rating or note before the change; None when there was none."""


@dataclass(frozen=True)
class MoveOn:
    """Where the walk goes after a rating (``Session.move_on``)."""

    statement_id: str
    """The statement to show next."""
    done: bool = False
    """Every statement is answered: the walk stays on the one just rated."""
    wrapped: bool = False
    """The end of the walk was passed: back to the first statement still unanswered."""


_NOTHING: Mapping[str, int | str] = MappingProxyType({})
_NO_NOTES: Mapping[str, str] = MappingProxyType({})


class ReadOnly(AssessmentError):
    """The change is not allowed in the assessment's current status."""


class SaveFailed(AssessmentError):
    """The change could not be saved; it has been undone."""


@dataclass(frozen=True)
class NewSubject:
    """Who a new assessment is of, before its file is written."""

    name: str
    subject_id: str | None = None
    role: str | None = None
    unit: str | None = None
    profile: str | None = None
    """The role profile (SPEC 9) the assessment is made in, by id."""


class Session:
    """An assessment open for changes, saved after each one."""

    def __init__(
        self,
        framework: Framework,
        assessment: Assessment | NewSubject,
        store: AssessmentStore,
        *,
        role: Role = "self",
        reviewer: Person | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if role == "review" and reviewer is None:
            raise ValueError("a review session needs a reviewer")
        self.framework = framework
        self._assessment = assessment if not isinstance(assessment, NewSubject) else None
        self._new = assessment if isinstance(assessment, NewSubject) else None
        self.store = store
        self.role: Role = role
        self.reviewer = reviewer
        self.threshold = threshold
        self._clock = clock
        profile_id: str | None = getattr(assessment, "profile", None)
        if profile_id is not None and profile_id not in framework.profile_by_id:
            from competency.assessment import unknown_profile

            raise AssessmentError(
                unknown_profile(profile_id, framework), source=str(store.path), location="profile"
            )
        self.profile = framework.profile(profile_id)
        """The role profile the assessment is made in, or None for every statement."""
        held = self.profile.statement_ids if self.profile is not None else None
        self.walk: tuple[str, ...] = tuple(
            sid
            for area in framework.areas
            for sid in area.statement_ids
            if held is None or sid in held
        )
        """Every statement asked, in walk order: areas in map order, lowest level first;
        with a profile, only the statements in the role."""
        asked = set(self.walk)
        self.areas: tuple[Area, ...] = tuple(
            area for area in framework.areas if asked.intersection(area.statement_ids)
        )
        """The areas asked about: with a profile, those holding a statement in the role."""
        self.area_index: dict[str, int] = {area.id: i for i, area in enumerate(self.areas)}
        """Area id -> its place in ``areas``."""
        self.statements: tuple[Statement, ...] = tuple(
            s for s in framework.statements if s.id in asked
        )
        """The statements asked, in framework order."""
        self._position = {sid: i for i, sid in enumerate(self.walk)}
        self._self_result: ScoreResult | None = None
        self._review_result: ScoreResult | None = None
        self._undo: list[Undo] = []

    # -- a new assessment's file --------------------------------------------------------
    @property
    def assessment(self) -> Assessment:
        """The assessment; a new one's file is written first (``create``) if it is not yet."""
        if self._assessment is None:
            self.create()
        assert self._assessment is not None
        return self._assessment

    @property
    def created(self) -> bool:
        """False while a new assessment's file is not written yet."""
        return self._assessment is not None

    def create(self) -> None:
        """Write a new assessment's file for the first time; nothing to do once it exists.

        Until then the session answers for an empty, in-progress assessment of its
        ``NewSubject``, which is exactly what this writes, so a screen can be drawn before
        the models load. Any change creates the file before it is applied.
        """
        new = self._new
        if self._assessment is not None or new is None:
            return
        from competency.assessment import new_assessment

        assessment = new_assessment(
            self.framework,
            new.name,
            subject_id=new.subject_id,
            role=new.role,
            unit=new.unit,
            profile=new.profile,
        )
        try:
            self.store.save(assessment)
        except OSError as exc:
            raise AssessmentError(
                f"cannot write it ({exc.strerror or exc})", source=str(self.store.path)
            ) from None
        self._assessment = assessment
        self._new = None

    # -- what the screens read ----------------------------------------------------------
    @property
    def subject_name(self) -> str:
        """The name of the person assessed."""
        if self._new is not None:
            return self._new.name
        return self.assessment.subject.name

    @property
    def status(self) -> str:
        """``in_progress``, ``submitted`` or ``reviewed``."""
        return self._assessment.status if self._assessment is not None else "in_progress"

    @property
    def _current_review(self) -> Review | None:
        return self._assessment.review if self._assessment is not None else None

    @property
    def self_ratings(self) -> Mapping[str, int | str]:
        """The person's own ratings."""
        return self._assessment.ratings if self._assessment is not None else _NOTHING

    @property
    def review_ratings(self) -> Mapping[str, int | str]:
        """The reviewer's ratings (empty before a review starts)."""
        review = self._current_review
        return review.ratings if review is not None else {}

    @property
    def ratings(self) -> Mapping[str, int | str]:
        """The ratings this session edits: the person's, or the reviewer's."""
        return self.self_ratings if self.role == "self" else self.review_ratings

    @property
    def notes(self) -> Mapping[str, str]:
        """The notes this session edits."""
        if self.role == "self":
            return self._assessment.notes if self._assessment is not None else _NO_NOTES
        review = self._current_review
        return review.notes if review is not None else {}

    def self_result(self) -> ScoreResult:
        """The person's levels, recomputed only after a change."""
        if self._self_result is None:
            self._self_result = score(
                self.framework, self.self_ratings, self.threshold, self.profile
            )
        return self._self_result

    def review_result(self) -> ScoreResult:
        """The reviewer's levels, scored separately: never averaged with the person's."""
        if self._review_result is None:
            self._review_result = score(
                self.framework, self.review_ratings, self.threshold, self.profile
            )
        return self._review_result

    def result(self) -> ScoreResult:
        """The levels of the ratings this session edits."""
        return self.self_result() if self.role == "self" else self.review_result()

    @property
    def read_only_reason(self) -> str | None:
        """Why changes are refused right now, or None when they are allowed."""
        status = self.status
        review = self._current_review
        if status == "reviewed":
            by = review.reviewer.name if review is not None else "the reviewer"
            return f"signed off by {by}; only competency review FILE --reopen unlocks it"
        if self.role == "self":
            if status == "submitted":
                return "submitted; reopen it on the summary (s, then r) to change it"
            return None
        if status == "in_progress":
            # SPEC 5: a review is of a submitted assessment; the supervisor may only look.
            return f"not submitted yet: {self.subject_name} submits it from the summary screen"
        if review is not None and not self.review_is_theirs:
            assert self.reviewer is not None
            return (
                f"this review is {review.reviewer.name}'s, not {self.reviewer.name}'s: "
                "only they can change it"
            )
        return None

    @property
    def review_is_theirs(self) -> bool:
        """In a review: False when the review is recorded as another reviewer's."""
        review = self._current_review
        return self.role != "review" or review is None or self._is_reviewer(review.reviewer)

    @property
    def read_only(self) -> bool:
        """True when ratings and notes cannot change."""
        return self.read_only_reason is not None

    def statements_in(self, area_id: str) -> list[Statement]:
        """The statements of one area that are asked, in walk order."""
        return [s for s in self.framework.statements_in(area_id) if s.id in self._position]

    def targets(self) -> dict[str, str]:
        """Area id -> the level aimed for: the profile's, unless the person set their own."""
        if self._assessment is None:
            return dict(self.profile.targets) if self.profile is not None else {}
        from competency.assessment import targets_of

        return targets_of(self._assessment, self.framework)

    def first_unanswered(self) -> str | None:
        """The first statement in walk order with no rating in this session's ratings."""
        ratings = self.ratings
        return next((sid for sid in self.walk if sid not in ratings), None)

    def start_at(self) -> str | None:
        """The statement a session opens on: the first unanswered one, else the first."""
        return self.first_unanswered() or (self.walk[0] if self.walk else None)

    def position(self, statement_id: str) -> int:
        """Where a statement is in the walk, from 1: ``12`` of ``len(walk)``."""
        self._known(statement_id)
        return self._position[statement_id] + 1

    def answered(self) -> int:
        """How many statements this session's ratings answer (``n/a`` counts as an answer)."""
        return self.result().overall.answered

    def move_on(self, statement_id: str, *, completed: bool) -> MoveOn:
        """Where a walk goes after ``statement_id`` was rated.

        On to the next statement; at the end of a walk with gaps, back to the first one
        still unanswered. It stays on the rated statement (``done``) only when that rating
        completed the walk, or at the very end of a complete walk: a shell then says so, as
        the next key would change the rating just given. ``completed`` says whether the
        rating answered a statement that had none.
        """
        following = self.next_after(statement_id)
        unanswered = self.first_unanswered()
        if unanswered is None and (completed or following is None):
            return MoveOn(statement_id, done=True)
        if following is not None:
            return MoveOn(following)
        assert unanswered is not None
        return MoveOn(unanswered, wrapped=True)

    def next_after(self, statement_id: str) -> str | None:
        """The statement after this one in the walk, or None at the very end."""
        i = self._position[statement_id] + 1
        return self.walk[i] if i < len(self.walk) else None

    def next_where(
        self, test: Callable[[str], bool], after: str | None, step: int = 1
    ) -> str | None:
        """The next statement (``step`` -1: the previous) that passes ``test``, wrapping round.

        ``after`` itself comes last, so it is found only when it is the only one.
        """
        if not self.walk:
            return None
        start = self._position[after] if after is not None else (-1 if step > 0 else 0)
        n = len(self.walk)
        for i in range(1, n + 1):
            sid = self.walk[(start + step * i) % n]
            if test(sid):
                return sid
        return None

    def next_unanswered(self, after: str | None, step: int = 1) -> str | None:
        """The next statement this session has not rated yet."""
        return self.next_where(lambda sid: sid not in self.ratings, after, step)

    def next_with_note(self, after: str | None, step: int = 1) -> str | None:
        """The next statement with a note, the person's or the reviewer's."""
        own = self.self_notes
        theirs = self.notes

        return self.next_where(lambda sid: sid in own or sid in theirs, after, step)

    def disagrees(self, statement_id: str) -> bool:
        """Whether the person's and the reviewer's ratings disagree here (``ratings.disagree``)."""
        return disagree(self.self_ratings.get(statement_id), self.review_ratings.get(statement_id))

    def disagreements(self) -> list[str]:
        """The statements where the person and the reviewer disagree, in walk order."""
        if not self.review_ratings:
            return []
        return [sid for sid in self.walk if self.disagrees(sid)]

    def next_disagreement(self, after: str | None, step: int = 1) -> str | None:
        """The next statement where the two ratings disagree."""
        return self.next_where(self.disagrees, after, step)

    @property
    def self_notes(self) -> Mapping[str, str]:
        """The person's own notes."""
        return self._assessment.notes if self._assessment is not None else _NO_NOTES

    # -- changes -------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        """Whether a change to a rating or a note made in this session can be taken back."""
        return bool(self._undo)

    def undo(self) -> Undo | None:
        """Take back the last change to a rating or a note, and save; None if there is none.

        Returns what was undone, so a screen can show that statement. Refused (and kept for
        later) when changes are not allowed now, such as after a submission.
        """
        if not self._undo:
            return None
        last = self._undo[-1]
        sid, before = last.statement_id, last.before

        def apply() -> None:
            if last.field == "rating":
                ratings = self._editable_ratings()
                if before is None:
                    ratings.pop(sid, None)
                else:
                    ratings[sid] = before
            else:
                notes = self._editable_notes()
                if before is None:
                    notes.pop(sid, None)
                else:
                    notes[sid] = str(before)

        self._change(apply)
        self._undo.pop()
        return last

    def _remember(self, statement_id: str, field: Literal["rating", "note"]) -> Undo:
        if field == "rating":
            before: int | str | None = self.ratings.get(statement_id)
        else:
            before = self.notes.get(statement_id)
        return Undo(statement_id, field, before)

    def rate(self, statement_id: str, rating: int | str) -> None:
        """Rate a statement (0..4 or ``"na"``) and save."""
        self._known(statement_id)
        if not is_rating(rating):
            raise ValueError(f"not a rating: {rating!r}")
        undo = self._remember(statement_id, "rating")
        self._change(lambda: self._editable_ratings().__setitem__(statement_id, rating))
        self._undo.append(undo)

    def agree(self, statement_id: str) -> int | str:
        """The reviewer takes the person's own rating (a number or ``n/a``) as theirs, saved.

        Returns the rating taken. Refused (``ReadOnly``) outside a review, and when the
        person left the statement unanswered: there is nothing to agree with.
        """
        if self.role != "review":
            raise ReadOnly("only a reviewer agrees with a rating", source=self._source)
        self._known(statement_id)
        if self.read_only_reason is not None:
            raise ReadOnly(self.read_only_reason, source=self._source)
        own = self.self_ratings.get(statement_id)
        if own is None:
            raise ReadOnly(
                f"{self.subject_name} did not rate this statement: nothing to agree with",
                source=self._source,
            )
        self.rate(statement_id, own)
        return own

    def clear(self, statement_id: str) -> None:
        """Remove a statement's rating, so it is unanswered again, and save."""
        self._known(statement_id)
        if statement_id not in self.ratings:
            return

        def apply() -> None:
            self._editable_ratings().pop(statement_id, None)

        undo = self._remember(statement_id, "rating")
        self._change(apply)
        self._undo.append(undo)

    def set_note(self, statement_id: str, text: str) -> None:
        """Set (or, when blank, remove) a statement's note and save."""
        self._known(statement_id)
        text = text.strip()
        if self.notes.get(statement_id, "") == text:
            return

        def apply() -> None:
            notes = self._editable_notes()
            if text:
                notes[statement_id] = text
            else:
                notes.pop(statement_id, None)

        undo = self._remember(statement_id, "note")
        self._change(apply)
        self._undo.append(undo)

    def set_target(self, area_id: str, level_key: str | None) -> None:
        """Set the level the person aims for in an area (None removes it) and save."""
        if self.role != "self":
            raise ReadOnly("only the person sets their targets", source=self._source)
        if area_id not in self.framework.area_by_id:
            raise ValueError(f"unknown area {area_id!r}")
        if level_key is not None and level_key not in self.framework.level_by_key:
            raise ValueError(f"unknown level {level_key!r}")
        targets = self.assessment.targets
        if targets.get(area_id) == level_key:
            return

        def apply() -> None:
            if level_key is None:
                targets.pop(area_id, None)
            else:
                targets[area_id] = level_key

        self._change(apply)

    def set_comment(self, text: str) -> None:
        """The reviewer's overall comment (blank removes it), saved at once."""
        if self.role != "review":
            raise ReadOnly("only the reviewer writes the overall comment", source=self._source)
        text = text.strip()
        if (self._review().comment or "") == text:
            return

        def apply() -> None:
            self._review().comment = text or None

        self._change(apply)

    def submit(self) -> None:
        """Mark the person's assessment ``submitted``: ratings become read-only."""
        if self.role != "self":
            raise ReadOnly("only the person submits their assessment", source=self._source)

        def apply() -> None:
            self.assessment.status = "submitted"
            self._event("submitted", self.assessment.subject.name)

        self._change(apply)

    def reopen(self) -> None:
        """Undo a submission (person) or a sign-off (reviewer), recording who and when.

        A reopened review stays its reviewer's: whoever reopens it is recorded in the
        history, never put in the reviewer's place.
        """
        status = self.assessment.status
        if self.role == "self":
            if status == "in_progress":
                return
            if status == "reviewed":
                raise ReadOnly(self.read_only_reason or "signed off", source=self._source)
            by = self.assessment.subject.name
            new_status: Literal["in_progress", "submitted"] = "in_progress"
        else:
            if status != "reviewed":
                return
            assert self.reviewer is not None
            by = self.reviewer.name
            new_status = "submitted"

        def apply() -> None:
            self.assessment.status = new_status
            review = self.assessment.review
            if self.role == "review" and review is not None:
                review.completed_at = None
            self._event("reopened", by)

        self._change(apply, allow_read_only=True)

    def sign_off(self) -> None:
        """The reviewer signs the review off: ``status: reviewed``, ``completed_at`` set."""
        if self.role != "review":
            raise ReadOnly("only the reviewer signs a review off", source=self._source)
        if self.assessment.status != "submitted":
            # Only a submitted assessment is ready for review (SPEC 5).
            reason = self.read_only_reason or "only a submitted assessment can be signed off"
            raise ReadOnly(reason, source=self._source)
        assert self.reviewer is not None
        reviewer = self.reviewer.name

        def apply() -> None:
            now = self._clock()
            self._review().completed_at = now
            self.assessment.status = "reviewed"
            from competency.assessment import Event

            self.assessment.history.append(Event(action="reviewed", by=reviewer, at=now))

        self._change(apply)

    def export_report(self, fmt: str) -> Path:
        """Write a report of the file as saved, beside it, in ``fmt``; return where."""
        from competency.outputs.report import export_report

        return export_report(self.store.path, self.framework, fmt, threshold=self.threshold)

    # -- machinery -----------------------------------------------------------------------
    @property
    def _source(self) -> str:
        return str(self.store.path)

    def _known(self, statement_id: str) -> None:
        if statement_id not in self._position:
            raise ValueError(f"unknown statement {statement_id!r}")

    def _event(self, action: Literal["submitted", "reopened"], by: str) -> None:
        from competency.assessment import Event

        self.assessment.history.append(Event(action=action, by=by, at=self._clock()))

    def _is_reviewer(self, recorded: Person) -> bool:
        """Whether this session's reviewer is the one the review records.

        The names must match, and the ids too when both have one.
        """
        me = self.reviewer
        if me is None or me.name != recorded.name:
            return False
        return me.id is None or recorded.id is None or me.id == recorded.id

    def _review(self) -> Review:
        """The assessment's review, started (with this reviewer) on the first change."""
        assert self.reviewer is not None
        review = self.assessment.review
        if review is None:
            from competency.assessment import Review

            review = Review(reviewer=self.reviewer, started_at=self._clock())
            self.assessment.review = review
        elif not self._is_reviewer(review.reviewer):
            # Never credit one reviewer's work to another; read_only_reason says why.
            raise ReadOnly(self.read_only_reason or "someone else's review", source=self._source)
        return review

    def _editable_ratings(self) -> dict[str, int | str]:
        return self.assessment.ratings if self.role == "self" else self._review().ratings

    def _editable_notes(self) -> dict[str, str]:
        return self.assessment.notes if self.role == "self" else self._review().notes

    def _change(self, apply: Callable[[], None], *, allow_read_only: bool = False) -> None:
        """Apply a change and save it; on any failure put everything back as it was."""
        if not allow_read_only and self.read_only_reason is not None:
            raise ReadOnly(self.read_only_reason, source=self._source)
        try:
            self.create()
        except CompetencyError as exc:
            raise SaveFailed(exc.message, source=exc.source, location=exc.location) from exc
        before = self.assessment.model_copy(deep=True)
        try:
            apply()
            self.store.save(self.assessment)
        except CompetencyError as exc:
            self._restore(before)
            raise SaveFailed(exc.message, source=exc.source, location=exc.location) from exc
        except OSError as exc:
            self._restore(before)
            raise SaveFailed(
                f"could not save ({exc.strerror or exc}); the change was undone",
                source=self._source,
            ) from exc
        self._self_result = None
        self._review_result = None

    def _restore(self, before: Assessment) -> None:
        # Put the fields back on the same object: screens hold a reference to it.
        for name in type(before).model_fields:
            setattr(self.assessment, name, getattr(before, name))
        if before.model_extra is not None and self.assessment.model_extra is not None:
            self.assessment.model_extra.clear()
            self.assessment.model_extra.update(before.model_extra)
        self._self_result = None
        self._review_result = None


@dataclass(frozen=True)
class SavedAssessment:
    """An assessment file found in a folder, as a list of files to resume shows it."""

    path: Path
    name: str
    status: str
    answered: int
    updated: datetime | None


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's as typed: case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def saved_in(folder: Path, name: str | None = None) -> list[SavedAssessment]:
    """The assessments in ``folder``, the most recently changed first; only ``name``'s if given.

    A file that is not an assessment (or cannot be read) is left out: the list offers
    what can be resumed, and resuming one reports any problem with it.
    """
    from competency.storage import load_assessment

    try:
        paths = json_files(folder)
    except OSError:
        return []
    found: list[SavedAssessment] = []
    for path in paths:
        try:
            assessment = load_assessment(path)
        except (CompetencyError, OSError):
            continue
        subject = assessment.subject.name
        if name is not None and not same_name(subject, name):
            continue
        found.append(
            SavedAssessment(
                path,
                subject,
                assessment.status,
                len(assessment.ratings),
                assessment.updated_at or assessment.started_at,
            )
        )
    epoch = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda s: (s.updated or epoch, s.path.name), reverse=True)
    return found


def start_new(
    framework: Framework,
    folder: Path,
    name: str,
    *,
    subject_id: str | None = None,
    role: str | None = None,
    unit: str | None = None,
    profile: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Session:
    """Create a new assessment file in ``folder`` (made if missing), locked and saved.

    The file name comes from ``new_assessment_path``: built from the name and the date,
    it cannot leave ``folder`` whatever the name holds.
    """
    session = begin_new(
        framework,
        folder,
        name,
        subject_id=subject_id,
        role=role,
        unit=unit,
        profile=profile,
        threshold=threshold,
    )
    try:
        session.create()
    except BaseException:
        session.store.release()
        raise
    return session


def begin_new(
    framework: Framework,
    folder: Path,
    name: str,
    *,
    subject_id: str | None = None,
    role: str | None = None,
    unit: str | None = None,
    profile: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Session:
    """``start_new`` up to the file's first write: the folder made and the new path locked.

    The returned session writes the file on ``create`` (or on its first change); until then
    it answers for the empty assessment it will write. ``assess --name`` draws its first
    screen in between, without waiting for the models to load.
    """
    name = name.strip()
    if not name:
        raise AssessmentError("a name is needed to start an assessment", source=str(folder))
    if profile is not None and profile not in framework.profile_by_id:
        from competency.assessment import unknown_profile

        raise AssessmentError(unknown_profile(profile, framework), source="--profile")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssessmentError(
            f"cannot create the folder ({exc.strerror or exc})", source=str(folder)
        ) from None
    store = AssessmentStore(new_assessment_path(folder, name))
    store.acquire()
    new = NewSubject(name, subject_id or None, role or None, unit or None, profile)
    return Session(framework, new, store, threshold=threshold)
