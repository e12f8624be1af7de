"""One status record per assessment file (SPEC 7), for ``competency status``.

What a supervisor and HR look at first in a team folder: whose assessment awaits review,
what is still a draft, what is signed off. Records come awaiting review first (the oldest
first), then drafts, then reviewed ones; a file that cannot be read is one record with
the reason, never a stop. Copies of one assessment whose answers differ (a synced
folder's conflict copies, ``competency.conflicts``) name each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from competency.conflicts import conflicts
from competency.errors import CompetencyError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from competency.conflicts import Copy
    from competency.framework.bundled import FrameworkResolver

STATUSES = ("submitted", "in_progress", "reviewed")
"""The order records come in: awaiting review first, then drafts, then signed off."""

STATUS_WORDS = {
    "submitted": "to review",
    "in_progress": "draft",
    "reviewed": "reviewed",
}


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """One assessment file as ``competency status`` lists it."""

    file: str
    name: str | None = None
    id: str | None = None
    unit: str | None = None
    status: str | None = None
    partial_review: bool = False
    """A review is under way (some ratings or a comment) but not signed off."""
    answered: int = 0
    total: int = 0
    updated_at: str | None = None
    reviewer: str | None = None
    error: str | None = None
    """Why the file could not be read; every other field is then empty."""
    conflict_with: tuple[str, ...] = ()
    """Other copies of the same assessment with different answers (``conflicts``)."""

    @property
    def completion(self) -> float:
        return self.answered / self.total if self.total else 0.0

    def as_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": self.file, "ok": False, "error": self.error}
        return {
            "file": self.file,
            "ok": True,
            "subject": {"name": self.name, "id": self.id, "unit": self.unit},
            "status": self.status,
            "partial_review": self.partial_review,
            "answered": self.answered,
            "total": self.total,
            "completion": round(self.completion, 4),
            "updated_at": self.updated_at,
            "reviewer": self.reviewer,
            "conflict_with": list(self.conflict_with),
        }


def status_of(path: str, frameworks: FrameworkResolver) -> StatusRecord:
    """The record of one file (``error`` set when it cannot be read or scored)."""
    return _read(path, frameworks)[0]


def _read(path: str, frameworks: FrameworkResolver) -> tuple[StatusRecord, Copy | None]:
    from competency.conflicts import copy_of
    from competency.storage import read_checked

    try:
        assessment, framework, _ = read_checked(path, frameworks)
    except CompetencyError as exc:
        return StatusRecord(path, error=exc.line), None
    review = assessment.review
    partial = bool(
        review is not None
        and review.completed_at is None
        and (review.ratings or review.notes or review.comment)
    )
    # In a role profile only its statements are asked, so only they count (SPEC 9).
    profile = framework.profile_by_id.get(assessment.profile or "")
    asked = [s.id for s in framework.statements if profile is None or profile.in_role(s.id)]
    answered = sum(1 for sid in asked if sid in assessment.ratings)
    stamp = assessment.updated_at
    record = StatusRecord(
        file=path,
        name=assessment.subject.name,
        id=assessment.subject.id,
        unit=assessment.subject.unit,
        status=assessment.status,
        partial_review=partial,
        answered=answered,
        total=len(asked),
        updated_at=stamp.isoformat().replace("+00:00", "Z") if stamp else None,
        reviewer=review.reviewer.name if review is not None else None,
    )
    return record, copy_of(assessment, path)


@dataclass
class TeamStatus:
    """Every record, in the order ``competency status`` lists them, and the counts."""

    records: list[StatusRecord]

    @classmethod
    def gather(cls, paths: Iterable[str], frameworks: FrameworkResolver) -> TeamStatus:
        read = [_read(path, frameworks) for path in paths]
        copies = [c for _, c in read if c is not None]
        clashing: dict[str, tuple[str, ...]] = {}
        for conflict in conflicts(copies):
            for file in conflict.files:
                clashing[file] = tuple(f for f in conflict.files if f != file)
        records = [replace(r, conflict_with=clashing.get(r.file, ())) for r, _ in read]

        def order(record: StatusRecord) -> tuple[int, str, str]:
            if record.error is not None:
                return (len(STATUSES), "", record.file)
            rank = STATUSES.index(record.status) if record.status in STATUSES else 0
            return (rank, record.updated_at or "", record.file)

        return cls(sorted(records, key=order))

    @property
    def counts(self) -> dict[str, int]:
        """Files by status, every status named (0 where none), and the unreadable ones."""
        found = Counter(r.status for r in self.records if r.error is None)
        counts = {status: found.get(status, 0) for status in STATUSES}
        counts["unreadable"] = sum(1 for r in self.records if r.error is not None)
        counts["in_conflict"] = sum(1 for r in self.records if r.conflict_with)
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": "competency-status/1",
            "records": [record.as_json() for record in self.records],
            "statuses": self.counts,
        }
