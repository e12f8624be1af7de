"""The team folder (SPEC 7): how an assessment travels from the person to the supervisor.

``submit`` is the person's own step: their assessment, answered (or ``--partial``), is
marked ``submitted`` with its history entry and written into the team's shared folder
atomically, and their own copy says the same, so the two never drift apart. It never
replaces another person's file, nor a reviewed one. A file written into a folder its
group may write is shared with that group (``portable.sharing_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from competency.errors import AssessmentError, CompetencyError

if TYPE_CHECKING:
    from competency.assessment import Assessment
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.model import Framework
    from competency.storage import AssessmentStore


class SubmitRefused(AssessmentError):
    """The assessment cannot go to the team folder; the line says why and what to do."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """Where the assessment went, and how many statements it left unanswered."""

    path: Path
    unanswered: int
    replaced: bool
    """An earlier submission of the same person's file was replaced."""


def same_person(one: Assessment, other: Assessment) -> bool:
    """Two assessments of one person: the same ``subject.id`` when both give one, else
    the same name (case and spacing aside)."""
    a, b = one.subject, other.subject
    if a.id and b.id:
        return a.id == b.id
    return " ".join(a.name.split()).casefold() == " ".join(b.name.split()).casefold()


def submit(
    path: Path, folder: Path, frameworks: FrameworkResolver, *, partial: bool = False
) -> Submitted:
    """Mark ``path`` submitted and write it into ``folder``; return where it went.

    The person's own file is locked while this runs (an open ``assess`` session refuses
    it) and saved first, so both copies hold the same bytes and say ``submitted``; if the
    folder cannot be written, the own copy is submitted and ``submit`` can run again.
    """
    from competency.storage import AssessmentStore

    with AssessmentStore(path) as store:
        assessment = store.load()
        from competency.assessment import framework_for

        framework = framework_for(assessment, str(path), frameworks)
        return send(store, assessment, framework, folder, partial=partial)


def send(
    store: AssessmentStore,
    assessment: Assessment,
    framework: Framework,
    folder: Path,
    *,
    partial: bool = False,
) -> Submitted:
    """``submit`` for a caller that holds the file open already (the screens' session):
    ``store`` holds its lock and ``assessment`` is what it loaded. On a refusal, or when
    the own copy cannot be saved, ``assessment`` is left as it was."""
    from competency.files import write_atomic
    from competency.storage import dump_assessment, parse_assessment

    path = store.path
    if not folder.is_dir():
        raise SubmitRefused(
            "there is no such folder; give the team's shared folder", source=str(folder)
        )
    if assessment.status == "reviewed":
        raise SubmitRefused(
            "is already reviewed and signed off: there is nothing to submit",
            source=str(path),
        )
    unanswered = sum(1 for s in framework.statements if s.id not in assessment.ratings)
    if unanswered and not partial:
        raise SubmitRefused(
            f"{unanswered} of {len(framework.statements)} statements are unanswered: "
            "answer them, or submit it as it is with --partial",
            source=str(path),
        )
    target = folder / path.name
    if target.resolve() == path.resolve():
        raise SubmitRefused("is already in that folder; give the team's folder", source=str(path))
    replaced = False
    earlier_bytes: bytes | None = None
    if target.exists():
        earlier_bytes = target.read_bytes()
        try:
            earlier = parse_assessment(earlier_bytes, str(target))
        except CompetencyError:
            raise SubmitRefused(
                "a file that is not a readable assessment has that name; nothing was "
                "replaced (rename yours, or ask who wrote it)",
                source=str(target),
            ) from None
        if not same_person(earlier, assessment):
            raise SubmitRefused(
                f"holds {earlier.subject.name}'s assessment; yours was not written over it "
                "(rename your file and submit again)",
                source=str(target),
            )
        if earlier.status == "reviewed":
            raise SubmitRefused(
                "is reviewed and signed off; a reviewed file is never replaced (ask "
                "your reviewer to reopen it)",
                source=str(target),
            )
        replaced = True
    before = (assessment.status, list(assessment.history), assessment.updated_at)
    if assessment.status != "submitted":
        from competency.assessment import Event
        from competency.ratings import utc_now

        assessment.status = "submitted"
        assessment.history.append(
            Event(action="submitted", by=assessment.subject.name, at=utc_now())
        )
    # The person's own copy first (it stamps updated_at): the team's gets its bytes.
    try:
        store.save(assessment)
    except BaseException:
        assessment.status, assessment.history, assessment.updated_at = before
        raise
    data = dump_assessment(assessment)

    def unchanged(current: bytes | None) -> bool:
        # Someone else writing the same name meanwhile is never overwritten.
        return current == earlier_bytes

    try:
        write_atomic(target, data, unchanged=unchanged)
    except Exception as exc:  # FileChanged, or the folder cannot be written
        from competency.files import FileChanged

        if isinstance(exc, FileChanged):
            raise SubmitRefused(
                "was written by someone else just now; nothing was replaced (try again)",
                source=str(target),
            ) from None
        raise
    return Submitted(target, unanswered, replaced)
